"""How finance plugs into portfolio's registries (DESIGN.md: portfolio does not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from FinanceConfig.ready()."""
    from finance import panels
    from finance.phasing import phased_curves
    from portfolio.earned_value import register_phased_curves
    from portfolio.panels import register_panel, register_plan_panel

    register_phased_curves(phased_curves)
    # The project page's money panel (after the status and plan panels), the plan page's link.
    register_panel(panels.PROJECT_PANEL, panels.project_panel, order=30)
    register_plan_panel(panels.PLAN_PANEL, panels.plan_panel, order=40)
