"""How planning plugs into portfolio's and governance's registries (DESIGN.md: they do not depend on it)."""

from __future__ import annotations


def register() -> None:
    """Called from PlanningConfig.ready(): agenda sources, live extras, panels and signal receivers."""
    _register_meetings()
    _register_dependencies()
    _register_pages()
    _register_timeline()


def _register_meetings() -> None:
    from planning import meetings

    meetings.register()  # change requests on agendas and the live page, decided there; v1 at the gate


def _register_dependencies() -> None:
    from governance.extensions import register_agenda_source
    from planning.dependencies import broken_dependencies

    register_agenda_source("dependencies", broken_dependencies)


def _register_pages() -> None:
    """The change-control panels: open change requests on the project page (beside risks, issues,
    decisions and actions), the baseline and its change requests on the plan page."""
    from planning import panels
    from portfolio.panels import register_panel, register_plan_panel

    register_panel(panels.PROJECT_PANEL, panels.project_panel, order=25)
    register_plan_panel(panels.PLAN_PANEL, panels.plan_panel, order=10)


def _register_timeline() -> None:
    """The project's timeline on its plan page: phases, milestones baseline / forecast / actual, links."""
    from planning.timeline import plan_timeline_panel
    from portfolio.panels import register_plan_panel

    register_plan_panel("planning/_plan_timeline.html", plan_timeline_panel, order=20)
