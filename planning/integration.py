"""How planning plugs into portfolio's and governance's registries (DESIGN.md: they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Filled in as the pieces land: agenda sources, live extras, project panels, signal receivers."""
    _register_pages()


def _register_pages() -> None:
    """The change-control panels: open change requests on the project page (beside risks, issues,
    decisions and actions), the baseline and its change requests on the plan page."""
    from planning import panels
    from portfolio.panels import register_panel, register_plan_panel

    register_panel(panels.PROJECT_PANEL, panels.project_panel, order=25)
    register_plan_panel(panels.PLAN_PANEL, panels.plan_panel, order=10)
