/* 我的排队: live place and wait per queue, the call into a chat, announcements. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-queues]");
  if (!box || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/booth";
  var annList = document.querySelector("[data-announcements]");
  var lastAnnouncement = 0;

  function card(entryId) { return box.querySelector('[data-entry="' + entryId + '"]'); }

  function renderEntry(e) {
    var li = card(e.id);
    if (!li) { window.location.reload(); return; }
    var state = li.querySelector("[data-state]");
    while (state.firstChild) state.removeChild(state.firstChild);
    if (e.status === "waiting") {
      state.appendChild(document.createTextNode("第 "));
      state.appendChild(L.el("strong", "", e.place)).setAttribute("data-place", "");
      state.appendChild(document.createTextNode(" 位 · 预计等待约 "));
      state.appendChild(L.el("strong", "", e.wait_minutes)).setAttribute("data-wait", "");
      state.appendChild(document.createTextNode(" 分钟"));
      state.appendChild(L.el("span", "meta", "（每次面谈约 " + e.chat_minutes + " 分钟，在线招聘人员 " + e.reps_online + " 位）"));
    } else {
      state.appendChild(L.el("span", "tag ok", e.status_label));
    }
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
      var wait = Math.ceil(place * q.chat_minutes / Math.max(1, q.reps_online));
      renderEntry({ id: id, status: "waiting", place: place, wait_minutes: wait,
        chat_minutes: q.chat_minutes, reps_online: q.reps_online });
    });
  }

  function addAnnouncement(a) {
    if (!annList || annList.querySelector('li[data-id="' + a.id + '"]')) return;
    var li = L.el("li", "is-new");
    li.setAttribute("data-id", a.id);
    li.appendChild(L.el("time", "", a.time));
    li.appendChild(document.createTextNode(" " + a.body));
    annList.appendChild(li);
    lastAnnouncement = Math.max(lastAnnouncement, a.id);
    var empty = document.querySelector("[data-announcements-empty]");
    if (empty) empty.hidden = true;
  }

  var s = L.onConnect(NS, function () {
    L.request(NS, "watch_queues", {}, function (ack) {
      if (ack.ok) ack.entries.forEach(renderEntry);
    });
  });
  if (!s) return;
  s.on("queue", onQueue);
  s.on("called", function (chat) {
    var li = box.querySelector('[data-booth="' + chat.booth_id + '"]');
    if (li && !li.querySelector("[data-chat-link]")) showCall(li, chat.id);
  });
  s.on("chat_ended", function () { window.location.reload(); });
  s.on("announcement", addAnnouncement);
});
