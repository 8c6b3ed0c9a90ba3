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
    b.textContent = "Copy";
    b.setAttribute("aria-label", "Copy the " + (el.getAttribute("data-copy") || "citation"));
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        b.textContent = "Copied";
      }, function () {
        b.textContent = "Select the text to copy";
      });
    });
    el.insertAdjacentElement("afterend", b);
  });
})();
