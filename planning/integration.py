"""How planning plugs into portfolio's and governance's registries (DESIGN.md: they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Filled in as the pieces land: agenda sources, live extras, project panels, signal receivers."""
    from portfolio.panels import register_plan_panel

    from .timeline import plan_timeline_panel

    register_plan_panel("planning/_plan_timeline.html", plan_timeline_panel, order=50)
