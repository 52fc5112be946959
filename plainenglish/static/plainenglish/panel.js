// The Plain English panel of the article form: while the editor types, post the
// sections as they are in the form and show their scores and checks, without
// reloading the page. Nothing is saved by this; scores are kept when the
// article is saved.
(function () {
  "use strict";
  var WAIT_MS = 1000;

  function start() {
    var panel = document.getElementById("plain-english");
    var form = panel && panel.closest("form");
    if (!panel || !form) {
      return;
    }
    var results = document.getElementById("plain-english-results");
    var status = document.getElementById("plain-english-status");
    var timer = null;
    var running = null;

    function sectionForms() {
      return Array.prototype.filter.call(
        form.querySelectorAll(".inline-related"),
        function (element) {
          return element.querySelector('textarea[name^="sections-"][name$="-body"]') &&
            !element.classList.contains("empty-form") &&
            !/__prefix__/.test(element.id);
        }
      );
    }

    function value(element, suffix) {
      var field = element.querySelector('[name^="sections-"][name$="-' + suffix + '"]');
      return field ? field.value : "";
    }

    function isDeleted(element) {
      var box = element.querySelector('input[name$="-DELETE"]');
      return box ? box.checked : false;
    }

    function collect() {
      var kept = sectionForms().filter(function (element) { return !isDeleted(element); });
      return kept.map(function (element, index) {
        var order = parseInt(value(element, "order"), 10);
        return {
          element: element,
          order: isNaN(order) ? index : order,
          index: index,
          section: {
            heading: value(element, "heading"),
            anchor: value(element, "anchor"),
            body: value(element, "body")
          }
        };
      }).sort(function (a, b) { return a.order - b.order || a.index - b.index; });
    }

    function showBeside(items, sections) {
      items.forEach(function (item, index) {
        var note = item.element.querySelector(".plain-english-inline");
        if (!note) {
          note = document.createElement("p");
          note.className = "plain-english-inline help";
          item.element.appendChild(note);
        }
        var result = sections[index];
        if (!result) {
          note.textContent = "";
          return;
        }
        var scores = result.scores;
        var parts = [
          scores.reading_age === null ? "reading age not scored" : "reading age " + scores.reading_age
        ];
        if (scores.longest_sentence_words) {
          parts.push("longest sentence " + scores.longest_sentence_words + " words");
        }
        parts.push(result.findings.length + " check" +
          (result.findings.length === 1 ? "" : "s") + " to look at");
        note.textContent = "Plain English: " + parts.join(" · ") + ".";
      });
    }

    function check() {
      var items = collect();
      var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
      var article = panel.getAttribute("data-article");
      if (running) {
        running.abort();
      }
      running = new AbortController();
      status.textContent = "Checking…";
      fetch(panel.getAttribute("data-url"), {
        method: "POST",
        credentials: "same-origin",
        signal: running.signal,
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": token ? token.value : ""
        },
        body: JSON.stringify({
          article: article ? parseInt(article, 10) : null,
          sections: items.map(function (item) { return item.section; })
        })
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error(data.error || "The check did not work.");
          }
          return data;
        });
      }).then(function (data) {
        // Rendered by the site's own template, with every value escaped.
        results.innerHTML = data.html;
        showBeside(items, data.sections);
        var age = data.summary.reading_age;
        status.textContent = "Checked as you typed: reading age " +
          (age === null ? "not scored" : age) + ". Save to keep these scores.";
      }).catch(function (error) {
        if (error.name !== "AbortError") {
          status.textContent = "Could not check the text just now: " + error.message;
        }
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, WAIT_MS);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("keyup", later);
    if (!results.children.length) {
      later();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
