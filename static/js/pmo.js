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
    openHistoryTabFromLink();
  });

  // An object's page opened at #history shows its History tab (a link can point there), and the
  // address follows the tab the reader picks, so that reloading or sharing keeps it.
  function openHistoryTabFromLink() {
    var tab = document.getElementById("history-tab");
    if (!tab || !window.bootstrap) {
      return;
    }
    if (window.location.hash === "#history") {
      window.bootstrap.Tab.getOrCreateInstance(tab).show();
    }
    document.querySelectorAll(".object-tabs [data-bs-toggle='tab']").forEach(function (button) {
      button.addEventListener("shown.bs.tab", function () {
        var here = window.location.pathname + window.location.search;
        window.history.replaceState(null, "", button === tab ? here + "#history" : here);
      });
    });
  }
})();
