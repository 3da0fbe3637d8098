"""What the risks app adds to other apps' pages, through their registries (DESIGN.md: portfolio and
governance do not depend on risks)."""

from __future__ import annotations


def register() -> None:
    from risks import meetings, project_panel

    project_panel.register()  # the project page's panel and "open risks" signal (portfolio)
    meetings.register()  # escalated risks on agendas, risk cards on the live page (governance)
