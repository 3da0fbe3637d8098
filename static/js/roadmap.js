// The roadmap's zoom buttons (planning/roadmap.html): each sets the timeline's x range (the quarter or the
// year of the date shown) or gives it back its whole extent. Buttons, so the keyboard reaches them.
(function () {
  "use strict";

  function zoom(group, button) {
    var chart = document.querySelector('[data-chart="' + group.dataset.roadmapZoom + '"]');
    if (!chart || !window.Plotly || !chart.classList.contains("is-drawn")) return;
    var range = button.dataset.range;
    window.Plotly.relayout(chart, range ? { "xaxis.range": range.split(",") } : { "xaxis.autorange": true });
    group.querySelectorAll("button").forEach(function (other) {
      var chosen = other === button;
      other.classList.toggle("active", chosen);
      other.setAttribute("aria-pressed", chosen ? "true" : "false");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-roadmap-zoom]").forEach(function (group) {
      group.querySelectorAll("button").forEach(function (button) {
        if (!button.hasAttribute("aria-pressed")) button.setAttribute("aria-pressed", "false");
        button.addEventListener("click", function () { zoom(group, button); });
      });
    });
  });
})();
