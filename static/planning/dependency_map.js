// The dependency map: draws the graph whose data the page holds in #dependency-map-data (json_script),
// with vis-network (served by the app). Broken edges red and thicker, awaiting acceptance dashed;
// a visible project's node opens its page. The table under the graph lists the same edges.
(function () {
  "use strict";
  var container = document.getElementById("dependency-map");
  var source = document.getElementById("dependency-map-data");
  if (!container || !source || typeof vis === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var css = getComputedStyle(document.documentElement);
  var red = css.getPropertyValue("--bs-danger").trim() || "#dc3545";
  var grey = css.getPropertyValue("--bs-secondary").trim() || "#6c757d";
  var blue = css.getPropertyValue("--bs-primary").trim() || "#0d6efd";

  var nodes = data.nodes.map(function (node) {
    return {
      id: node.id,
      label: node.label,
      title: node.title || node.label,
      url: node.url || "",
      shape: "box",
      color: node.hidden
        ? { background: "#e9ecef", border: grey }
        : { background: "#ffffff", border: blue },
      font: { color: node.hidden ? grey : "#212529" },
    };
  });
  var edges = data.edges.map(function (edge) {
    return {
      id: edge.id,
      from: edge.from,
      to: edge.to,
      title: edge.title,
      arrows: "to",
      dashes: !edge.accepted,
      width: edge.broken ? 4 : 1.5,
      color: { color: edge.broken ? red : grey, highlight: edge.broken ? red : blue },
    };
  });
  var network = new vis.Network(
    container,
    { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) },
    {
      layout: { improvedLayout: nodes.length < 150 },
      physics: { stabilization: { iterations: 200 } },
      interaction: { hover: true, keyboard: true, navigationButtons: true },
    }
  );
  network.on("doubleClick", function (params) {
    if (params.nodes.length) {
      var node = nodes.find(function (n) { return n.id === params.nodes[0]; });
      if (node && node.url) {
        window.location.href = node.url;
      }
    }
  });
})();
