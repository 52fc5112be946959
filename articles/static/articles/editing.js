// Safety nets on the article edit form.
//
// 1. Leaving the page with unsaved changes (a link, Back, closing the tab) asks
//    the browser's "Leave site?" question; saving the form does not.
// 2. Who else has this article open: the form checks in every 20 seconds and
//    shows the names the server returns, without reloading the page.
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

  window.addEventListener("load", function () {
    const form = document.getElementById("article_form");
    if (!form) {
      return;
    }
    warnBeforeLeaving(form);
    showWhoElse(form);
  });
})();
