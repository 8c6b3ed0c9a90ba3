// Story mode: the left and right arrow keys follow the previous and next
// links, as the links themselves do without JavaScript. Keys typed into a
// field, or pressed with a modifier, are left alone.
(function () {
  "use strict";
  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var rel = ev.key === "ArrowLeft" ? "prev" : ev.key === "ArrowRight" ? "next" : "";
    if (!rel) return;
    var a = document.querySelector("[data-story-nav] a[rel=" + rel + "]");
    if (!a) return;
    ev.preventDefault();
    window.location.assign(a.href);
  });
})();
