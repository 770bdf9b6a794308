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
    var caption = table.querySelector("caption");
    var name = caption && caption.textContent.trim();
    if (name && !box.hasAttribute("aria-labelledby")) box.setAttribute("aria-label", name + "（表格，可左右滑动）");
    else if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", "表格（可左右滑动）");
  }
}
