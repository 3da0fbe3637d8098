// The plan page (portfolio/project_plan.html): keyboard help for the rows edited in place.
(function () {
  "use strict";

  // A row opened for editing or deleting takes the focus on its first field; Escape in it cancels.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var editor = event.target.closest && event.target.closest("[data-plan-editor]");
    var cancel = editor && editor.querySelector("[data-plan-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });

  // A conflict (409) answers the form with the current values: show it rather than drop it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409 && event.detail.target.closest("#plan-milestones")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  var lastFocused = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    lastFocused = active && active.id ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document;
    var editor = root.matches && root.matches("[data-plan-editor]") ? root : null;
    var marked = document.querySelector("#plan-milestones [data-plan-focus]");
    var target = null;
    if (editor) {
      target = editor.querySelector("input:not([type=hidden]):not([disabled]), select");
    } else if (marked) {
      target = marked.matches("tbody") ? marked.querySelector("input:not([type=hidden]), select") : marked;
    } else if (lastFocused) {
      // A move: the same button, or its pair once the row reached the top or the bottom.
      var same = document.getElementById(lastFocused);
      if (same && same.disabled) {
        target = same.parentNode.querySelector("button:not([disabled])");
      }
    }
    lastFocused = null;
    if (target) target.focus();
  });
})();
