"""How benefits plugs into portfolio's, governance's and imports' registries (none of them depends on it)."""

from __future__ import annotations


def register() -> None:
    """Called from BenefitsConfig.ready()."""
    from benefits import benefit_integration

    benefit_integration.register()
