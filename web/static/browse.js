// The chronology, kept steady while htmx swaps it after a filter change:
// panels (Actors, Tags, exports) stay as the reader left them, and lists
// keep their scroll position. On a phone the filters sit behind a button
// that shows them above the results; without this script the button is a
// link to the filters below the results.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js-filters");
  var kept = null;
  document.addEventListener("htmx:beforeSwap", function (ev) {
    if (!ev.detail.target || ev.detail.target.id !== "browse") return;
    kept = { open: {}, scroll: {} };
    document.querySelectorAll("#browse details[id]").forEach(function (d) { kept.open[d.id] = d.open; });
    document.querySelectorAll("#browse [data-keep-scroll]").forEach(function (e) { kept.scroll[e.dataset.keepScroll] = e.scrollTop; });
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!kept) return;
    Object.keys(kept.open).forEach(function (id) {
      var d = document.getElementById(id);
      if (d && d.tagName === "DETAILS") d.open = kept.open[id];
    });
    document.querySelectorAll("#browse [data-keep-scroll]").forEach(function (e) {
      var top = kept.scroll[e.dataset.keepScroll];
      if (top) e.scrollTop = top;
    });
    kept = null;
    syncButton();
  });
  function syncButton() {
    var b = document.querySelector("[data-filters-toggle]");
    if (b) b.setAttribute("aria-expanded", root.classList.contains("filters-open") ? "true" : "false");
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-filters-toggle]");
    if (!b) return;
    ev.preventDefault();
    root.classList.toggle("filters-open");
    syncButton();
    if (root.classList.contains("filters-open")) {
      var f = document.getElementById("filters");
      if (f) f.focus({ preventScroll: true });
    }
  });
  document.addEventListener("DOMContentLoaded", syncButton);
})();
