"""Every page a browser test visits is checked by axe-core (npm devDependency, node_modules/axe-core) against
WCAG 2.1 A and AA: a serious or critical violation fails the test, naming the rule, the element and the page.

axe reaches the pages through the browser context's init scripts, which Chromium evaluates through its
DevTools protocol and not as a <script> of the page: the Content Security Policy stays in force, unbypassed,
so the tests that prove the pages run under it still mean what they say. The page runs axe once it has
loaded and settled (its htmx requests and charts drawn), reports through a binding, and the fixture checks
every open page once more when the test ends (after the htmx swaps the test made).

A part of a page marked `data-a11y-exempt="why"` is left out: third-party markup that is not ours to fix
(Swagger UI's API explorer). Nothing of the product's own pages may use it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}
BINDING = "__pmoAxeReport"

# Runs in every top-level document of the app once loaded: waits for the page to settle (no htmx request
# in flight, charts drawn, no transition under way), runs axe and reports what it found. `window.__pmoAxe()`
# runs it again on demand (the fixture's last look), after any run still going: axe refuses two at once.
RUNNER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const quiet = () => new Promise((resolve) => {
    let tries = 0;
    const look = () => {
      // A colour half-way through a transition (a button hovered as it is clicked) is not the page's.
      const moving = document.getAnimations().some((motion) =>
        motion.playState === "running" && motion.effect && motion.effect.getTiming().iterations !== Infinity);
      const busy = moving || document.querySelector(".htmx-request") ||
        document.querySelector("[data-chart]:not(.is-drawn)");
      if (!busy || ++tries > 40) { setTimeout(resolve, 50); } else { setTimeout(look, 50); }
    };
    look();
  });
  const check = async () => {
    await quiet();
    const exempt = "[data-a11y-exempt]";
    const context = document.querySelector(exempt) ? {exclude: [[exempt]]} : document;
    const result = await window.axe.run(context, {runOnly: RULES, resultTypes: ["violations"]});
    return result.violations.map((rule) => ({
      id: rule.id, impact: rule.impact, help: rule.help,
      targets: rule.nodes.map((node) => node.target.join(" ") + " (" +
        (node.failureSummary || "").split("\\n").slice(1).join(" ").trim() + ")"),
    }));
  };
  let running = Promise.resolve([]);
  window.__pmoAxe = () => (running = running.catch(() => []).then(check));
  window.addEventListener("load", () => {
    window.__pmoAxe().then((violations) => window.BINDING({url: location.href, violations}));
  });
})();
""".replace("RULES", json.dumps(RULES)).replace("BINDING", BINDING)


class AxeWatch:
    """Collects axe's findings on the pages of the contexts it watches."""

    def __init__(self) -> None:
        self.found: set[tuple[str, str, str, str]] = set()
        self.contexts: list = []

    def record(self, url: str, violations: list[dict]) -> None:
        for rule in violations:
            if rule["impact"] in FAILING:
                for target in rule["targets"]:
                    self.found.add((url, rule["id"], rule["impact"], target))

    def watch(self, context) -> None:
        self.contexts.append(context)
        context.add_init_script(path=AXE)
        context.add_init_script(script=RUNNER)
        context.expose_binding(BINDING, lambda _source, found: self.record(found["url"], found["violations"]))

    def look_again(self) -> None:
        """Every page still open in the contexts watched (a context the test closed has no page left)."""
        for page in [page for context in self.contexts for page in context.pages]:
            if page.is_closed() or not page.url.startswith("http"):
                continue
            try:
                violations = page.evaluate("() => window.__pmoAxe ? window.__pmoAxe() : []")
            except Exception as error:  # a page navigating away as the test ends: its load run reported
                if "context was destroyed" in str(error) or "navigation" in str(error):
                    continue
                raise
            self.record(page.url, violations)

    def report(self) -> str:
        return "\n".join(
            f"  {rule} ({impact}) at {target} on {url}" for url, rule, impact, target in sorted(self.found)
        )
