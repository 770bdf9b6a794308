/* Fair lobby widget: live counts per booth, announcements, one-click apply on pinned cards. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-lobby]");
  if (!box || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/lobby";
  var fairId = parseInt(box.getAttribute("data-lobby"), 10);
  var annList = box.querySelector("[data-announcements]");
  var lastSeq = 0;
  Array.prototype.forEach.call(annList.querySelectorAll("li[data-seq]"), function (li) {
    lastSeq = Math.max(lastSeq, parseInt(li.getAttribute("data-seq"), 10) || 0);
  });

  function setCounts(c) {
    var s = box.querySelector("[data-seekers-online]");
    if (s) s.textContent = c.seekers_online;
    c.booths.forEach(function (b) {
      var row = box.querySelector('tr[data-booth="' + b.booth_id + '"]');
      if (!row) return;
      row.querySelector("[data-reps]").textContent = b.reps_online;
      row.querySelector("[data-queue]").textContent = b.queue_length;
      row.querySelector("[data-wait]").textContent = b.wait_minutes;
    });
  }

  function addAnnouncement(a) {
    if (annList.querySelector('li[data-id="' + a.id + '"]')) return;
    var li = L.el("li", "is-new");
    li.setAttribute("data-id", a.id);
    li.appendChild(L.el("time", "", a.time));
    li.appendChild(document.createTextNode(" " + a.body));
    annList.appendChild(li);
    var empty = box.querySelector("[data-announcements-empty]");
    if (empty) empty.hidden = true;
  }

  var anns = L.sequence(lastSeq, addAnnouncement, function (after, done) {
    L.request(NS, "announcements", { fair_id: fairId, after_seq: after }, function (ack) {
      done(ack.ok ? ack.announcements : null, ack.more);
    });
  });

  var s = L.onConnect(NS, function () {
    L.request(NS, "join", { fair_id: fairId, announcement_seq: anns.last }, function (ack) {
      if (!ack.ok) return;
      setCounts(ack.counts);
      anns.page(ack.announcements, ack.more_announcements);
    });
  });
  if (!s) return;
  s.on("counts", setCounts);
  s.on("announcement", function (a) { if (a.scope === "fair:" + fairId) anns.take(a); });

  box.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("live-apply") || !s.connected) return;
    ev.preventDefault();
    var btn = form.querySelector("button");
    btn.disabled = true;
    L.request(NS, "apply", { pin_id: form.getAttribute("data-pin") }, function (ack) {
      btn.textContent = ack.ok ? "已投递" : "一键投递";
      btn.disabled = !!ack.ok;
    });
  });
});
