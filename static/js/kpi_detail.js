// A KPI's page: choosing another scope shows it at once (the "Show" button stays for keyboard users
// and for browsers without scripts).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.getElementById("kpi-scope");
    if (!select || !select.form) return;
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
