/* Fair lobby widget: live counts per booth, announcements (with what was posted while the
   page was closed), one-click apply on pinned cards. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-lobby]");
  if (!box || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/lobby";
  var fairId = parseInt(box.getAttribute("data-lobby"), 10);
  var scope = "fair:" + fairId;
  var annList = box.querySelector("[data-announcements]");

  function setWait(cell, b) {
    while (cell.firstChild) cell.removeChild(cell.firstChild);
    if (!b.reps_online) { cell.appendChild(L.el("span", "muted", "暂无招聘人员在线")); return; }
    if (!b.queue_length) { cell.appendChild(document.createTextNode("无需等待")); return; }
    cell.appendChild(document.createTextNode("约 "));
    cell.appendChild(L.el("span", "", b.wait_minutes)).setAttribute("data-wait", "");
    cell.appendChild(document.createTextNode(" 分钟"));
  }

  function setCounts(c) {
    var s = box.querySelector("[data-seekers-online]");
    if (s) s.textContent = c.seekers_online;
    c.booths.forEach(function (b) {
      var row = box.querySelector('tr[data-booth="' + b.booth_id + '"]');
      if (!row) return;
      row.querySelector("[data-reps]").textContent = b.reps_online;
      row.querySelector("[data-queue]").textContent = b.queue_length;
      setWait(row.querySelector("[data-wait-cell]"), b);
    });
  }

  var anns = L.announcements(annList, box.getAttribute("data-viewer"), {
    scopes: [scope],
    fetch: function (sc, after, done) {
      L.request(NS, "announcements", { fair_id: fairId, after_seq: after }, function (ack) {
        done(ack.ok ? ack.announcements : null, ack.more);
      });
    },
    onShow: function () {
      var empty = box.querySelector("[data-announcements-empty]");
      if (empty) empty.hidden = true;
    }
  });

  var s = L.onConnect(NS, function () {
    L.request(NS, "join", { fair_id: fairId, announcement_seq: anns.last()[scope] }, function (ack) {
      if (!ack.ok) return;
      setCounts(ack.counts);
      anns.page(ack.announcements, ack.more_announcements);
    });
  });
  if (!s) return;
  s.on("counts", setCounts);
  s.on("announcement", function (a) { if (a.scope === scope) anns.take(a); });

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
