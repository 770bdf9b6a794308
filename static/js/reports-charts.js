// Dashboard charts: every [data-chart] element reads its numbers from a JSON data block
// (<script type="application/json">) and is drawn with ECharts from static/vendor. The same
// numbers stay in the page as a table; once a chart is drawn the table folds away.
(function () {
  "use strict";
  if (!window.echarts) { return; }

  var COLORS = ["#0b5cad", "#b3261e", "#1e7b34", "#9a5b00", "#6b3fa0"];
  var charts = [];

  function read(el) {
    var block = document.getElementById(el.getAttribute("data-source"));
    if (!block) { return null; }
    try { return JSON.parse(block.textContent); } catch (e) { return null; }
  }

  function narrow() { return window.innerWidth < 600; }

  // Chart text is never under 14 px (18 px in 长辈版, where the page's own type is 24 px).
  function size(extra) {
    var base = document.documentElement.classList.contains("elder") ? 18 : 14;
    return base + (extra || 0);
  }

  // The type size applied to every axis, legend, label and tooltip of an option.
  function readable(option) {
    var text = { fontSize: size() };
    option.textStyle = text;
    option.tooltip = Object.assign({ textStyle: text }, option.tooltip || {});
    if (option.legend) { option.legend.textStyle = text; }
    // An option may have one axis or a list of them (two value axes, for instance).
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (axis) {
      axis.axisLabel = Object.assign({}, axis.axisLabel || {}, { fontSize: size() });
    });
    (option.series || []).forEach(function (s) {
      if (s.label) { s.label.fontSize = size(); }
    });
    return option;
  }

  function funnelOption(stages) {
    var labels = [], values = [];
    for (var i = stages.length - 1; i >= 0; i--) {
      labels.push(stages[i].label);
      values.push(stages[i].count);
    }
    return {
      color: COLORS,
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, splitNumber: narrow() ? 3 : 5 },
      yAxis: { type: "category", data: labels },
      series: [{
        type: "bar", data: values, barMaxWidth: 28,
        label: { show: true, position: "right" }
      }]
    };
  }

  function trendOption(t) {
    return {
      color: COLORS,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["投递", "录用/入职"] },
      xAxis: {
        type: "category", data: t.weeks,
        axisLabel: { rotate: narrow() ? 45 : 0, interval: narrow() ? 1 : 0 }
      },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "投递", type: "bar", data: t.applications, barMaxWidth: 18 },
        { name: "录用/入职", type: "line", data: t.hires, symbolSize: 7 }
      ]
    };
  }

  function fairnessOption(d) {
    var groups = [], series = [];
    var i, j;
    for (i = 0; i < d.rows.length; i++) { groups.push(d.rows[i].label); }
    var measures = [{ key: "seeker", label: "求职者占比" }].concat(d.measures);
    for (j = 0; j < measures.length; j++) {
      var key = measures[j].key === "seeker" ? "seeker_share" : measures[j].key + "_share";
      var values = [];
      for (i = 0; i < d.rows.length; i++) {
        var v = d.rows[i][key];
        values.push(v === null ? 0 : v);
      }
      series.push({ name: measures[j].label, type: "bar", data: values, barMaxWidth: 14 });
    }
    return {
      color: COLORS,
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
      legend: { top: 0 },
      xAxis: { type: "value", splitNumber: narrow() ? 3 : 5, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: groups, inverse: true },
      series: series
    };
  }

  // Grouped bars by month: {months: [...], series: [{name, data: [...]}, ...]}.
  function barsOption(d) {
    var series = [];
    for (var i = 0; i < d.series.length; i++) {
      series.push({ name: d.series[i].name, type: "bar", data: d.series[i].data, barMaxWidth: 18 });
    }
    return {
      color: COLORS,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      xAxis: { type: "category", data: d.months, axisLabel: { rotate: narrow() ? 45 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    };
  }

  function subsidiesOption(d) {
    var months = [], amounts = [], people = [];
    for (var i = 0; i < d.length; i++) {
      months.push(d[i].month.slice(5) + "月");
      amounts.push(parseFloat(d[i].approved));
      people.push(d[i].people);
    }
    return {
      color: COLORS,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["核定金额（元）", "人数"] },
      xAxis: { type: "category", data: months, axisLabel: { fontSize: narrow() ? 10 : 12 } },
      yAxis: [{ type: "value" }, { type: "value", minInterval: 1 }],
      series: [
        { name: "核定金额（元）", type: "bar", data: amounts, barMaxWidth: 18 },
        { name: "人数", type: "line", yAxisIndex: 1, data: people, symbolSize: 7 }
      ]
    };
  }

  var BUILDERS = {
    funnel: funnelOption, trend: trendOption, fairness: fairnessOption, subsidies: subsidiesOption,
    bars: barsOption
  };

  var nodes = document.querySelectorAll("[data-chart]");
  for (var n = 0; n < nodes.length; n++) {
    var el = nodes[n];
    var build = BUILDERS[el.getAttribute("data-chart")];
    var data = read(el);
    if (!build || data === null) { continue; }
    el.hidden = false;
    if (el.getAttribute("data-chart") === "fairness") {
      el.style.height = Math.max(320, data.rows.length * 64) + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(readable(build(data)));
    charts.push({ chart: chart, build: build, data: data });
    var figure = el.closest("figure");
    var details = figure && figure.querySelector("[data-collapse-when-drawn]");
    if (details) { details.open = false; }
  }

  // Printed reports carry their numbers: open the folded tables before printing.
  window.addEventListener("beforeprint", function () {
    var folded = document.querySelectorAll("[data-collapse-when-drawn]");
    for (var i = 0; i < folded.length; i++) { folded[i].open = true; }
  });

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      for (var i = 0; i < charts.length; i++) {
        charts[i].chart.setOption(readable(charts[i].build(charts[i].data)), true);
        charts[i].chart.resize();
      }
    }, 150);
  });
})();
