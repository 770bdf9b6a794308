/* 直播带岗 room: chat with backfill after reconnects, Q&A, pinned cards, live counters. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.querySelector(".live-room[data-session-id]");
  if (!root || !window.LiveCore) return;
  var L = window.LiveCore;
  var NS = "/session";
  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var isHost = root.getAttribute("data-host") === "1";
  var isSeeker = root.getAttribute("data-role") === "seeker";
  var list = root.querySelector("[data-messages]");
  var qlist = root.querySelector("[data-questions]");
  var pins = root.querySelector("[data-pins]");
  var annList = root.querySelector("[data-announcements]");
  var pending = {};

  var annSeqs = {};  /* scope ("fair:1", "session:2") → its sequence */
  Array.prototype.forEach.call(annList.querySelectorAll("li[data-seq]"), function (li) {
    var scope = li.getAttribute("data-scope"), n = parseInt(li.getAttribute("data-seq"), 10) || 0;
    announcementsOf(scope, n);
  });

  function addMessage(m) {
    if (list.querySelector('li[data-id="' + m.id + '"]')) return;
    var li = L.el("li", "live-msg" + (m.deleted ? " is-deleted" : ""));
    li.setAttribute("data-id", m.id);
    var meta = L.el("span", "live-msg-meta");
    meta.appendChild(L.el("span", "live-author", m.author));
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(L.el("time", "", m.time));
    li.appendChild(meta);
    li.appendChild(L.el("span", "live-msg-body" + (m.deleted ? " muted" : ""), m.deleted ? "该消息已被主办方删除" : m.body));
    if (!m.deleted) {
      var tools = L.el("span", "live-msg-tools");
      var report = L.el("button", "link-button small-link", "举报");
      report.type = "button";
      report.setAttribute("data-report", m.id);
      tools.appendChild(report);
      if (isHost) {
        var del = L.el("button", "link-button small-link", "删除");
        del.type = "button";
        del.setAttribute("data-delete", m.id);
        tools.appendChild(del);
      }
      li.appendChild(tools);
    }
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  var messages = L.sequence(parseInt(root.getAttribute("data-last-seq"), 10) || 0, addMessage,
    function (after, done) {
      L.request(NS, "backfill", { session_id: sessionId, after_seq: after }, function (ack) {
        done(ack.ok ? ack.messages : null, ack.more);
      });
    });

  function announcementsOf(scope, last) {
    if (!annSeqs[scope]) {
      annSeqs[scope] = L.sequence(last || 0, addAnnouncement, function (after, done) {
        L.request(NS, "announcements", { session_id: sessionId, scope: scope, after_seq: after },
          function (ack) { done(ack.ok ? ack.announcements : null, ack.more); });
      });
    } else if (last > annSeqs[scope].last) {
      annSeqs[scope].last = last;
    }
    return annSeqs[scope];
  }

  function markDeleted(m) {
    var li = list.querySelector('li[data-id="' + m.id + '"]');
    if (!li) return;
    li.className = "live-msg is-deleted";
    var body = li.querySelector(".live-msg-body");
    if (body) { body.textContent = "该消息已被主办方删除"; body.className = "live-msg-body muted"; }
    var tools = li.querySelector(".live-msg-tools, .live-report");
    if (tools) tools.remove();
  }

  function renderQuestion(q) {
    var li = qlist.querySelector('li[data-id="' + q.id + '"]');
    if (q.deleted) { if (li) li.remove(); return; }
    if (!li) { li = L.el("li"); li.setAttribute("data-id", q.id); qlist.appendChild(li); }
    while (li.firstChild) li.removeChild(li.firstChild);
    li.className = q.answered ? "is-answered" : "";
    li.appendChild(L.el("span", "live-q-body", q.body));
    var meta = L.el("span", "meta", q.author + " · 赞 ");
    var votes = L.el("span", "", q.votes);
    votes.setAttribute("data-votes", "");
    meta.appendChild(votes);
    if (q.answered) meta.appendChild(document.createTextNode(" · 已回答"));
    li.appendChild(meta);
    var tools = L.el("span", "live-msg-tools");
    if (!q.answered) {
      var up = L.el("button", "button small", q.voted ? "已赞" : "👍 赞");
      up.type = "button";
      up.setAttribute("data-vote", q.id);
      if (q.voted) up.disabled = true;
      tools.appendChild(up);
      if (isHost) {
        var ans = L.el("button", "button small", "标记已回答");
        ans.type = "button";
        ans.setAttribute("data-answer", q.id);
        tools.appendChild(ans);
      }
    }
    li.appendChild(tools);
  }

  function renderPins(items) {
    while (pins.firstChild) pins.removeChild(pins.firstChild);
    items.forEach(function (pin) {
      var li = L.el("li", "live-pin card");
      li.setAttribute("data-pin", pin.id);
      var h = L.el("h3");
      var a = L.el("a", "", pin.position.title);
      a.href = pin.position.url;
      h.appendChild(a);
      li.appendChild(h);
      li.appendChild(L.el("p", "meta", pin.position.employer + " · " + pin.position.salary_min + "–" + pin.position.salary_max + " 元/月"));
      var tools = L.el("p", "actions");
      if (isSeeker && pin.position.accepts_applications !== false) {
        var b = L.el("button", "button primary small", "一键投递");
        b.type = "button";
        b.setAttribute("data-apply", pin.id);
        tools.appendChild(b);
      }
      if (isHost) {
        var u = L.el("button", "button small", "取消置顶");
        u.type = "button";
        u.setAttribute("data-unpin", pin.id);
        tools.appendChild(u);
      }
      li.appendChild(tools);
      pins.appendChild(li);
    });
    var empty = root.querySelector("[data-pins-empty]");
    if (empty) empty.hidden = items.length > 0;
  }

  function addAnnouncement(a) {
    if (annList.querySelector('li[data-id="' + a.id + '"]')) return;
    var li = L.el("li", "is-new");
    li.setAttribute("data-id", a.id);
    li.appendChild(L.el("time", "", a.time));
    li.appendChild(document.createTextNode(" " + a.body));
    annList.appendChild(li);
  }

  function setCounters(c) {
    ["viewers_online", "viewers_total", "applications"].forEach(function (k) {
      var el = root.querySelector('[data-counter="' + k + '"]');
      if (el && c[k] !== undefined) el.textContent = c[k];
    });
  }

  var s = L.onConnect(NS, function () {
    var seqs = {};
    Object.keys(annSeqs).forEach(function (k) { seqs[k] = annSeqs[k].last; });
    L.request(NS, "join", {
      session_id: sessionId, last_seq: messages.last, announcement_seqs: seqs
    }, function (ack) {
      if (!ack.ok) return;
      messages.page(ack.messages, ack.more_messages);
      while (qlist.firstChild) qlist.removeChild(qlist.firstChild);
      ack.questions.forEach(renderQuestion);
      renderPins(ack.pins);
      ack.announcements.forEach(function (a) { announcementsOf(a.scope).take(a); });
      if (ack.more_announcements) Object.keys(annSeqs).forEach(function (k) { annSeqs[k].fill(); });
      setCounters(ack.counters);
      Object.keys(pending).forEach(function (cid) { send(pending[cid], cid); });
    });
  });
  if (!s) return;
  s.on("message", function (m) { messages.take(m); });
  s.on("message_deleted", markDeleted);
  s.on("question", renderQuestion);
  s.on("pins", function (d) { renderPins(d.pins); });
  s.on("announcement", function (a) { announcementsOf(a.scope).take(a); });
  s.on("counters", setCounters);
  s.on("session_status", function (d) {
    var tag = root.querySelector("[data-session-status]");
    if (tag) tag.textContent = { scheduled: "未开始", live: "直播中", ended: "已结束" }[d.status] || d.status;
    if (window.LivePlayer) window.LivePlayer.status(d.status);
  });

  /* A message keeps its client id until the server acknowledges it, so a resend after a
     dropped connection is stored once. */
  function send(body, cid) {
    cid = cid || L.clientId();
    pending[cid] = body;
    L.request(NS, "send", { session_id: sessionId, client_id: cid, body: body }, function (ack) {
      if (ack.ok) { delete pending[cid]; messages.take(ack.message); }
      else if (ack.error) { delete pending[cid]; }
    });
  }

  var form = root.querySelector("[data-send]");
  if (form) {
    form.hidden = false;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var ta = form.querySelector("textarea");
      var body = ta.value.trim();
      if (!body) return;
      if (body.length > 500) { L.showError("消息不能超过 500 个字。"); return; }
      send(body);
      ta.value = "";
    });
  }
  var ask = root.querySelector("[data-ask]");
  if (ask) {
    ask.hidden = false;
    ask.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var ta = ask.querySelector("textarea");
      var body = ta.value.trim();
      if (!body) return;
      L.request(NS, "ask", { session_id: sessionId, client_id: L.clientId(), body: body }, function (ack) {
        if (ack.ok) { ta.value = ""; renderQuestion(ack.question); }
      });
    });
  }
  var pinForm = root.querySelector("[data-pin-form]");
  if (pinForm) {
    pinForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var input = pinForm.querySelector("input");
      L.request(NS, "pin", { session_id: sessionId, position_id: input.value }, function (ack) {
        if (ack.ok) input.value = "";
      });
    });
  }

  root.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;
    var id;
    if ((id = t.getAttribute("data-vote"))) {
      L.request(NS, "vote", { question_id: id }, function (ack) { if (ack.ok) renderQuestion(ack.question); });
    } else if ((id = t.getAttribute("data-answer"))) {
      L.request(NS, "answer", { question_id: id });
    } else if ((id = t.getAttribute("data-apply"))) {
      t.disabled = true;
      L.request(NS, "apply", { pin_id: id }, function (ack) {
        t.textContent = ack.ok ? "已投递" : "一键投递";
        t.disabled = !!ack.ok;
      });
    } else if ((id = t.getAttribute("data-unpin"))) {
      L.request(NS, "unpin", { pin_id: id });
    } else if ((id = t.getAttribute("data-delete"))) {
      L.request(NS, "delete", { message_id: id });
    } else if ((id = t.getAttribute("data-report")) && t.type === "button") {
      L.request(NS, "report", { message_id: id, reason: "" }, function (ack) {
        if (ack.ok) { t.textContent = "已举报"; t.disabled = true; }
      });
    }
  });
});
