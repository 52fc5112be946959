// "Move up" and "Move down" buttons for the sections of the article form.
// They reorder the sections on screen and renumber their order fields
// (10, 20, 30 ...), which decide the order readers see once saved. Without
// JavaScript, editors change the order numbers by hand.
"use strict";

function setUpSectionOrder() {
  const group = document.getElementById("sections-group");
  if (!group) {
    return;
  }

  function sections() {
    return Array.from(
      group.querySelectorAll(".inline-related:not(.empty-form)")
    );
  }

  function renumber() {
    sections().forEach(function (section, index) {
      const order = section.querySelector("input[name$='-order']");
      if (order) {
        order.value = String((index + 1) * 10);
      }
    });
  }

  function move(section, step) {
    const all = sections();
    const target = all[all.indexOf(section) + step];
    if (!target) {
      return;
    }
    if (step < 0) {
      target.before(section);
    } else {
      target.after(section);
    }
    renumber();
    section.querySelector("button[data-step='" + step + "']").focus();
  }

  function addButtons(section) {
    const heading = section.querySelector("h3");
    if (!heading || heading.querySelector(".section-move")) {
      return;
    }
    [["Move up", -1], ["Move down", 1]].forEach(function ([label, step]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button section-move";
      button.textContent = label;
      button.dataset.step = String(step);
      button.addEventListener("click", function () {
        move(section, step);
      });
      heading.append(" ", button);
    });
  }

  sections().forEach(addButtons);
  document.addEventListener("formset:added", function (event) {
    if (event.target.closest("#sections-group")) {
      addButtons(event.target);
      renumber();
    }
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setUpSectionOrder);
} else {
  setUpSectionOrder();
}
