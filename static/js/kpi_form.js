// The KPI form: the computing function is asked for only when the source is "computed"; picking one
// fills in its unit and direction (the server sets them anyway), its usual frequency, and its usual
// target and thresholds where the PMO has not typed any.
(function () {
  "use strict";

  function init() {
    var data = document.getElementById("kpi-functions");
    var source = document.getElementById("id_source");
    var fn = document.getElementById("id_function");
    if (!data || !source || !fn) return;
    var functions = JSON.parse(data.textContent);
    var wrapper = document.querySelector("[data-kpi-function]");

    function toggle(event) {
      var computed = source.value === "computed";
      if (wrapper) wrapper.classList.toggle("kpi-hidden", !computed && !fn.classList.contains("is-invalid"));
      if (!computed && event) fn.value = "";  // a manual KPI has no function: clear it when switching
    }

    function set(id, value, onlyIfEmpty) {
      var field = document.getElementById(id);
      if (!field || value === undefined || value === "") return;
      if (onlyIfEmpty && field.value !== "") return;
      field.value = value;
    }

    function fill() {
      var entry = functions[fn.value];
      if (!entry) return;
      set("id_unit", entry.unit, false);
      set("id_direction", entry.direction, false);
      set("id_frequency", entry.frequency, false);
      set("id_target", entry.target, true);
      set("id_amber_threshold", entry.amber_threshold, true);
      set("id_red_threshold", entry.red_threshold, true);
    }

    source.addEventListener("change", toggle);
    fn.addEventListener("change", fill);
    toggle();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
