// A form is sent once per click: a second click (a double click, an impatient one) while the
// first is on its way would send it again, and the page then shows the second answer — "you
// have that token already", "someone else saved this" — about the first click's own save.
// Sent again only after RESEND_MS, in case the first never arrived, or once the page is shown
// again from the browser's back-forward cache.
(function () {
  "use strict";
  var RESEND_MS = 10000;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.target && form.target !== "_self") return;
    var sentAt = Number(form.getAttribute("data-sent-at") || 0);
    if (sentAt && Date.now() - sentAt < RESEND_MS) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent-at", String(Date.now()));
    form.setAttribute("aria-busy", "true");
  });
  // No box cuts what is pasted into it: the server checks the length, says so and keeps
  // every character (a browser cuts to `maxlength` without a word).
  function uncapBoxes() {
    document.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(function (box) {
      box.removeAttribute("maxlength");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", uncapBoxes);
  } else {
    uncapBoxes();
  }
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent-at]").forEach(function (form) {
      form.removeAttribute("data-sent-at");
      form.removeAttribute("aria-busy");
    });
  });
})();
