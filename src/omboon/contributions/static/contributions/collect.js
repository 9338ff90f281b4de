/* Collection day, progressively enhanced (the form works without this file):
   - the search box filters the rows as you type (number, name, moo);
   - typing an amount ticks the row; Enter in an amount jumps to the next visible row;
   - the running total of ticked rows is shown next to the save button. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  function satang(text) {
    var t = (text || "").replace(/[๐-๙]/g, function (d) { return String("๐๑๒๓๔๕๖๗๘๙".indexOf(d)); }).replace(/[,\s฿]/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(t)) return 0;
    var parts = t.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }
  function baht(s) {
    var whole = Math.floor(s / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return whole + "." + ("0" + (s % 100)).slice(-2);
  }
  ready(function () {
    var form = document.getElementById("collect-form");
    if (!form) return;
    var filter = document.getElementById("collect-filter");
    var rows = Array.prototype.slice.call(form.querySelectorAll("tbody tr"));
    var totalEl = document.getElementById("collect-total");
    function refresh() {
      var n = 0, sum = 0;
      rows.forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        var amount = row.querySelector("input.amount");
        row.classList.toggle("is-paid", box.checked);
        if (box.checked) { n += 1; sum += satang(amount.value); }
      });
      totalEl.textContent = "จ่ายแล้ว " + n + " คน รวม " + baht(sum) + " บาท / " + n + " paid, " + baht(sum) + " baht";
    }
    if (filter) {
      filter.addEventListener("input", function () {
        var words = filter.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
        rows.forEach(function (row) {
          var text = row.getAttribute("data-search") || "";
          row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
        });
      });
      filter.addEventListener("keydown", function (e) {
        if (e.key !== "Enter") return;
        e.preventDefault();  /* filtering is live; Enter goes to the first row shown */
        var first = rows.filter(function (r) { return !r.hidden; })[0];
        if (first) { first.querySelector("input.amount").focus(); first.querySelector("input.amount").select(); }
      });
    }
    rows.forEach(function (row, i) {
      var box = row.querySelector("input[type=checkbox]");
      var amount = row.querySelector("input.amount");
      amount.addEventListener("input", function () { box.checked = satang(amount.value) > 0; refresh(); });
      box.addEventListener("change", refresh);
      amount.addEventListener("keydown", function (e) {
        if (e.key !== "Enter") return;
        e.preventDefault();
        if (satang(amount.value) > 0) box.checked = true;
        refresh();
        for (var j = i + 1; j < rows.length; j++) {
          if (!rows[j].hidden) { rows[j].querySelector("input.amount").focus(); rows[j].querySelector("input.amount").select(); return; }
        }
        if (filter) { filter.focus(); filter.select(); }
      });
    });
    refresh();
  });
})();
