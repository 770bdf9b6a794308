/*
 * occupation-picker.js: type-to-search for occupations (2022 classification), progressive.
 *
 * Markup (templates/_macros/occupation_picker.html renders it):
 *
 *   <div class="field" data-occupation-picker [data-endpoint="/api/v1/occupations"]>
 *     <label for="f-occupation_code">职业类别</label>
 *     <select id="f-occupation_code" name="occupation_code" [multiple]>
 *       <option value="">请选择职业</option>
 *       <optgroup label="生产制造及有关人员"><option value="6-18-02-04">焊工</option>…</optgroup>
 *     </select>
 *   </div>
 *
 * Without JavaScript the <select> is the whole control. With it, the select is hidden (it
 * still carries the submitted value) and a search box takes its place and its label: typing
 * fetches GET /api/v1/occupations?q=…&limit=10 ([{code, name, major_name}]), ↑/↓ move,
 * Enter or a click chooses, Esc closes. A single select gets the chosen code; a multiple
 * select gets each chosen option selected and shows them as removable chips.
 * The page includes it with <script src=".../occupation-picker.js" defer>; no inline script.
 */
(function () {
  "use strict";

  var counter = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var MARK_LABELS = { green: "绿色职业", digital: "数字职业" };

  // The classification's marks as small badges beside a name, never letters glued to it.
  function addBadges(node, marks) {
    (marks || []).forEach(function (m) {
      if (MARK_LABELS[m]) node.appendChild(el("span", "mark mark-" + m, MARK_LABELS[m]));
    });
  }

  function optionName(opt) {
    return opt.getAttribute("data-name") || opt.textContent;
  }

  function optionMarks(opt) {
    var marks = opt.getAttribute("data-marks");
    return marks ? marks.split(" ") : [];
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

  function init(root) {
    var select = root.querySelector("select");
    if (!select || root.getAttribute("data-picker-ready")) return;
    root.setAttribute("data-picker-ready", "1");
    counter += 1;
    var multiple = select.multiple;
    var endpoint = root.getAttribute("data-endpoint") || "/api/v1/occupations";
    var baseId = (select.id || "occupation-picker-" + counter);
    var listId = baseId + "-list";

    var input = el("input", "picker-input");
    input.type = "search";
    input.id = baseId + "-q";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.placeholder = "输入职业名称查找，如 焊工";
    var described = select.getAttribute("aria-describedby");
    if (described) input.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");

    var list = el("ul", "picker-list");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var live = el("p", "sr-only");
    live.setAttribute("aria-live", "polite");
    var chips = multiple ? el("ul", "picker-chips") : null;

    var label = root.querySelector('label[for="' + select.id + '"]');
    if (label) label.htmlFor = input.id;

    select.hidden = true;
    select.required = false; // a hidden required control would block the form silently
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    var wrap = el("div", "picker");
    wrap.appendChild(input);
    wrap.appendChild(list);
    select.parentNode.insertBefore(wrap, select);
    if (chips) wrap.parentNode.insertBefore(chips, wrap.nextSibling);
    root.appendChild(live);

    var items = [];
    var active = -1;
    var seq = 0;
    var timer = null;

    function selectedText() {
      var opt = select.options[select.selectedIndex];
      return opt && opt.value ? optionName(opt) : "";
    }

    function renderChips() {
      if (!chips) return;
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (opt) {
        if (!opt.selected || !opt.value) return;
        var li = el("li", "picker-chip");
        li.appendChild(el("span", null, optionName(opt)));
        addBadges(li, optionMarks(opt));
        var remove = el("button", "picker-remove", "×");
        remove.type = "button";
        remove.setAttribute("aria-label", "移除 " + optionName(opt));
        remove.addEventListener("click", function () {
          opt.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          renderChips();
          input.focus();
        });
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(i) {
      var nodes = list.children;
      if (!nodes.length) return;
      if (active >= 0 && nodes[active]) nodes[active].setAttribute("aria-selected", "false");
      active = (i + nodes.length) % nodes.length;
      nodes[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", nodes[active].id);
      nodes[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      var opt = optionFor(select, item.code, item.name, item.marks);
      if (multiple) {
        opt.selected = true;
        input.value = "";
        renderChips();
      } else {
        select.value = item.code;
        input.value = item.name;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      live.textContent = "已选择 " + item.name;
      close();
    }

    function render(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, i) {
        var li = el("li", "picker-option");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = el("span", "picker-name", item.name);
        addBadges(name, item.marks);
        li.appendChild(name);
        li.appendChild(el("span", "picker-major", item.major_name));
        li.addEventListener("mousedown", function (ev) {
          ev.preventDefault(); // keep focus in the input
          choose(item);
        });
        list.appendChild(li);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        live.textContent = "找到 " + results.length + " 个职业，用上下方向键选择";
      } else {
        var none = el("li", "picker-empty", "没有找到，换个说法试试，例如“电焊”“护理员”。");
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        list.appendChild(none);
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        live.textContent = "没有找到匹配的职业";
        items = [];
      }
      active = -1;
    }

    function lookup() {
      var q = input.value.trim();
      if (!q) {
        close();
        if (!multiple) select.value = "";
        return;
      }
      var mine = ++seq;
      fetch(endpoint + "?q=" + encodeURIComponent(q) + "&limit=10", {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (resp) {
          return resp.ok ? resp.json() : [];
        })
        .then(function (data) {
          if (mine !== seq) return; // an older answer arriving late
          render(Array.isArray(data) ? data : data.items || []);
        })
        .catch(function () {
          if (mine === seq) live.textContent = "暂时无法查询职业，请稍后再试";
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        if (list.hidden) lookup();
        else setActive(active + 1);
      } else if (ev.key === "ArrowUp") {
        ev.preventDefault();
        setActive(active - 1);
      } else if (ev.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) {
          ev.preventDefault();
          choose(items[active]);
        } else if (!list.hidden) {
          ev.preventDefault(); // do not submit the form half-way through a search
        }
      } else if (ev.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () {
        close();
        if (!multiple) input.value = selectedText();
      }, 150);
    });

    if (multiple) renderChips();
    else input.value = selectedText();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-occupation-picker]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
