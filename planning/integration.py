"""How planning plugs into portfolio's and governance's registries (DESIGN.md: they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Filled in as the pieces land: agenda sources, live extras, project panels, signal receivers."""
    from governance.extensions import register_agenda_source
    from planning.dependencies import broken_dependencies

    register_agenda_source("dependencies", broken_dependencies)
