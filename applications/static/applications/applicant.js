/* Small GOV.UK behaviours for applicant pages, as a file (the CSP forbids inline scripts):
 * - move focus to the error summary when a page comes back with errors, so screen-reader
 *   users hear it first;
 * - a button marked data-prevent-double-click ignores a second click within 2 seconds
 *   (the server makes a double submission harmless anyway: this just avoids the wait). */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-prevent-double-click]"), function (button) {
    var last = 0;
    button.addEventListener("click", function (event) {
      var now = Date.now();
      if (now - last < 2000) { event.preventDefault(); return; }
      last = now;
    });
  });
})();
