"""How resources plugs into portfolio's and governance's registries (they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from ResourcesConfig.ready()."""
    _register_meetings()
    _register_signal()


def _register_meetings() -> None:
    """Scenarios and over-allocation on the portfolio committee's agenda and live page; a scenario decided
    there applied."""
    from resources import meetings

    meetings.register()


def _register_signal() -> None:
    """Over-allocation as a derived signal beside the project's declared RAG."""
    from portfolio.indicators import register_signal_provider
    from resources.signals_provider import over_allocation_signal

    register_signal_provider("over_allocation", over_allocation_signal)
