"""How demand plugs into governance's registries and signals (governance does not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from DemandConfig.ready()."""
    _register_meetings()


def _register_meetings() -> None:
    """Requests on the portfolio committee's agenda and live page; the G0 decision recorded there applied
    (demand.meetings)."""
    from demand import meetings

    meetings.register()
