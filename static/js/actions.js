// Action state forms (My actions, an action's page): the completion note is
// asked for only when the action is being marked done. Without this script the
// note field simply stays visible.
(function () {
  "use strict";

  function sync(select) {
    var form = select.closest("form");
    var note = form && form.querySelector("[data-completion-note]");
    if (note) {
      var hasError = note.querySelector(".is-invalid") !== null;
      // Asked for when the action is being marked done; an action already done keeps its note
      // on its own page rather than a second copy here.
      var markingDone = select.value === "done" && select.dataset.current !== "done";
      note.hidden = !markingDone && !hasError;
    }
  }

  function init(root) {
    root.querySelectorAll("select[data-action-state]").forEach(sync);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-action-state]")) {
      sync(event.target);
      if (event.target.value === "done") {
        var note = event.target.closest("form").querySelector("[data-completion-note] textarea");
        if (note) {
          note.focus();
        }
      }
    }
  });

  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  }
})();
