// A page sent back with errors (a form that was not saved, a conflict) opens at its error
// summary, which gets the focus, so nobody reads the old page above it as if it had saved.
(function () {
  "use strict";
  function focusErrors() {
    var summary = document.querySelector(".error-summary[role='alert']");
    if (!summary) return;
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrors);
  } else {
    focusErrors();
  }
})();
