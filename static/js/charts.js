// Draws the Plotly figures a page carries as JSON (pmo/charts.py): <div data-chart="json-id">.
// A point whose customdata is a URL (or starts with one) opens it when clicked.
(function () {
  "use strict";

  // No mode bar: its buttons were focusable inside the chart's role="img" (an image has no controls) and
  // spoke English on French pages. A chart's data stand in the table beside it; its words in the page's
  // language (plotly-locale-fr.js).
  var LANGUAGE = (document.documentElement.lang || "en").slice(0, 2);
  var CONFIG = { displayModeBar: false, displaylogo: false, responsive: true, locale: LANGUAGE === "fr" ? "fr" : "en" };

  var NARROW = 576;

  function merge(into, from) {
    Object.keys(from).forEach(function (key) {
      var value = from[key];
      if (value && typeof value === "object" && !Array.isArray(value) && into[key] && typeof into[key] === "object") {
        merge(into[key], value);
      } else {
        into[key] = value;
      }
    });
    return into;
  }

  function urlOf(point) {
    var data = point && point.customdata;
    if (Array.isArray(data)) data = data[0];
    return typeof data === "string" && data.charAt(0) === "/" ? data : null;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    if (element.clientWidth < NARROW) {
      // A phone: the legend above the plot (below, it ran into the axis title) and what the figure
      // changes for a narrow screen (pmo/charts.py, narrow()).
      merge(figure.layout, { legend: { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom" } });
      merge(figure.layout, figure.narrow || {});
    }
    window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG).then(function () {
      element.classList.add("is-drawn");
      element.on("plotly_click", function (event) {
        var url = urlOf(event.points && event.points[0]);
        if (url) window.location.assign(url);
      });
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (element) {
      if (!element.classList.contains("is-drawn")) draw(element);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
