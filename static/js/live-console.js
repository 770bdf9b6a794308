/* Organiser console: counters and the open-report count update live. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.querySelector("[data-console]");
  if (!box || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/console";
  var fairId = parseInt(box.getAttribute("data-console"), 10);

  function setCounters(c) {
    Object.keys(c).forEach(function (k) {
      var el = box.querySelector('[data-counter="' + k + '"]');
      if (el) el.textContent = c[k];
    });
  }

  var s = L.onConnect(NS, function () {
    L.request(NS, "join", { fair_id: fairId }, function (ack) {
      if (!ack.ok) return;
      var c = ack.counters;
      c.open_reports = ack.reports.length;
      setCounters(c);
    });
  });
  if (!s) return;
  s.on("console", setCounters);
});
