"""Panels that other apps add to the project page, without portfolio depending on them.

Portfolio depends on no other domain app (DESIGN.md), yet the project page
shows what governance or risks know about the project. An app registers a
panel in its `AppConfig.ready()`:

    register_panel("governance/_project_panel.html", governance_panel, order=10)

The page calls each context function with the project, the user and today, and
includes the template with that context as `panel`. A context function owns its
queries: a fixed number, whatever the number of rows (the page pins its count).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from portfolio.models import Project

PanelContext = Callable[..., dict[str, Any] | None]  # (*, project, user, today) -> context, None: not shown


@dataclass(frozen=True)
class Panel:
    template_name: str
    context: PanelContext
    order: int


_panels: dict[str, Panel] = {}


def register_panel(template_name: str, context_function: PanelContext, order: int = 100) -> None:
    """Add (or replace: `ready()` may run twice) the panel drawn by `template_name`."""
    _panels[template_name] = Panel(template_name, context_function, order)


def _drawn(registry: dict[str, Panel], project: Project, *, user, today: date) -> list[dict[str, Any]]:
    panels = []
    for panel in sorted(registry.values(), key=lambda p: (p.order, p.template_name)):
        context = panel.context(project=project, user=user, today=today)
        if context is not None:
            panels.append({"template": panel.template_name, "context": context})
    return panels


def project_panels(project: Project, *, user, today: date) -> list[dict[str, Any]]:
    """The registered panels in their order, each as {"template": ..., "context": ...}."""
    return _drawn(_panels, project, user=user, today=today)


# The project's plan page (portfolio:project_plan) has its own registry, for what other apps know of the
# plan: the baselines and change requests (planning), the timeline, the dependencies. Same contract.
_plan_panels: dict[str, Panel] = {}


def register_plan_panel(template_name: str, context_function: PanelContext, order: int = 100) -> None:
    """Add (or replace) a panel of the plan page, drawn by `template_name` with its context as `panel`."""
    _plan_panels[template_name] = Panel(template_name, context_function, order)


def plan_panels(project: Project, *, user, today: date) -> list[dict[str, Any]]:
    """The plan page's registered panels in their order, each as {"template": ..., "context": ...}."""
    return _drawn(_plan_panels, project, user=user, today=today)


# Closing a project: another app may own the page that closes it properly (benefits: the closure report,
# with the objectives met, the final figures and the lessons). The project page's "Close" then leads there,
# and portfolio's own close page stays for cancelling a project.
_closure_page: Callable[[Project], str] | None = None


def register_closure_page(url_of: Callable[[Project], str]) -> None:
    global _closure_page
    _closure_page = url_of


def closure_page(project: Project) -> str | None:
    """The URL of the registered closure page for `project`, or None (portfolio's own close page)."""
    return _closure_page(project) if _closure_page else None
