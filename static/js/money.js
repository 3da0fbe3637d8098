// The project money grid (finance:project_money): a stale grid answers 409 with the other user's values
// beside the ones typed, and a grid with errors answers its cells' messages: show them rather than drop them.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 409 || status === 400) && event.detail.target.closest("#money-grid")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
