/* Shared live client: one Socket.IO connection per page (namespaces share it), rejoin with the
   last ids seen after a reconnect, safe text rendering, and the nav unread badge. */
(function () {
  "use strict";
  if (window.LiveCore) return;
  var sockets = {};
  var joiners = {};

  function socket(ns) {
    ns = ns || "/";
    if (!window.io) return null;
    if (!sockets[ns]) {
      var s = window.io(ns, { transports: ["websocket", "polling"], withCredentials: true });
      sockets[ns] = s;
      joiners[ns] = [];
      s.on("connect", function () {
        setStatus("");
        joiners[ns].forEach(function (fn) { fn(s); });
      });
      s.on("disconnect", function (reason) {
        if (reason === "io server disconnect") {
          setStatus("连接已被服务器关闭（可能已退出登录或被移出），请刷新页面。");
        } else {
          setStatus("连接中断，正在重新连接…");
        }
      });
      s.on("connect_error", function (err) {
        setStatus((err && err.message) || "实时连接失败，正在重试…");
      });
      s.on("live_error", function (e) { showError(e && e.message); });
    }
    return sockets[ns];
  }

  /* fn(socket) runs on every (re)connect: send the join with the last ids seen. */
  function onConnect(ns, fn) {
    var s = socket(ns);
    if (!s) return null;
    joiners[ns].push(fn);
    if (s.connected) fn(s);
    return s;
  }

  function setStatus(text) {
    var els = document.querySelectorAll("[data-live-status]");
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = text;
      els[i].hidden = !text;
    }
  }

  function showError(text) {
    if (!text) return;
    var els = document.querySelectorAll("[data-live-error]");
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = text;
      els[i].hidden = false;
    }
    if (!els.length) setStatus(text);
  }

  function clearError() {
    var els = document.querySelectorAll("[data-live-error]");
    for (var i = 0; i < els.length; i++) { els[i].textContent = ""; els[i].hidden = true; }
  }

  var seq = 0;
  function clientId() {
    seq += 1;
    var rnd = Math.random().toString(36).slice(2, 10);
    return "c" + Date.now().toString(36) + "-" + rnd + "-" + seq;
  }

  /* Build an element with text content only: user text is never parsed as HTML. */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function time(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    var hh = ("0" + d.getHours()).slice(-2), mm = ("0" + d.getMinutes()).slice(-2);
    return hh + ":" + mm;
  }

  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  /* Emit with an acknowledgement; errors are shown, then cb(ack) runs either way. */
  function request(ns, event, data, cb) {
    var s = socket(ns);
    if (!s) return;
    s.timeout(15000).emit(event, data || {}, function (err, ack) {
      if (err) { showError("服务器没有响应，请稍后重试。"); if (cb) cb({ ok: false }); return; }
      if (ack && ack.ok) clearError();
      if (cb) cb(ack || { ok: false });
    });
  }

  window.LiveCore = {
    socket: socket, onConnect: onConnect, request: request, el: el, time: time,
    clientId: clientId, showError: showError, clearError: clearError, setStatus: setStatus,
    csrf: csrf
  };

  /* Signed-in pages: one "/" socket carries notifications (notifications.js keeps the badge). */
  if (document.querySelector("[data-notification-badge]")) {
    var root = socket("/");
    if (root) {
      window.jobfairSocket = root;
      var ev;
      try { ev = new CustomEvent("jobfair:socket", { detail: root }); }
      catch (e) { ev = document.createEvent("CustomEvent"); ev.initCustomEvent("jobfair:socket", false, false, root); }
      document.dispatchEvent(ev);
    }
  }
})();
