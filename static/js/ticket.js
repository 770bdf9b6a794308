// Queue ticket at the kiosk: the print button (no inline handlers, see CONVENTIONS).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
