/* 1:1 video calls over WebRTC, for any box made by templates/live/_video_call.html (booth
   chats, scheduled interviews). Signalling runs on the page's Socket.IO connection (namespace
   /call, events join / signal / leave; the server relays "call_signal" between the two
   parties only). Media goes browser to browser or through the configured TURN relay; nothing
   is recorded. window.VideoCall.attach(box) returns a controller ({hangup, state}); boxes on
   the page are attached by themselves. */
(function () {
  "use strict";
  if (window.VideoCall) return;
  var NS = "/call";
  var RING_SECONDS = 60;      /* nobody answers: say so and stop ringing */
  var CONNECT_SECONDS = 30;   /* accepted but no media path: fall back to text */
  var UNSTABLE_SECONDS = 15;  /* a connected call that lost its path this long is over */

  var REASON_TEXT = {
    permission: "对方没有允许使用摄像头或麦克风，请继续用文字交流。",
    no_device: "对方没有可用的摄像头或麦克风，请继续用文字交流。",
    device_busy: "对方的摄像头或麦克风被其他程序占用，请继续用文字交流。",
    unsupported: "对方的浏览器不支持视频通话，请继续用文字交流。",
    connect: "视频连接没有成功（可能是网络限制），请继续用文字交流。",
    busy: "对方正在另一个视频通话中，请稍后再试或用文字交流。",
    declined: "对方选择用文字交流。",
    ended: "面谈已结束，视频通话已挂断。"
  };

  function attach(box) {
    var L = window.LiveCore;
    if (!L || box.__videoCall) return box.__videoCall || null;
    var kind = box.getAttribute("data-call-kind");
    var ident = parseInt(box.getAttribute("data-call-id"), 10);
    var peerName = box.getAttribute("data-call-peer") || "对方";
    var fallbackId = box.getAttribute("data-call-fallback");
    var q = function (sel) { return box.querySelector(sel); };
    var stateEl = q("[data-call-state]"), stage = q("[data-call-stage]");
    var remoteVideo = q("[data-call-remote]"), localVideo = q("[data-call-local]");
    var peerMedia = q("[data-call-peer-media]");
    var btn = {
      start: q("[data-call-start]"), accept: q("[data-call-accept]"),
      decline: q("[data-call-decline]"), mute: q("[data-call-mute]"),
      camera: q("[data-call-camera]"), hangup: q("[data-call-hangup]")
    };
    var cfg = null;          /* the join answer: ice_servers, polite */
    var mySid = null;
    var peerSid = null;      /* the other party's socket in this call */
    var state = "off";       /* off | idle | ringing | incoming | connecting | connected */
    var pc = null, local = null, pendingCandidates = [];
    var timer = null, unstableTimer = null;
    var ended = false;       /* the chat or interview is over: no more calls */

    function say(text, isError) {
      stateEl.textContent = text;
      stateEl.className = "video-call-state" + (isError ? " is-error" : "");
    }

    function show() {
      var inCall = state === "connecting" || state === "connected";
      btn.start.hidden = !(state === "idle" && !ended);
      btn.accept.hidden = btn.decline.hidden = state !== "incoming";
      btn.mute.hidden = btn.camera.hidden = !(inCall || state === "ringing");
      btn.hangup.hidden = !(inCall || state === "ringing");
      stage.hidden = !(local || inCall);
      box.setAttribute("data-call-status", state);
      if (!inCall) peerMedia.hidden = true;
    }

    function setState(next, text, isError) {
      state = next;
      if (text !== undefined) say(text, isError);
      show();
    }

    function send(type, extra) {
      var data = { kind: kind, id: ident, type: type };
      if (extra) Object.keys(extra).forEach(function (k) { data[k] = extra[k]; });
      if (peerSid && !data.to) data.to = peerSid;
      L.request(NS, "signal", data);
    }

    /* The call could not happen or is over: free the camera, say why, offer the text box. */
    function finish(text, isError, toText) {
      clearTimeout(timer); clearTimeout(unstableTimer);
      timer = unstableTimer = null;
      if (pc) { pc.ontrack = pc.onicecandidate = pc.onconnectionstatechange = null; pc.close(); }
      pc = null; pendingCandidates = []; peerSid = null;
      if (local) local.getTracks().forEach(function (t) { t.stop(); });
      local = null;
      localVideo.srcObject = null; remoteVideo.srcObject = null;
      btn.mute.textContent = "静音"; btn.mute.setAttribute("aria-pressed", "false");
      btn.camera.textContent = "关闭摄像头"; btn.camera.setAttribute("aria-pressed", "false");
      setState(ended ? "off" : "idle", text, isError);
      if (toText && fallbackId) {
        var box2 = document.getElementById(fallbackId);
        if (box2 && !box2.closest("[hidden]")) box2.focus();
      }
    }

    function mediaError(err) {
      var name = err && err.name;
      if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
        return ["permission", "您没有允许本网站使用摄像头和麦克风。请点击地址栏左侧的锁形图标，把“摄像头”“麦克风”改为允许后再试；也可以继续用文字交流。"];
      }
      if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
        return ["no_device", "没有找到摄像头或麦克风，请检查设备是否接好；也可以继续用文字交流。"];
      }
      if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
        return ["device_busy", "摄像头或麦克风被其他程序占用，请关闭其他视频软件后再试；也可以继续用文字交流。"];
      }
      return ["unsupported", "无法打开摄像头和麦克风，请换用新版浏览器后再试；也可以继续用文字交流。"];
    }

    /* Camera and microphone; a computer without a camera still gets a voice call. */
    function getMedia(done) {
      if (!window.RTCPeerConnection || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        var secure = window.isSecureContext !== false;
        done(null, ["unsupported", secure
          ? "您的浏览器不支持视频通话，请换用新版浏览器；也可以继续用文字交流。"
          : "浏览器只在安全连接（https）下允许使用摄像头，请联系主办方；现在可以继续用文字交流。"]);
        return;
      }
      say("正在打开摄像头和麦克风…");
      navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 480 } } })
        .then(function (stream) { done(stream); })
        .catch(function (err) {
          if (err && (err.name === "NotFoundError" || err.name === "OverconstrainedError")) {
            navigator.mediaDevices.getUserMedia({ audio: true })
              .then(function (stream) { done(stream, null, true); })
              .catch(function (err2) { done(null, mediaError(err2)); });
          } else {
            done(null, mediaError(err));
          }
        });
    }

    function useLocal(stream) {
      local = stream;
      localVideo.srcObject = stream;
      btn.camera.disabled = stream.getVideoTracks().length === 0;
    }

    function makePeer() {
      pc = new RTCPeerConnection({ iceServers: (cfg && cfg.ice_servers) || [] });
      local.getTracks().forEach(function (t) { pc.addTrack(t, local); });
      pc.onicecandidate = function (ev) {
        if (ev.candidate) send("candidate", { candidate: ev.candidate.toJSON() });
      };
      pc.ontrack = function (ev) {
        if (remoteVideo.srcObject !== ev.streams[0]) remoteVideo.srcObject = ev.streams[0];
      };
      pc.onconnectionstatechange = function () {
        if (!pc) return;
        var s = pc.connectionState;
        if (s === "connected") {
          clearTimeout(timer); clearTimeout(unstableTimer);
          setState("connected", "正在与" + peerName + "视频通话。");
        } else if (s === "disconnected") {
          say("网络不稳定，正在重新连接…");
          clearTimeout(unstableTimer);
          unstableTimer = setTimeout(function () { fail("connect"); }, UNSTABLE_SECONDS * 1000);
        } else if (s === "failed") {
          fail("connect");
        }
      };
      clearTimeout(timer);
      timer = setTimeout(function () { if (state !== "connected") fail("connect"); }, CONNECT_SECONDS * 1000);
    }

    function fail(reason) {
      send("failed", { reason: reason });
      finish(REASON_TEXT[reason] || REASON_TEXT.connect, true, true);
    }

    function addCandidate(c) {
      pc.addIceCandidate(c).catch(function () { /* a stale candidate of an earlier attempt */ });
    }

    function flushCandidates() {
      var list = pendingCandidates;
      pendingCandidates = [];
      list.forEach(addCandidate);
    }

    /* I accept (clicked 接听, or both rang at once and I give way): the ringer makes the offer. */
    function acceptFrom(sid) {
      peerSid = sid;
      makePeer();
      setState("connecting", "正在连接视频…");
      send("accept");
    }

    function start() {
      if (state !== "idle" || !cfg) return;
      getMedia(function (stream, error, voiceOnly) {
        if (!stream) { say(error[1], true); return; }
        if (state !== "idle") { stream.getTracks().forEach(function (t) { t.stop(); }); return; }
        useLocal(stream);
        setState("ringing", (voiceOnly ? "没有找到摄像头，将只进行语音通话。" : "") +
          "正在等待" + peerName + "接听…");
        send("ring");
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (state === "ringing") { send("hangup"); finish(peerName + "没有接听，可以继续用文字交流。", false, true); }
        }, RING_SECONDS * 1000);
      });
    }

    function accept() {
      if (state !== "incoming") return;
      var sid = peerSid;
      getMedia(function (stream, error) {
        if (!stream) {
          peerSid = sid;
          send("failed", { reason: error[0] });
          finish(error[1], true, true);
          return;
        }
        if (state !== "incoming") { stream.getTracks().forEach(function (t) { t.stop(); }); return; }
        useLocal(stream);
        acceptFrom(sid);
      });
    }

    function onSignal(m) {
      if (!m || m.kind !== kind || m.id !== ident) return;
      if (m.to && mySid && m.to !== mySid) return;  /* meant for the other party's other tab */
      var t = m.type;
      if (m.from === "server") {
        if (t === "hangup") { ended = m.reason === "ended"; finish(REASON_TEXT[m.reason] || "视频通话已结束。"); }
        return;
      }
      if (t === "present") {
        if (state === "ringing") { L.request(NS, "signal", { kind: kind, id: ident, type: "ring" }); }
        return;
      }
      if (t === "ring") {
        if (state === "idle") {
          peerSid = m.from;
          setState("incoming", peerName + "邀请您视频通话。");
          clearTimeout(timer);
          timer = setTimeout(function () {
            if (state === "incoming") finish("未接听的视频通话邀请已过期。");
          }, RING_SECONDS * 1000);
        } else if (state === "ringing") {
          /* Both rang at once: the polite side gives way and answers. */
          if (cfg && cfg.polite) { clearTimeout(timer); acceptFrom(m.from); }
        } else if ((state === "connecting" || state === "connected") && m.from !== peerSid && local) {
          /* The other party reloaded the page and rang again: start over with them. */
          if (pc) pc.close();
          pc = null; pendingCandidates = [];
          acceptFrom(m.from);
        }
        return;
      }
      if (peerSid && m.from !== peerSid) return;  /* not the socket this call is with */
      if (t === "accept" && state === "ringing") {
        peerSid = m.from;
        makePeer();
        setState("connecting", "正在连接视频…");
        pc.createOffer()
          .then(function (offer) { return pc.setLocalDescription(offer); })
          .then(function () { send("offer", { sdp: pc.localDescription.sdp }); })
          .catch(function () { fail("connect"); });
      } else if (t === "offer" && pc && state === "connecting") {
        pc.setRemoteDescription({ type: "offer", sdp: m.sdp })
          .then(function () { flushCandidates(); return pc.createAnswer(); })
          .then(function (answer) { return pc.setLocalDescription(answer); })
          .then(function () { send("answer", { sdp: pc.localDescription.sdp }); })
          .catch(function () { fail("connect"); });
      } else if (t === "answer" && pc) {
        pc.setRemoteDescription({ type: "answer", sdp: m.sdp })
          .then(flushCandidates)
          .catch(function () { fail("connect"); });
      } else if (t === "candidate" && pc) {
        if (pc.remoteDescription) addCandidate(m.candidate); else pendingCandidates.push(m.candidate);
      } else if (t === "media") {
        var parts = [];
        if (!m.audio) parts.push(peerName + "已静音");
        if (!m.video) parts.push(peerName + "已关闭摄像头");
        peerMedia.textContent = parts.join("，");
        peerMedia.hidden = !parts.length;
      } else if (t === "decline") {
        finish(REASON_TEXT.declined, false, true);
      } else if (t === "failed") {
        finish(REASON_TEXT[m.reason] || REASON_TEXT.connect, true, true);
      } else if (t === "hangup") {
        finish(state === "incoming" ? peerName + "已取消视频通话邀请。" : peerName + "已挂断视频通话。");
      } else if (t === "left") {
        /* Their socket dropped; a call whose media still flows goes on. */
        if (state === "connected" && pc && pc.connectionState === "connected") return;
        if (state !== "idle" && state !== "off") finish(peerName + "已离开面谈页面，视频通话已结束。");
      }
    }

    function toggle(kindOfTrack, button, onText, offText) {
      if (!local) return;
      var tracks = kindOfTrack === "audio" ? local.getAudioTracks() : local.getVideoTracks();
      if (!tracks.length) return;
      var on = !tracks[0].enabled;
      tracks.forEach(function (tr) { tr.enabled = on; });
      button.textContent = on ? onText : offText;
      button.setAttribute("aria-pressed", on ? "false" : "true");
      var audio = local.getAudioTracks().some(function (tr) { return tr.enabled; });
      var video = local.getVideoTracks().some(function (tr) { return tr.enabled; });
      if (peerSid) send("media", { audio: audio, video: video });
    }

    btn.start.addEventListener("click", start);
    btn.accept.addEventListener("click", accept);
    btn.decline.addEventListener("click", function () {
      send("decline", { reason: "declined" });
      finish("已改用文字交流。", false, true);
    });
    btn.hangup.addEventListener("click", function () {
      send("hangup");
      finish("视频通话已挂断，可以继续用文字交流。", false, true);
    });
    btn.mute.addEventListener("click", function () { toggle("audio", btn.mute, "静音", "取消静音"); });
    btn.camera.addEventListener("click", function () { toggle("video", btn.camera, "关闭摄像头", "打开摄像头"); });
    window.addEventListener("pagehide", function () {
      if (state !== "idle" && state !== "off") send("hangup");
    });

    var s = L.onConnect(NS, function (sock) {
      L.request(NS, "join", { kind: kind, id: ident }, function (ack) {
        if (!ack.ok) {
          if (ack.error && (ack.error.code === "chat_ended" || ack.error.code === "chat_timeout")) ended = true;
          finish(ack.error ? ack.error.message : "视频通话暂时不可用，请继续用文字交流。", !!ack.error);
          return;
        }
        cfg = ack.call;
        mySid = ack.sid || sock.id;
        q("[data-call-actions]").hidden = false;
        if (state === "off") setState("idle", "可以和" + peerName + "视频通话。");
        else if (state === "ringing") send("ring");
      });
    });
    if (!s) { say("视频通话需要实时连接，请刷新页面；也可以继续用文字交流。", true); return null; }
    s.on("call_signal", onSignal);
    show();

    var controller = {
      state: function () { return state; },
      hangup: function (text) {
        ended = true;
        if (state !== "idle" && state !== "off") send("hangup");
        finish(text || "视频通话已结束。");
      }
    };
    box.__videoCall = controller;
    return controller;
  }

  window.VideoCall = { attach: attach };
  function attachAll() {
    var boxes = document.querySelectorAll("[data-video-call]");
    for (var i = 0; i < boxes.length; i++) attach(boxes[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
