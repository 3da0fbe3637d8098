"""How demand plugs into governance's registries and signals (governance does not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from DemandConfig.ready()."""
