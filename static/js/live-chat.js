/* 1:1 interview chat: messages with backfill after reconnects, a countdown that warns ahead of
   the end (data-warn-seconds: 3 minutes in 长辈版, else 1) and once more at the last minute. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-chat]");
  if (!box || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/booth";
  var chatId = parseInt(box.getAttribute("data-chat"), 10);
  var isRep = box.getAttribute("data-rep") === "1";
  var endsAt = new Date(box.getAttribute("data-ends-at"));
  var ended = box.getAttribute("data-ended") === "1";
  var list = box.querySelector("[data-messages]");
  var countdown = box.querySelector("[data-countdown]");
  var form = box.querySelector("[data-send]");
  var pending = {};
  var warnAt = parseInt(box.getAttribute("data-warn-seconds"), 10) || 60;
  var alertBox = box.querySelector("[data-countdown-alert]");
  var warned = {};

  function addMessage(m) {
    if (list.querySelector('li[data-id="' + m.id + '"]')) return;
    var li = L.el("li", "live-msg" + (m.deleted ? " is-deleted" : ""));
    li.setAttribute("data-id", m.id);
    var meta = L.el("span", "live-msg-meta");
    meta.appendChild(L.el("span", "live-author", m.author));
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(L.el("time", "", m.time));
    li.appendChild(meta);
    li.appendChild(L.el("span", "live-msg-body" + (m.deleted ? " muted" : ""), m.deleted ? "该消息已被主办方删除" : m.body));
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  var messages = L.sequence(parseInt(box.getAttribute("data-last-seq"), 10) || 0, addMessage,
    function (after, done) {
      L.request(NS, "chat_backfill", { chat_id: chatId, after_seq: after }, function (ack) {
        done(ack.ok ? ack.messages : null, ack.more);
      });
    });

  /* The video call of this chat (video-call.js) ends with it. */
  function hangupVideo(text) {
    var v = document.querySelector("[data-video-call]");
    if (v && v.__videoCall && v.__videoCall.state() !== "off") v.__videoCall.hangup(text);
  }

  function finish(text) {
    ended = true;
    hangupVideo("面谈已结束，视频通话已挂断。");
    countdown.textContent = text || "面谈已结束。";
    countdown.className = "live-countdown is-over";
    if (form) form.hidden = true;
    var p = box.querySelector("[data-chat-ended]");
    if (p) p.hidden = false;
  }

  function warn(limit, text) {
    /* Screen readers hear each warning once, not the countdown every second. */
    if (warned[limit]) return;
    warned[limit] = true;
    if (alertBox) alertBox.textContent = text;
  }

  function tick() {
    if (ended) return;
    var left = Math.round((endsAt.getTime() - Date.now()) / 1000);
    if (left <= 0) {
      countdown.textContent = "面谈时间已到。"; countdown.className = "live-countdown is-over"; if (form) form.hidden = true;
      hangupVideo("面谈时间已到，视频通话已结束。");
      return;
    }
    var mm = Math.floor(left / 60), ss = ("0" + (left % 60)).slice(-2);
    var soon = left <= warnAt;
    var note = left <= 60 ? "（还剩不到 1 分钟，请抓紧）" : (soon ? "（还剩约 " + Math.ceil(left / 60) + " 分钟，请准备结束）" : "");
    countdown.textContent = "剩余时间 " + mm + ":" + ss + note;
    countdown.className = "live-countdown" + (soon ? " is-warning" : "");
    if (soon && left > 60) warn(warnAt, "面谈还剩约 " + Math.ceil(left / 60) + " 分钟，请准备结束。");
    if (left <= 60) warn(60, "面谈还剩不到 1 分钟，请抓紧。");
  }

  var fairScope = "fair:" + box.getAttribute("data-fair");
  var anns = L.announcements(box.querySelector("[data-announcements]"), box.getAttribute("data-viewer"), {
    scopes: [fairScope],
    fetch: function (sc, after, done) {
      L.request(NS, "announcements", { scope: sc, after_seq: after }, function (ack) {
        done(ack.ok ? ack.announcements : null, ack.more);
      });
    },
    onShow: function () { box.querySelector("[data-announce-box]").hidden = false; }
  });

  var s = L.onConnect(NS, function () {
    L.request(NS, "open_chat", {
      chat_id: chatId, last_seq: messages.last, announcement_seqs: anns.last()
    }, function (ack) {
      if (!ack.ok) return;
      messages.page(ack.messages, ack.more_messages);
      anns.page(ack.announcements, ack.more_announcements);
      endsAt = new Date(ack.chat.ends_at);
      if (ack.chat.ended) finish();
      Object.keys(pending).forEach(function (cid) { send(pending[cid], cid); });
    });
  });
  if (!s) return;
  s.on("chat_message", function (m) { if (m.room === "chat:" + chatId) messages.take(m); });
  s.on("message_deleted", function (m) {
    var li = list.querySelector('li[data-id="' + m.id + '"] .live-msg-body');
    if (li) { li.textContent = "该消息已被主办方删除"; li.className = "live-msg-body muted"; }
  });
  s.on("chat_ended", function (c) {
    if (c.id !== chatId) return;
    if (!isRep && c.handed_to_chat_id) { window.location.href = "/live/chats/" + c.handed_to_chat_id; return; }
    var text = "面谈已结束。";
    if (!isRep && c.next_step === "interview") text = "面谈已结束：招聘方邀请你参加面试，请在“我的投递”查看。";
    finish(text);
  });
  s.on("called", function (c) {
    if (!isRep && c.id !== chatId && ended) window.location.href = "/live/chats/" + c.id;
  });

  s.on("announcement", function (a) { if (a.scope === fairScope) anns.take(a); });

  function send(body, cid) {
    cid = cid || L.clientId();
    pending[cid] = body;
    L.request(NS, "chat_send", { chat_id: chatId, client_id: cid, body: body }, function (ack) {
      if (ack.ok) { delete pending[cid]; messages.take(ack.message); }
      else if (ack.error) { delete pending[cid]; }
    });
  }

  if (form && !ended) {
    form.hidden = false;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var ta = form.querySelector("textarea");
      var body = ta.value.trim();
      if (!body) return;
      if (body.length > 500) { L.showError("消息不能超过 500 个字。"); return; }
      send(body);
      ta.value = "";
    });
  }
  tick();
  setInterval(tick, 1000);
});
