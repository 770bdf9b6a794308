/*
 * recommendations.js: occupation suggestions in forms, and "select all" on the priority page.
 *
 * Suggestions: an element
 *   <div class="suggest-box" data-occupation-suggest data-source="#f-title"
 *        data-target="#f-occupation_code" hidden></div>
 * shows the top-5 occupations for the text typed into the source field (debounced
 * GET /api/v1/matching/suggest-occupations?text=…&k=5). One click fills the target <select>
 * (single: chosen; multiple: added) and the occupation picker's search box or chips when the
 * picker is active. Without JavaScript the box stays hidden and the plain picker works.
 */
(function () {
  "use strict";

  var ENDPOINT = "/api/v1/matching/suggest-occupations";
  // The classification's marks, shown as small badges beside a suggested occupation.
  var MARK_LABELS = { green: "绿色职业", digital: "数字职业" };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function optionFor(select, code, name, marks) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === code) return select.options[i];
    }
    var opt = new Option(name, code);
    opt.setAttribute("data-name", name);
    if (marks && marks.length) opt.setAttribute("data-marks", marks.join(" "));
    select.appendChild(opt);
    return opt;
  }

  function addChip(select, opt) {
    var root = select.closest("[data-occupation-picker]");
    var chips = root && root.querySelector(".picker-chips");
    if (!chips) return;
    var li = el("li", "picker-chip");
    var name = opt.getAttribute("data-name") || opt.textContent;
    li.appendChild(el("span", null, name));
    (opt.getAttribute("data-marks") || "").split(" ").forEach(function (m) {
      if (MARK_LABELS[m]) li.appendChild(el("span", "mark mark-" + m, MARK_LABELS[m]));
    });
    var remove = el("button", "picker-remove", "×");
    remove.type = "button";
    remove.setAttribute("aria-label", "移除 " + name);
    remove.addEventListener("click", function () {
      opt.selected = false;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      li.parentNode.removeChild(li);
    });
    li.appendChild(remove);
    chips.appendChild(li);
  }

  function fill(select, item, live) {
    var opt = optionFor(select, item.code, item.name, item.marks);
    if (select.multiple) {
      if (opt.selected) {
        live.textContent = "已选择过 " + item.name;
        return;
      }
      var chosen = 0;
      for (var i = 0; i < select.options.length; i++) if (select.options[i].selected) chosen++;
      if (chosen >= 5) {
        live.textContent = "期望职业最多选择 5 个";
        return;
      }
      opt.selected = true;
      addChip(select, opt);
    } else {
      select.value = item.code;
      var search = document.getElementById(select.id + "-q");
      if (search) search.value = item.name;
    }
    select.dispatchEvent(new Event("change", { bubbles: true }));
    live.textContent = "已选择职业：" + item.name;
  }

  function initSuggest(box) {
    var source = document.querySelector(box.getAttribute("data-source"));
    var target = document.querySelector(box.getAttribute("data-target"));
    if (!source || !target) return;
    var LABEL = "可能的职业类别（点击选择）：";
    var label = el("p", "hint", LABEL);
    var list = el("ul");
    var live = el("p", "sr-only");
    live.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(list);
    box.appendChild(live);
    var timer = null;
    var seq = 0;

    // message: the service's hint (no role word recognised, or only a guess from 日结/兼职).
    function render(items, message) {
      label.textContent = message ? message + (items.length ? " " + LABEL : "") : LABEL;
      list.textContent = "";
      items.forEach(function (item) {
        var li = el("li");
        var b = el("button", "button", item.name);
        (item.marks || []).forEach(function (m) {
          if (MARK_LABELS[m]) b.appendChild(el("span", "mark mark-" + m, MARK_LABELS[m]));
        });
        b.type = "button";
        b.title = item.major_name ? item.name + "（" + item.major_name + "）" : item.name;
        b.addEventListener("click", function () {
          fill(target, item, live);
        });
        li.appendChild(b);
        list.appendChild(li);
      });
      box.hidden = items.length === 0 && !message;
    }

    function lookup() {
      var text = source.value.trim();
      if (!text) {
        render([]);
        return;
      }
      var mine = ++seq;
      fetch(ENDPOINT + "?k=5&text=" + encodeURIComponent(text.slice(0, 100)), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (resp) {
          return resp.ok ? resp.json() : { items: [] };
        })
        .then(function (data) {
          if (mine === seq) render(data.items || [], data.message || "");
        })
        .catch(function () {
          if (mine === seq) render([]);
        });
    }

    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 250);
    });
    if (source.value.trim()) lookup();
  }

  function initSelectAll(button) {
    var name = button.getAttribute("data-select-all");
    var form = button.closest("form");
    if (!form) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      Array.prototype.forEach.call(boxes, function (b) { b.checked = !all; });
      button.textContent = all ? "全选求职者" : "取消全选";
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-occupation-suggest]"), initSuggest);
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), initSelectAll);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
