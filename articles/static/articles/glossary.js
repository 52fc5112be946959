/*
 * Medical words explained, beside the word. A marked word is a link to its
 * explanation in the list at the end of the page, which works with no
 * JavaScript. With it, choosing the word (click, tap or Enter) shows the
 * explanation just after the word instead; choosing it again or pressing
 * Escape closes it.
 */
(function () {
  "use strict";

  var open = null;

  function close(returnFocus) {
    if (!open) {
      return;
    }
    var link = open.link;
    open.tip.remove();
    link.removeAttribute("aria-expanded");
    open = null;
    if (returnFocus) {
      link.focus();
    }
  }

  function show(link, text) {
    var tip = document.createElement("span");
    tip.className = "glossary-tip";
    tip.setAttribute("role", "status");
    link.insertAdjacentElement("afterend", tip);
    link.setAttribute("aria-expanded", "true");
    open = { link: link, tip: tip };
    // Filled once in the page, so that screen readers announce it.
    window.setTimeout(function () {
      tip.textContent = text;
      // A word near the bottom of the screen would hide it below the fold.
      tip.scrollIntoView({ block: "nearest" });
    }, 50);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.glossary-term");
    if (!link) {
      if (open && !open.tip.contains(event.target)) {
        close(false);
      }
      return;
    }
    var definition = document.getElementById(
      link.getAttribute("href").slice(1) + "-text"
    );
    if (!definition) {
      return; // Follow the link to the list instead.
    }
    event.preventDefault();
    var again = open && open.link === link;
    close(false);
    if (!again) {
      show(link, definition.textContent.trim());
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close(true);
    }
  });
})();
