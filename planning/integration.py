"""How planning plugs into portfolio's and governance's registries (DESIGN.md: they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Filled in as the pieces land: agenda sources, live extras, project panels, signal receivers."""
    _register_meetings()


def _register_meetings() -> None:
    from planning import meetings

    meetings.register()  # change requests on agendas and the live page, decided there; v1 at the gate
