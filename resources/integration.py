"""How resources plugs into portfolio's and governance's registries (they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from ResourcesConfig.ready()."""
    _register_imports()


def _register_imports() -> None:
    """The capacity and demand sheets of an import (imports.datasheets), which imports nothing of
    resources."""
    from imports.datasheets import register_data_kind
    from resources.services_import import CAPACITY, DEMAND

    register_data_kind(CAPACITY)
    register_data_kind(DEMAND)
