// Accessible names for fields that the admin's scripts draw after the page
// loads: the rich-text editor's writing area and the search box of a
// multiple-choice search field. Each takes the name of the field it belongs to.
"use strict";

(function () {
  function labelFor(element) {
    const row = element.closest(".form-row, .fieldBox, td, .related-widget-wrapper");
    const field = row && row.querySelector("textarea[id], select[id], input[id]");
    const label = field && document.querySelector(`label[for="${field.id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function name(root) {
    root.querySelectorAll(".prose-editor [contenteditable]").forEach((area) => {
      if (!area.hasAttribute("aria-label")) {
        area.setAttribute("aria-label", labelFor(area) || "Text");
        area.setAttribute("aria-multiline", "true");
      }
    });
    // A search-as-you-type choice shows its chosen value as its name; with
    // nothing chosen it needs the field's own.
    const boxes = ".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]";
    root.querySelectorAll(boxes).forEach((box) => {
      if (!box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", labelFor(box) || "Choose");
      }
    });
    root.querySelectorAll(".select2-search__field").forEach((search) => {
      if (!search.hasAttribute("aria-label")) {
        const label = labelFor(search);
        search.setAttribute("aria-label", label ? `Search ${label.toLowerCase()}` : "Search");
      }
    });
  }

  function start() {
    name(document);
    new MutationObserver(() => name(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
