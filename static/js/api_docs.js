// The read API's documentation (Swagger UI): what its markup leaves out for a screen reader,
// added as Swagger UI draws it (it draws the page, and each dialog when it opens): the
// Authorize dialog's close button, an icon with no name (WCAG 4.1.2).
(function () {
  "use strict";
  function nameControls(root) {
    root.querySelectorAll("button.close-modal:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Close");
    });
  }
  var docs = document.getElementById("swagger-ui");
  if (!docs) return;
  nameControls(docs);
  new MutationObserver(function () { nameControls(docs); }).observe(docs, { childList: true, subtree: true });
})();
