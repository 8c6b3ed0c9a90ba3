// Error summaries (views.ErrorSummary) link to the fields with problems.
// Following such a link scrolls to the field but leaves the keyboard focus
// behind; this moves the focus into the field (the first control of a group),
// with its label in view. Without JavaScript the link still scrolls there.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest(".error-summary a[href^='#']");
    if (!a) return;
    var el = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (!el) return;
    var sel = "input:not([type=hidden]), select, textarea, button";
    var control = el.matches(sel) ? el : el.querySelector(sel);
    if (!control) return;
    ev.preventDefault();
    (control.closest(".field") || el).scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
    if (ev.detail === 0) {
      // The link was followed with Enter: that key's keypress may still
      // reach the field, where it would send the form. Let it pass once.
      var swallow = function (k) { if (k.key === "Enter") k.preventDefault(); };
      control.addEventListener("keypress", swallow, { once: true });
      control.addEventListener("keyup", function () { control.removeEventListener("keypress", swallow); }, { once: true });
    }
  });
})();
