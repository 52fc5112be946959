// Safety nets on the article edit form.
//
// 1. Leaving the page with unsaved changes (a link, Back, closing the tab) asks
//    the browser's "Leave site?" question; saving the form does not.
// 2. Who else has this article open: the form checks in every 20 seconds and
//    shows the names the server returns, without reloading the page.
// 3. After a refused save, typing in a field ticks "Keep mine" for it.
"use strict";

(function () {
  const CHECK_IN_EVERY = 20000;

  function formState(form) {
    const values = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        values.push([name, typeof value === "string" ? value : value.name]);
      }
    });
    return JSON.stringify(values);
  }

  function warnBeforeLeaving(form) {
    // Taken once every script has set up its fields (the rich-text editor
    // writes to its field only when someone types).
    const saved = formState(form);
    // A refused save: what the editor typed is in the form, not yet saved.
    const refused = document.querySelector("[data-unsaved='true']") !== null;
    let submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || (!refused && formState(form) === saved)) {
        return;
      }
      event.preventDefault();
      // Older browsers show the question only when this is set.
      event.returnValue = "";
    });
  }

  function showWhoElse(form) {
    const notice = document.getElementById("editing-presence");
    if (!notice || !notice.dataset.url) {
      return;
    }
    const token = form.querySelector("[name='csrfmiddlewaretoken']");

    function payload(extra) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token ? token.value : "");
      if (extra) {
        data.append(extra, "1");
      }
      return data;
    }

    function show(result) {
      notice.replaceChildren();
      result.others.forEach(function (other) {
        const line = document.createElement("p");
        line.textContent =
          other.name + " has had this article open since " + other.since + ".";
        notice.append(line);
      });
      notice.classList.toggle("is-shown", result.others.length > 0);
    }

    function checkIn() {
      fetch(notice.dataset.url, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (result) {
          if (result) {
            show(result);
          }
        })
        .catch(function () {
          // Offline for a moment: the next check-in tries again.
        });
    }

    checkIn();
    window.setInterval(checkIn, CHECK_IN_EVERY);
    window.addEventListener("pagehide", function () {
      if (navigator.sendBeacon) {
        navigator.sendBeacon(notice.dataset.url, payload("left"));
      }
    });
  }

  // After a refused save: typing in a field the colleague also changed means
  // keeping your own version of it, so its "Keep mine" button is ticked.
  function keepWhatIsTyped(form) {
    if (!document.getElementById("edit-conflict")) {
      return;
    }
    function choiceFor(name) {
      const section = /^sections-(\d+)-(heading|body)$/.exec(name || "");
      if (!section) {
        return "conflict-" + name;
      }
      const id = form.elements["sections-" + section[1] + "-id"];
      return id && id.value ? "conflict-section-" + id.value + "-" + section[2] : "";
    }
    form.addEventListener("input", function (event) {
      const name = choiceFor(event.target.name);
      if (!name || name.startsWith("conflict-conflict-")) {
        return;
      }
      const mine = Array.from(form.querySelectorAll("input[type='radio']")).find(
        function (radio) {
          return radio.name === name && radio.value === "mine";
        }
      );
      if (mine) {
        mine.checked = true;
      }
    });
    // Ticked by hand, "Take theirs" means theirs even for a field changed since.
    form.addEventListener("change", function (event) {
      if (event.target.value === "theirs-if-unchanged") {
        event.target.value = "theirs";
      }
    });
  }

  window.addEventListener("load", function () {
    const form = document.getElementById("article_form");
    if (!form) {
      return;
    }
    warnBeforeLeaving(form);
    showWhoElse(form);
    keepWhatIsTyped(form);
  });
})();
