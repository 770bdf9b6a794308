/*
 * notifications.js: keeps the unread badge in the navigation current.
 *
 * When the live layer has a Socket.IO connection on the page (window.jobfairSocket, or one
 * announced with a "jobfair:socket" event whose detail is the socket), a "notification" event
 * bumps the badge and is announced to screen readers. Without a socket nothing happens and
 * the badge shows the count from the last page load; the /notifications page works as is.
 */
(function () {
  "use strict";

  var attached = [];

  function badge() {
    return document.querySelector("[data-notification-badge]");
  }

  function announce(text) {
    var live = document.getElementById("notification-live");
    if (!live) {
      live = document.createElement("p");
      live.id = "notification-live";
      live.className = "sr-only";
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }

  function setCount(n) {
    var b = badge();
    if (!b) return;
    var count = b.querySelector("[data-notification-count]");
    if (count) count.textContent = String(n);
    b.hidden = n <= 0;
  }

  /* A visible note for a few seconds: its title, and a link when it has one. Text only. */
  function toast(data) {
    var old = document.querySelector(".notice-toast");
    if (old) old.remove();
    var box = document.createElement("div");
    box.className = "notice-toast";
    box.setAttribute("data-notice-toast", "");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "notice-close";
    close.setAttribute("aria-label", "关闭");
    close.textContent = "×";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = (data && data.title) || "新通知";
    title.appendChild(strong);
    box.appendChild(title);
    var link = data && data.link;
    if (typeof link === "string" && link.charAt(0) === "/" && link.charAt(1) !== "/") {
      var p = document.createElement("p");
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "查看";
      p.appendChild(a);
      box.appendChild(p);
    }
    document.body.appendChild(box);
    setTimeout(function () { box.remove(); }, 8000);
  }

  function onNotification(data) {
    var b = badge();
    if (b && !(data && data.in_centre === false)) {
      var count = b.querySelector("[data-notification-count]");
      setCount((parseInt((count && count.textContent) || "0", 10) || 0) + 1);
    }
    toast(data);
    announce("新通知：" + ((data && data.title) || ""));
  }

  /* On every (re)connect ask for the count: what arrived while the socket was down (or
     between the page's render and its connect) is counted too. */
  function refresh(socket) {
    socket.emit("unread", {}, function (ack) {
      if (ack && ack.ok && typeof ack.unread === "number") setCount(ack.unread);
    });
  }

  function attach(socket) {
    if (!socket || typeof socket.on !== "function" || attached.indexOf(socket) >= 0) return;
    attached.push(socket);
    socket.on("notification", onNotification);
    socket.on("connect", function () { refresh(socket); });
    if (socket.connected) refresh(socket);
  }

  function start() {
    if (!window.io) return;
    attach(window.jobfairSocket);
  }

  document.addEventListener("jobfair:socket", function (ev) {
    attach(ev.detail);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
