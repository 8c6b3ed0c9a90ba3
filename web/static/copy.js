// Citations: a "Copy" button beside each citation marked data-copy. Without
// JavaScript the citation is still text that one click selects whole (CSS
// user-select: all); the button only saves the keyboard shortcut.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (el) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy";
    // The words come from the page, in its language.
    b.textContent = el.getAttribute("data-copy-button") || "Copy";
    b.setAttribute("aria-label", el.getAttribute("data-copy") || "Copy the citation");
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        b.textContent = el.getAttribute("data-copied") || "Copied";
      }, function () {
        b.textContent = el.getAttribute("data-copy-failed") || "Select the text to copy";
      });
    });
    el.insertAdjacentElement("afterend", b);
  });
})();
