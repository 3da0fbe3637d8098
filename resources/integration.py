"""How resources plugs into portfolio's and governance's registries (they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from ResourcesConfig.ready()."""
