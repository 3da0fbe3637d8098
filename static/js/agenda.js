// The meeting's preparation page: after the agenda panel is swapped by htmx,
// keep the keyboard focus where the user was working (htmx restores it by id
// when it can; a button that became disabled hands it to its item instead).
(function () {
  "use strict";

  document.body.addEventListener("htmx:afterSettle", function () {
    var panel = document.getElementById("agenda-panel");
    if (!panel || (document.activeElement && document.activeElement !== document.body && panel.contains(document.activeElement))) {
      return;
    }
    var wanted = panel.dataset.focus;
    var target = wanted ? document.getElementById(wanted) : null;
    if (target && target.disabled) {
      target = document.getElementById(wanted.replace(/-(up|down)$/, "-row"));
    }
    if (target) {
      target.focus();
    }
  });
})();
