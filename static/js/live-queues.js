/* 我的排队: live place and honest wait per queue, the call into a chat, and the organisers'
   announcements, including those posted while this page was closed. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-queues]");
  if (!box || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/booth";
  var annList = document.querySelector("[data-announcements]");

  function card(entryId) { return box.querySelector('[data-entry="' + entryId + '"]'); }

  /* Same words as the wait_line macro: no rep online means no time is promised. */
  function waitLine(state, e) {
    state.appendChild(document.createTextNode("第 "));
    state.appendChild(L.el("strong", "", e.place)).setAttribute("data-place", "");
    state.appendChild(document.createTextNode(" 位 · "));
    if (!e.reps_online) {
      state.appendChild(L.el("strong", "live-no-rep", "目前没有招聘人员在线，暂时无法估计等待时间")).setAttribute("data-no-rep", "");
      state.appendChild(L.el("span", "meta", "（招聘人员上线后会按顺序叫号，你的位置会一直保留）"));
      return;
    }
    state.appendChild(document.createTextNode("预计等待约 "));
    state.appendChild(L.el("strong", "", e.wait_minutes)).setAttribute("data-wait", "");
    state.appendChild(document.createTextNode(" 分钟"));
    var basis = e.typical_sample >= 3
      ? "按本展位最近 " + e.typical_sample + " 次面谈的中间时长约 " + e.typical_minutes + " 分钟"
      : "每次面谈约 " + e.typical_minutes + " 分钟";
    state.appendChild(L.el("span", "meta", "（" + basis + "，在线招聘人员 " + e.reps_online + " 位）"));
  }

  function renderEntry(e) {
    var li = card(e.id);
    if (!li) { window.location.reload(); return; }
    var state = li.querySelector("[data-state]");
    while (state.firstChild) state.removeChild(state.firstChild);
    if (e.status === "waiting") waitLine(state, e);
    else state.appendChild(L.el("span", "tag ok", e.status_label));
    if (e.chat && !li.querySelector("[data-chat-link]")) showCall(li, e.chat.id);
  }

  function showCall(li, chatId) {
    var a = L.el("a", "button primary", "进入面谈");
    a.href = "/live/chats/" + chatId;
    a.setAttribute("data-chat-link", "");
    li.querySelector(".actions").insertBefore(a, li.querySelector(".actions").firstChild);
    var state = li.querySelector("[data-state]");
    while (state.firstChild) state.removeChild(state.firstChild);
    state.appendChild(L.el("strong", "live-called", "轮到你了！请点击“进入面谈”。"));
  }

  /* The queue broadcast lists the waiting entry ids in order; each seeker finds their own. */
  function onQueue(q) {
    Array.prototype.forEach.call(box.querySelectorAll('[data-booth="' + q.booth_id + '"]'), function (li) {
      var id = parseInt(li.getAttribute("data-entry"), 10);
      var idx = q.waiting.indexOf(id);
      if (idx < 0) return;
      var place = idx + 1;
      var wait = q.reps_online ? Math.max(1, Math.ceil(place * q.typical_minutes / q.reps_online)) : null;
      renderEntry({ id: id, status: "waiting", place: place, wait_minutes: wait,
        typical_minutes: q.typical_minutes, typical_sample: q.typical_sample,
        reps_online: q.reps_online });
    });
  }

  var scopes = [];
  Array.prototype.forEach.call(box.querySelectorAll("[data-fair]"), function (li) {
    var sc = "fair:" + li.getAttribute("data-fair");
    if (scopes.indexOf(sc) < 0) scopes.push(sc);
  });
  var anns = L.announcements(annList, box.getAttribute("data-viewer"), {
    scopes: scopes,
    fetch: function (sc, after, done) {
      L.request(NS, "announcements", { scope: sc, after_seq: after }, function (ack) {
        done(ack.ok ? ack.announcements : null, ack.more);
      });
    },
    onShow: function () {
      var empty = document.querySelector("[data-announcements-empty]");
      if (empty) empty.hidden = true;
    }
  });

  var s = L.onConnect(NS, function () {
    L.request(NS, "watch_queues", { announcement_seqs: anns.last() }, function (ack) {
      if (!ack.ok) return;
      ack.entries.forEach(renderEntry);
      anns.page(ack.announcements, ack.more_announcements);
    });
  });
  if (!s) return;
  s.on("queue", onQueue);
  s.on("called", function (chat) {
    var li = box.querySelector('[data-booth="' + chat.booth_id + '"]');
    if (li && !li.querySelector("[data-chat-link]")) showCall(li, chat.id);
  });
  s.on("chat_ended", function () { window.location.reload(); });
  s.on("announcement", function (a) { if (scopes.indexOf(a.scope) >= 0) anns.take(a); });
});
