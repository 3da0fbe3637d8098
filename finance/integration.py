"""How finance plugs into portfolio's registries (DESIGN.md: portfolio does not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from FinanceConfig.ready()."""
    from finance.phasing import phased_curves
    from portfolio.earned_value import register_phased_curves

    register_phased_curves(phased_curves)
