// The live meeting page: item timers, keeping typed input safe from the
// screens' polling, errors from refused writes, keyboard navigation.
// No inline script: everything the page needs is read from data attributes.
(function () {
  "use strict";

  // --- Timers ---------------------------------------------------------------
  // The server renders the seconds elapsed when it built the element; we count
  // on from the moment the element appeared, so the screens' clocks may differ.
  var seenAt = new WeakMap();

  function clock(seconds) {
    seconds = Math.max(Math.floor(seconds), 0);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function elapsedOf(el, now) {
    if (!seenAt.has(el)) {
      seenAt.set(el, now);
    }
    var base = parseInt(el.dataset.elapsed || "0", 10);
    return el.hasAttribute("data-running") ? base + (now - seenAt.get(el)) / 1000 : base;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-live-timer]").forEach(function (el) {
      var elapsed = elapsedOf(el, now);
      var planned = parseInt(el.dataset.planned || "0", 10);
      var level = "ok";
      if (planned && elapsed > planned) {
        level = "over";
      } else if (planned && elapsed >= planned * 0.8) {
        level = "warn";
      }
      el.classList.remove("timer-ok", "timer-warn", "timer-over");
      el.classList.add("timer-" + level);
      el.querySelector(".live-timer-value").textContent = clock(elapsed);
    });
    document.querySelectorAll("[data-live-clock]").forEach(function (el) {
      el.querySelector(".live-clock-value").textContent = clock(elapsedOf(el, now));
    });
  }

  // --- Never replace what someone is typing ---------------------------------
  function guardOf(el) {
    return el && el.closest ? el.closest("[data-live-guard]") : null;
  }

  function isTyping(el) {
    if (!el) {
      return false;
    }
    if (el.tagName === "TEXTAREA") {
      return true;
    }
    return el.tagName === "INPUT" && !/^(hidden|radio|checkbox|button|submit)$/.test(el.type);
  }

  function busy(region) {
    var active = document.activeElement;
    return (
      region.dataset.dirty === "1" ||
      (region.contains(active) && isTyping(active)) ||
      region.querySelector(".collapse.show, .collapsing") !== null
    );
  }

  ["input", "change"].forEach(function (type) {
    document.addEventListener(
      type,
      function (event) {
        var region = guardOf(event.target);
        if (region) {
          region.dataset.dirty = "1";
        }
      },
      true // capture: before htmx sends the change, which clears the mark
    );
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var region = guardOf(event.target);
    if (region) {
      delete region.dataset.dirty; // what was typed is being saved
    }
  });

  // An answer overtaken by a newer one (a poll that left before a write) would put
  // the older state back on screen: drop it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var incoming = parseInt(event.detail.xhr.getResponseHeader("X-Live-Revision"), 10);
    var poller = document.getElementById("live-poller");
    var shown = poller ? parseInt(poller.dataset.revision, 10) : NaN;
    if (incoming < shown) {
      event.detail.shouldSwap = false;
    }
  });

  var refocus = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (target.matches("[data-live-guard]") && busy(target)) {
      event.detail.shouldSwap = false;
      return;
    }
    var active = document.activeElement;
    if (active && active.id && target.contains(active)) {
      refocus = active.id;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (refocus) {
      var again = document.getElementById(refocus);
      refocus = null;
      if (again && document.activeElement !== again) {
        again.focus();
      }
    }
    tick();
  });

  // --- Refused writes --------------------------------------------------------
  var hideError = null;
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("live-error");
    if (!box) {
      return;
    }
    box.textContent = event.detail.xhr.responseText || box.dataset.fallback || "Error";
    box.hidden = false;
    clearTimeout(hideError);
    hideError = setTimeout(function () {
      box.hidden = true;
    }, 8000);
  });

  // --- Keyboard: arrows move through the agenda ------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var active = document.activeElement;
    if (isTyping(active) || (active && (active.tagName === "SELECT" || active.tagName === "TEXTAREA"))) {
      return;
    }
    var which = { ArrowLeft: "previous", ArrowRight: "next" }[event.key];
    var button = which && document.querySelector('[data-live-nav="' + which + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });

  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 1000);
})();
