// Export page: poll the job's status every second and move the progress bar until it is done.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) return;
  var bar = document.getElementById("export-progress");
  var state = document.getElementById("export-state");
  var download = document.getElementById("export-download");
  var failed = document.getElementById("export-error");
  var misses = 0;

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    state.textContent = job.status_text + (job.message ? "：" + job.message : "") + "（" + job.percent + "%）";
    if (job.status === "done") {
      download.hidden = false;
      if (job.download_url) download.href = job.download_url;
      return true;
    }
    if (job.status === "failed") {
      failed.hidden = false;
      return true;
    }
    return false;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (resp) {
        if (!resp.ok) throw new Error(resp.status);
        return resp.json();
      })
      .then(function (job) {
        misses = 0;
        if (!show(job)) window.setTimeout(poll, 1000);
      })
      .catch(function () {
        misses += 1;
        state.textContent = "正在重新连接…";
        window.setTimeout(poll, Math.min(10000, 1000 * misses));
      });
  }
  poll();
})();
