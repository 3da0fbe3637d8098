"""How finance plugs into portfolio's and imports' registries (DESIGN.md: they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from FinanceConfig.ready()."""
    from finance.phasing import phased_curves
    from portfolio.earned_value import register_phased_curves

    register_phased_curves(phased_curves)
    _register_panels()
    _register_imports()


def _register_panels() -> None:
    """The project page's money panel (after the status and plan panels), the plan page's link."""
    from finance import panels
    from portfolio.panels import register_panel, register_plan_panel

    register_panel(panels.PROJECT_PANEL, panels.project_panel, order=30)
    register_plan_panel(panels.PLAN_PANEL, panels.plan_panel, order=40)


def _register_imports() -> None:
    """The money sheet of an import (imports.datasheets): imports comes before finance and imports
    nothing of it, so finance registers its columns and its applier there."""
    from finance.services_import import MONEY
    from imports.datasheets import register_data_kind

    register_data_kind(MONEY)
