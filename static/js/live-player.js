/* 直播带岗 player: HLS through the browser's own player where it has one (Safari, iOS) or
   hls.js, FLV through mpegts.js; retries while the stream is down and says so in plain words.
   window.LivePlayer.status(s) follows the session's status (live-session.js calls it). */
(function () {
  "use strict";
  var box = document.querySelector("[data-player]");
  if (!box) return;
  var video = box.querySelector("[data-player-video]");
  var msg = box.querySelector("[data-player-msg]");
  var unmute = box.querySelector("[data-player-unmute]");
  var kind = box.getAttribute("data-stream-kind");
  var src = box.getAttribute("data-stream-src");
  var status = box.getAttribute("data-session-status");
  var player = null;      /* the hls.js or mpegts.js instance, or "native" */
  var failures = 0;
  var retryTimer = null;
  var stallTimer = null;
  var recovered = false;
  var RETRY_MAX_SECONDS = 30;

  function say(text, isError) {
    msg.textContent = text || "";
    msg.hidden = !text;
    msg.className = "live-player-msg" + (isError ? " is-error" : "");
  }

  function setEngine(name) { box.setAttribute("data-engine", name); }

  function stop() {
    clearTimeout(retryTimer);
    clearTimeout(stallTimer);
    retryTimer = stallTimer = null;
    if (player && player !== "native") {
      try { player.destroy(); } catch (e) { /* already torn down */ }
    }
    if (player === "native") {
      video.removeAttribute("src");
      try { video.load(); } catch (e) { /* nothing loaded */ }
    }
    player = null;
  }

  /* The stream could not be loaded: say why in plain words and try again, waiting longer each
     time (a stream that has not started yet or dropped for a moment comes back by itself). */
  function down(reason) {
    stop();
    if (status === "ended") { say("直播已结束。"); return; }
    failures += 1;
    var wait = Math.min(RETRY_MAX_SECONDS, 5 * failures);
    var text;
    if (reason === "unsupported") {
      say("您的浏览器不能在本页播放此直播，请用下方“打开直播链接”在其他播放器或直播平台中观看，或换用新版浏览器。", true);
      return;
    } else if (status === "scheduled") {
      text = "直播尚未开始，开始后这里会自动播放。";
    } else if (failures >= 3) {
      text = "直播信号中断，暂时无法播放。系统会每隔 " + wait + " 秒自动重试；也可以稍后刷新页面，或用下方链接在其他播放器中打开。";
    } else {
      text = "直播暂时无法播放（直播流中断或网络不稳定），" + wait + " 秒后自动重试…";
    }
    say(text, status !== "scheduled");
    retryTimer = setTimeout(start, wait * 1000);
  }

  function tryPlay() {
    var p = video.play();
    if (p && p.catch) {
      p.catch(function (err) {
        /* Only a refused autoplay needs the viewer; an aborted load is handled by down(). */
        if (err && err.name === "NotAllowedError") say("请点击画面中的播放按钮开始观看。");
      });
    }
  }

  function mixedContent() {
    return window.location.protocol === "https:" && /^http:/i.test(src);
  }

  /* Apple's own player where it is (Safari; the only choice on iPhones without Media Source
     Extensions) or wherever hls.js cannot run; elsewhere hls.js, so retries and messages are
     the same in every browser. */
  function nativeHls() {
    if (!video.canPlayType || video.canPlayType("application/vnd.apple.mpegurl") === "") return false;
    if (!(window.Hls && window.Hls.isSupported())) return true;
    return /Apple/.test(navigator.vendor || "");
  }

  function startNative() {
    player = "native";
    setEngine("native");
    video.src = src;
    tryPlay();
  }

  function startHls() {
    var Hls = window.Hls;
    if (!Hls || !Hls.isSupported()) { down("unsupported"); return; }
    setEngine("hls.js");
    recovered = false;
    var hls = new Hls({
      workerPath: box.getAttribute("data-hls-worker"),
      liveDurationInfinity: true,
      manifestLoadPolicy: { default: { maxTimeToFirstByteMs: 10000, maxLoadTimeMs: 20000,
        timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: { maxNumRetry: 1, retryDelayMs: 1000, maxRetryDelayMs: 4000 } } }
    });
    player = hls;
    hls.on(Hls.Events.ERROR, function (_ev, data) {
      if (!data || !data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
        recovered = true;  /* one decoder hiccup is recoverable in place */
        hls.recoverMediaError();
        return;
      }
      down(data.type === Hls.ErrorTypes.MEDIA_ERROR ? "media" : "network");
    });
    hls.on(Hls.Events.MANIFEST_PARSED, tryPlay);
    hls.loadSource(src);
    hls.attachMedia(video);
  }

  function startFlv() {
    var m = window.mpegts;
    if (!m || !m.getFeatureList || !m.getFeatureList().mseLivePlayback) { down("unsupported"); return; }
    setEngine("mpegts.js");
    var p = m.createPlayer({ type: "flv", isLive: true, url: src },
      { enableWorker: false, lazyLoad: false, liveBufferLatencyChasing: true });
    player = p;
    p.on(m.Events.ERROR, function (type) {
      down(type === m.ErrorTypes.MEDIA_ERROR ? "media" : "network");
    });
    p.attachMediaElement(video);
    p.load();
    tryPlay();
  }

  function start() {
    stop();
    if (status === "ended") { say("直播已结束。"); return; }
    if (mixedContent()) {
      say("直播地址不是安全链接（https），浏览器不允许在本页播放，请用下方链接打开。", true);
      return;
    }
    say(status === "scheduled" ? "直播尚未开始，开始后这里会自动播放。" : "正在连接直播…");
    if (kind === "hls") {
      if (nativeHls()) startNative(); else startHls();
    } else if (kind === "flv") {
      startFlv();
    }
  }

  video.addEventListener("playing", function () {
    failures = 0;
    clearTimeout(stallTimer);
    say("");
    if (unmute) unmute.hidden = !video.muted;
  });
  video.addEventListener("volumechange", function () {
    if (unmute) unmute.hidden = !video.muted;
  });
  video.addEventListener("waiting", function () {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(function () {
      say("直播信号不稳定，正在缓冲…");
    }, 8000);
  });
  video.addEventListener("ended", function () {
    say(status === "live" ? "直播画面已停止，正在等待主播恢复…" : "直播已结束。");
    if (status === "live") { retryTimer = setTimeout(start, 10000); }
  });
  video.addEventListener("error", function () {
    if (player === "native") down("network");
  });
  if (unmute) {
    unmute.addEventListener("click", function () {
      video.muted = false;
      unmute.hidden = true;
    });
  }

  window.LivePlayer = {
    status: function (next) {
      if (!next || next === status) return;
      status = next;
      if (status === "ended") { stop(); say("直播已结束。"); }
      else if (status === "live" && (!player || retryTimer)) { failures = 0; start(); }
    }
  };

  /* Muted so the browser lets it start by itself; "打开声音" turns the sound on. */
  video.muted = true;
  video.autoplay = true;
  start();
})();
