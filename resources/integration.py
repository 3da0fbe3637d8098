"""How resources plugs into portfolio's and governance's registries (they do not depend on it)."""

from __future__ import annotations

PLAN_PANEL = "resources/_plan_panel.html"


def register() -> None:
    """Called from ResourcesConfig.ready()."""
    _register_imports()
    _register_plan_panel()
    _register_meetings()
    _register_signal()


def _register_imports() -> None:
    """The capacity and demand sheets of an import (imports.datasheets), which imports nothing of
    resources."""
    from imports.datasheets import register_data_kind
    from resources.services_import import CAPACITY, DEMAND

    register_data_kind(CAPACITY)
    register_data_kind(DEMAND)


def plan_panel(*, project, user, today):
    """The people the project needs over the next six months, by role, and the link to its demand: this is
    where the demand "entered by the PM in the plan" lives. Two queries (the demand, whether the reader may
    change it), three when the reader's roles were not read yet."""
    from django.utils.translation import get_language

    from portfolio.models import Project
    from resources.selectors import plan_demand

    demand = plan_demand(project, today=today)
    english = get_language() == "en"
    rows = [
        {"label": row["name_en"] if english else row["name"], "values": list(row["cells"].values())}
        for row in demand["rows"]
    ]
    return {
        "project": project,
        "months": demand["months"],
        "rows": rows,
        "may_edit": Project.objects.editable_by(user).filter(pk=project.pk).exists(),
    }


def _register_plan_panel() -> None:
    from portfolio.panels import register_plan_panel

    register_plan_panel(PLAN_PANEL, plan_panel, order=40)


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
