/* The reschedule form (/o/<org>/loans/<id>/reschedule/): the hint of the longest new term
   ("ไม่เกิน N งวด") follows the period chosen — every week, month or year — from the hints the
   page carries for each (data-hints, in the page's language). The page works without this
   file: the check on submit uses the chosen period's limit all the same. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var every = document.getElementById("rs-every");
    var hint = document.getElementById("rs-term-hint");
    if (!every || !hint) return;
    var hints;
    try { hints = JSON.parse(hint.getAttribute("data-hints") || "{}"); } catch (e) { return; }
    function follow() { if (hints[every.value]) hint.textContent = hints[every.value]; }
    every.addEventListener("change", follow);
    follow();
  });
})();
