"""How finance plugs into portfolio's registries (DESIGN.md: portfolio does not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from FinanceConfig.ready()."""
    from finance.phasing import phased_curves
    from portfolio.earned_value import register_phased_curves

    register_phased_curves(phased_curves)
    _register_imports()


def _register_imports() -> None:
    """The money sheet of an import (imports.datasheets): imports comes before finance and imports
    nothing of it, so finance registers its columns and its applier there."""
    from finance.services_import import MONEY
    from imports.datasheets import register_data_kind

    register_data_kind(MONEY)
