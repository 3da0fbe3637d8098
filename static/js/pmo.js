// Behaviour shared by every page. No inline scripts anywhere: the Content
// Security Policy allows only the app's own files.
(function () {
  "use strict";

  // Put the keyboard focus on the first field with an error, so a user who
  // submitted a form with mistakes lands where the fix is needed.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector(".is-invalid");
    if (invalid) {
      invalid.focus();
    }
  });
})();
