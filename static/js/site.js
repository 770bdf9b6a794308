/* Every page: the phone menu button (folds the navigation into one row on small screens), and
   wide tables that scroll sideways inside a box keyboard users can reach and screen readers
   can name (so a new page with a wide table is accessible without extra work). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  scrollBoxes();
  var button = document.querySelector("[data-menu-toggle]");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  var header = button.closest(".site-header");

  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "收起菜单" : "菜单";
    header.classList.toggle("menu-open", open);
  }

  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      set(false);
      button.focus();
    }
  });
  set(false);
});

function scrollBoxes() {
  "use strict";
  var tables = document.querySelectorAll("main table");
  var seen = {};
  for (var i = 0; i < tables.length; i++) {
    var table = tables[i];
    var box = table.closest(".table-scroll");
    if (!box) {
      if (table.scrollWidth <= table.parentNode.clientWidth + 1) continue;
      box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    if (box.hasAttribute("aria-labelledby")) continue;
    var caption = table.querySelector("caption");
    // Without a caption the table is named by its section's heading; every region on a page
    // needs its own name (two tables both called "表格" are one landmark to a screen reader).
    var name = (caption && caption.textContent.trim()) || sectionHeading(box) || "表格";
    var label = name + "（表格，可左右滑动）";
    seen[label] = (seen[label] || 0) + 1;
    if (seen[label] > 1) label = name + "（表格 " + seen[label] + "，可左右滑动）";
    box.setAttribute("aria-label", label);
  }
}

function sectionHeading(el) {
  "use strict";
  var section = el.closest("section, article");
  var heading = section && section.querySelector("h1, h2, h3, h4");
  return heading ? heading.textContent.trim() : "";
}
