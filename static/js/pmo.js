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
    reachScrollingTables(document);
  });

  // A table wider than its box scrolls sideways (a phone): a keyboard user must be able to reach the box
  // to scroll it (WCAG 2.1.1), and a screen reader hears what it holds. Only a box that does scroll
  // becomes a tab stop.
  function reachScrollingTables(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        var heading = box.closest("section, .card");
        heading = heading && heading.querySelector("h1, h2, h3");
        var name = (caption || heading || {}).textContent;
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (name) box.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
        box.dataset.scrollReach = "";
      } else if (!scrolls && box.hasAttribute("data-scroll-reach")) {
        ["tabindex", "role", "aria-label", "data-scroll-reach"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  document.addEventListener("shown.bs.tab", function () { reachScrollingTables(document); });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { reachScrollingTables(document); }, 200);
  });

  // An htmx swap that replaces the block holding the keyboard focus would drop the focus to the page's
  // start (WCAG 2.4.3). htmx puts it back on an element of the same id; failing that, the focus goes to
  // the block that took the old one's place, so the next Tab goes on from there.
  var focusWasIn = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    focusWasIn = active && active !== document.body && target && target.contains(active) ? target.id || null : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    reachScrollingTables(event.target.parentNode || document);
    var lost = !document.activeElement || document.activeElement === document.body;
    var block = focusWasIn && document.getElementById(focusWasIn);
    focusWasIn = null;
    if (lost && block) {
      if (!block.hasAttribute("tabindex")) block.setAttribute("tabindex", "-1");
      block.focus();
    }
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
