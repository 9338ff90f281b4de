/* Collection day, progressively enhanced (the page works as plain forms without this file):
   - a ticked or changed row is saved into the day's draft as it changes: the rows changed
     since the last save go as one piece (the same POST as the page's own form, answered in
     JSON), under a key made once for that piece, so a piece resent after a dropped
     connection is recorded once; one piece at a time, retried until it goes through;
   - typing an amount ticks the row; Enter in an amount jumps to the next row;
   - the running total of the whole day comes back with every piece;
   - before htmx loads another page of members (search, village, page links), what is
     still unsaved is saved first. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  function satang(text) {
    var t = (text || "").replace(/[๐-๙]/g, function (d) { return String("๐๑๒๓๔๕๖๗๘๙".indexOf(d)); }).replace(/[,\s฿]/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(t)) return 0;
    var parts = t.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }
  function key() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  var english = (document.documentElement.lang || "th").indexOf("en") === 0;
  function say(th, en) { return english ? en : th; }

  var dirty = {};        /* member id → true: changed since its last save */
  var inflight = null;   /* the piece being sent: {key, body, ids} */
  var waiters = [];      /* callbacks for "everything is saved" */
  var timer = null;

  function form() { return document.getElementById("collect-form"); }
  function status(text) { var el = document.getElementById("collect-status"); if (el) el.textContent = text; }
  function pending() { return Object.keys(dirty).length + (inflight ? inflight.ids.length : 0); }

  function rowOf(el) { return el && el.closest ? el.closest("tr[data-member]") : null; }
  function mark(row, delay) {
    dirty[row.getAttribute("data-member")] = true;
    row.classList.remove("is-saved");
    schedule(delay);
  }
  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }
  function done() {
    if (inflight || Object.keys(dirty).length) return;
    var w = waiters; waiters = [];
    w.forEach(function (fn) { fn(); });
  }

  function flush() {
    timer = null;
    var f = form();
    if (inflight || !f) return;
    var ids = Object.keys(dirty);
    if (!ids.length) { done(); return; }
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", f.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("date", f.querySelector("[name=date]").value);
    ids.forEach(function (id) {
      var box = document.getElementById("paid-" + id);
      var amount = f.querySelector("[name='amt-" + id + "']");
      if (!box || !amount) return;
      body.append("m", id);
      if (box.checked) body.append("paid-" + id, "1");
      body.append("amt-" + id, amount.value);
      /* the row's savings deposits and loan repayments (pt-<member>-<part>-<ref>) */
      var row = document.querySelector("tr[data-member='" + id + "']");
      if (row) row.querySelectorAll("input.part").forEach(function (el) { body.append(el.name, el.value); });
    });
    dirty = {};
    inflight = {key: key(), body: body, ids: ids};
    inflight.body.append("token", inflight.key);
    send();
  }

  function send() {
    var f = form();
    var piece = inflight;
    status(say("กำลังบันทึก…", "saving…"));
    fetch(f ? f.action : location.pathname, {
      method: "POST", body: piece.body, credentials: "same-origin",
      headers: {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    }).then(function (r) {
      if (r.status >= 500 || r.status === 0) throw new Error("server");
      if ((r.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
        /* signed out, or the page's form is too old (CSRF): keep the rows, stop retrying */
        var e = new Error("refused"); e.refused = true; throw e;
      }
      return r.json().then(function (data) { return {ok: r.ok, data: data}; });
    }).then(function (answer) {
      inflight = null;
      var data = answer.data || {};
      var total = document.getElementById("collect-total");
      if (data.running && total) total.textContent = data.running;
      var problems = data.problems || {};
      var notices = data.notices || {};  /* what a saved row does beyond what it names: a loan's surplus into savings */
      var refused = 0;
      piece.ids.forEach(function (id) {
        var row = document.querySelector("tr[data-member='" + id + "']");
        if (!row) return;
        var found = problems[id] || [];
        if (found.length) {
          /* the server kept nothing of this row: untick it, as a reload would show it */
          refused += 1;
          var tick = row.querySelector("input[type=checkbox]");
          if (tick) tick.checked = false;
        }
        row.classList.toggle("has-problem", found.length > 0);
        row.classList.toggle("is-saved", !found.length && (data.saved || []).map(String).indexOf(id) !== -1 && !dirty[id]);
        var box = row.querySelector(".row-problems");
        if (box) box.textContent = found.join(" · ");
        var notes = row.querySelector(".row-notices");
        if (notes) notes.textContent = (notices[id] || []).join(" · ");
      });
      var general = problems[""] || [];
      if (refused) general = general.concat([say("ไม่ได้บันทึก " + refused + " แถว: แก้ตามข้อความในแถวแล้วติ๊กใหม่",
                                                  refused + " rows not saved: fix them as each row says, then tick again")]);
      status(general.length ? general.join(" · ") : say("บันทึกแล้ว", "saved"));
      if (Object.keys(dirty).length) schedule(300); else done();
    }).catch(function (err) {
      if (err && err.refused) {
        inflight = null;
        piece.ids.forEach(function (id) { dirty[id] = true; });
        status(say("ยังไม่ได้บันทึก " + pending() + " แถว: กด \u201cบันทึกหน้านี้\u201d (อาจต้องเข้าสู่ระบบใหม่)",
                   pending() + " rows not saved: press \u201cSave this page\u201d (you may need to sign in again)"));
        return;
      }
      /* no answer: the same piece, with the same key, again in a moment */
      status(say("ยังไม่ได้บันทึก " + pending() + " แถว (ไม่มีสัญญาณ) จะลองใหม่", pending() + " rows not saved yet (no connection), retrying"));
      setTimeout(send, 3000);
    });
  }

  function whenSaved(fn) {
    if (!inflight && !Object.keys(dirty).length) { fn(); return; }
    waiters.push(fn);
    if (timer) { clearTimeout(timer); timer = null; }
    if (!inflight) flush();
  }

  ready(function () {
    document.addEventListener("change", function (e) {
      var row = rowOf(e.target);
      if (row && e.target.type === "checkbox") mark(row, 400);
    });
    document.addEventListener("input", function (e) {
      var row = rowOf(e.target);
      if (!row || !e.target.classList.contains("amount")) return;
      var box = row.querySelector("input[type=checkbox]");
      var sum = 0;
      row.querySelectorAll("input.amount").forEach(function (el) { sum += satang(el.value); });
      box.checked = sum > 0;
      var shown = row.querySelector(".row-total span");
      if (shown) shown.textContent = (sum / 100).toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
      mark(row, 1200);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      if (e.target.id === "collect-filter") {
        e.preventDefault();  /* filtering is live; Enter goes to the first row shown */
        var first = document.querySelector("#collect-form input.amount");
        if (first) { first.focus(); first.select(); }
        return;
      }
      var row = rowOf(e.target);
      if (!row || !e.target.classList.contains("amount")) return;
      e.preventDefault();
      var inRow = Array.prototype.slice.call(row.querySelectorAll("input.amount"));
      var at = inRow.indexOf(e.target);
      if (at >= 0 && at < inRow.length - 1) { inRow[at + 1].focus(); inRow[at + 1].select(); return; }
      var next = row.nextElementSibling;
      while (next && !next.querySelector("input.amount")) next = next.nextElementSibling;
      if (next) { next.querySelector("input.amount").focus(); next.querySelector("input.amount").select(); }
      else { var filter = document.getElementById("collect-filter"); if (filter) { filter.focus(); filter.select(); } }
    });
    /* The page's own buttons post the whole page as one piece: first let the pieces in flight land. */
    document.addEventListener("submit", function (e) {
      if (e.target.id !== "collect-form" || e.target.dataset.ready) return;
      if (!inflight && !Object.keys(dirty).length) return;
      e.preventDefault();
      var submitter = e.submitter;
      dirty = {};  /* the whole page goes with the form */
      if (timer) { clearTimeout(timer); timer = null; }
      var target = e.target;
      /* (a form ignores requestSubmit while its own submit event is being dispatched) */
      whenSaved(function () { setTimeout(function () { target.dataset.ready = "1"; target.requestSubmit(submitter); }, 0); });
    });
    /* htmx loads another page of members only once this one is saved */
    document.body.addEventListener("htmx:confirm", function (e) {
      if (!inflight && !Object.keys(dirty).length) return;
      e.preventDefault();
      whenSaved(function () { e.detail.issueRequest(true); });
    });
    window.addEventListener("beforeunload", function (e) {
      if (pending()) { e.preventDefault(); e.returnValue = ""; }
    });
  });
})();
