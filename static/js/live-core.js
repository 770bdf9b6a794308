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
      /* A server that may have missed deliveries (its message queue was down) asks its rooms
         to rejoin: the joins carry the last numbers seen, so the gap comes back as backfill.
         Spread over two seconds so thousands of pages do not ask at once. */
      s.on("resync", function () {
        setTimeout(function () {
          if (s.connected) joiners[ns].forEach(function (fn) { fn(s); });
        }, Math.random() * 2000);
      });
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

  /* Items numbered 1, 2, 3… within a room (messages, announcements): each is applied once and
     in order. A number past the next one means something was missed: fetch(after, done) pages
     through the gap (done(items, more), or done(null) on failure) before going on. */
  function sequence(last, apply, fetch) {
    var st = { last: last || 0, busy: false, again: false };
    function put(item) {
      if (item.seq <= st.last) return;
      apply(item);
      st.last = item.seq;
    }
    st.fill = function () {
      if (st.busy) { st.again = true; return; }
      st.busy = true;
      fetch(st.last, function (items, more) {
        st.busy = false;
        if (!items) return;  /* the next resync or gap tries again */
        items.forEach(put);
        if (more || st.again) { st.again = false; st.fill(); }
      });
    };
    st.take = function (item) {
      if (!item || item.seq <= st.last) return;
      if (item.seq > st.last + 1) { st.fill(); return; }
      put(item);
    };
    st.page = function (items, more) {
      items.forEach(put);
      if (more) st.fill();
    };
    return st;
  }

  /* What this user last saw of a room, remembered in this browser (localStorage), so a page
     opened again asks for everything after it instead of only the recent few. Keys carry the
     user id: two people sharing a computer do not share what they have seen. */
  function seenKey(viewer, scope) { return "jobfair:seen:" + (viewer || "0") + ":" + scope; }
  function readSeen(viewer, scope) {
    try {
      var v = window.localStorage.getItem(seenKey(viewer, scope));
      var n = v === null ? NaN : parseInt(v, 10);
      return isNaN(n) ? null : n;
    } catch (e) { return null; }
  }
  function writeSeen(viewer, scope, n) {
    try {
      var have = readSeen(viewer, scope);
      if (have === null || n > have) window.localStorage.setItem(seenKey(viewer, scope), String(n));
    } catch (e) { /* private mode or full: the server's recent list still shows */ }
  }

  /* Put li into list in the order of its data-<attr> number (a backfilled older item goes
     before the newer ones already shown). */
  function insertOrdered(list, li, attr, n) {
    var kids = list.children;
    for (var i = 0; i < kids.length; i++) {
      var k = parseInt(kids[i].getAttribute(attr), 10);
      if (!isNaN(k) && k > n) { list.insertBefore(li, kids[i]); return; }
    }
    list.appendChild(li);
  }

  /* The organiser's announcements on a live page, from one or more scopes ("fair:1",
     "session:2"). Each scope is a numbered sequence starting at what this user last saw here
     (or at the newest one the server rendered, on a first visit); everything after it is
     asked for on open and on every reconnect, and shown with a 新 mark.
     opts: fetch(scope, after, done) for a long gap; onShow() when one is added. */
  function announcements(list, viewer, opts) {
    opts = opts || {};
    var seqs = {}, seenAtOpen = {};
    var rendered = {};
    Array.prototype.forEach.call(list.querySelectorAll("li[data-seq]"), function (li) {
      var sc = li.getAttribute("data-scope"), n = parseInt(li.getAttribute("data-seq"), 10) || 0;
      rendered[sc] = Math.max(rendered[sc] || 0, n);
    });
    function flag(li) {
      if (li.querySelector(".tag.new")) return;
      li.classList.add("is-new");
      li.insertBefore(document.createTextNode(" "), li.firstChild);
      li.insertBefore(el("span", "tag new", "新"), li.firstChild);
    }
    /* Rendered by the server but posted after this user's last visit: new to them. */
    function markNew(scopeName, after) {
      Array.prototype.forEach.call(list.querySelectorAll("li[data-seq]"), function (li) {
        if (li.getAttribute("data-scope") === scopeName &&
            (parseInt(li.getAttribute("data-seq"), 10) || 0) > after) flag(li);
      });
    }
    function add(a) {
      if (list.querySelector('li[data-id="' + a.id + '"]')) { writeSeen(viewer, a.scope, a.seq); return; }
      var li = el("li");
      li.setAttribute("data-id", a.id);
      li.setAttribute("data-seq", a.seq);
      li.setAttribute("data-scope", a.scope);
      var before = seenAtOpen[a.scope];
      if (before === null || before === undefined || a.seq > before) flag(li);
      li.appendChild(el("time", "", a.time || time(a.created_at)));
      li.appendChild(document.createTextNode(" " + a.body));
      insertOrdered(list, li, "data-id", a.id);
      writeSeen(viewer, a.scope, a.seq);
      if (opts.onShow) opts.onShow(a);
    }
    function scope(name) {
      if (!seqs[name]) {
        var stored = readSeen(viewer, name);
        var shown = rendered[name] || 0;
        /* First visit in this browser: what the server rendered counts as seen. */
        seenAtOpen[name] = stored === null ? shown : stored;
        var start = stored === null ? shown : Math.min(stored, shown || stored);
        if (stored !== null) markNew(name, stored);
        seqs[name] = sequence(start, add, function (after, done) {
          if (opts.fetch) opts.fetch(name, after, done); else done(null);
        });
        if (shown) writeSeen(viewer, name, shown);
      }
      return seqs[name];
    }
    Object.keys(rendered).forEach(scope);
    (opts.scopes || []).forEach(scope);
    return {
      scope: scope,
      /* {scope: last number seen}: what a (re)join sends. */
      last: function () {
        var out = {};
        Object.keys(seqs).forEach(function (k) { out[k] = seqs[k].last; });
        return out;
      },
      take: function (a) { if (a && a.scope) scope(a.scope).take(a); },
      page: function (items, more) {
        (items || []).forEach(function (a) { scope(a.scope).take(a); });
        if (more) Object.keys(seqs).forEach(function (k) { seqs[k].fill(); });
      }
    };
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
    csrf: csrf, sequence: sequence, announcements: announcements, insertOrdered: insertOrdered,
    readSeen: readSeen, writeSeen: writeSeen
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
