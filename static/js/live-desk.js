/* Booth desk: counts the rep as online, and refreshes the queue when it changes. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-desk]");
  if (!box || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/booth";
  var boothId = parseInt(box.getAttribute("data-desk"), 10);
  var shown = null;
  var leaving = false;
  /* A call form is on its way: its response opens the chat, so live refreshes must wait. */
  box.addEventListener("submit", function () { leaving = true; });

  function signature(desk) {
    return JSON.stringify([desk.queue.map(function (q) { return [q.entry_id, q.busy]; }),
      desk.open_chats.map(function (c) { return c.id; })]);
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

  function load(first) {
    L.request(NS, "desk", { booth_id: boothId, announcement_seqs: anns.last() }, function (ack) {
      if (!ack.ok) return;
      anns.page(ack.announcements, ack.more_announcements);
      var sig = signature(ack.desk);
      if (leaving) return;
      if (shown !== null && sig !== shown && !first) {
        /* The server-rendered page is the source of truth for the list; reload it. */
        window.location.reload();
        return;
      }
      shown = sig;
    });
  }

  var s = L.onConnect(NS, function () { load(shown === null); });
  if (!s) return;
  s.on("desk_changed", function () { load(false); });
  s.on("announcement", function (a) { if (a.scope === fairScope) anns.take(a); });
  s.on("chat_assigned", function (chat) {
    if (!leaving) window.location.href = "/live/chats/" + chat.id;
  });
});
