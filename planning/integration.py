"""How planning plugs into portfolio's and governance's registries (DESIGN.md: they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Filled in as the pieces land: agenda sources, live extras, project panels, signal receivers."""
    _register_meetings()
    _register_dependencies()


def _register_meetings() -> None:
    from planning import meetings

    meetings.register()  # change requests on agendas and the live page, decided there; v1 at the gate


def _register_dependencies() -> None:
    from governance.extensions import register_agenda_source
    from planning.dependencies import broken_dependencies

    register_agenda_source("dependencies", broken_dependencies)
