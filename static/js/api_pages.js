// The read API's browsable pages (Django REST framework's template, and Swagger UI's): what
// their own markup leaves out for a screen reader or a keyboard (WCAG 3.1.1, 4.1.2, 2.1.1).
(function () {
  "use strict";
  document.documentElement.lang = "en-GB";
  document.querySelectorAll("button.dropdown-toggle, .format-selection button").forEach(function (button) {
    if (!button.textContent.trim() && !button.getAttribute("aria-label")) {
      button.setAttribute("aria-label", "Format");
    }
  });
  document.querySelectorAll("pre").forEach(function (box) {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Response");
  });
})();
