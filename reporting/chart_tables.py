"""The data tables beside the dashboard's charts: what each chart draws, as rows and columns that a screen
reader reads out and that a reader who cannot tell the chart's colours apart compares (WCAG 1.1.1, 1.4.1).

Each table is built from the same groups and rows as its figure (`reporting.charts`), so that a table never
disagrees with the chart it stands beside.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.templatetags.pmo_tags import money_short
from portfolio.models import Rag
from reporting.charts import (
    BUDGET_SERIES,
    RAG_SERIES,
    directorates,
    milestone_state,
    portfolios,
    roadmap_rows,
)
from reporting.selectors import CompliancePoint, Snapshot
from reporting.templatetags.reporting_tags import percent

SERIES_RAGS = [rag for rag, _label, _color in RAG_SERIES]
BUDGET_FIGURES = [attribute for _name, attribute, _color in BUDGET_SERIES]


@dataclass(frozen=True)
class ChartTable:
    caption: str
    columns: list[str]  # the first names what each row is
    rows: list[tuple[str, list[str]]]  # each row's header and its cells


def rag_word(rag: str) -> str:
    return str(Rag(rag).label) if rag else _("No status")


def _date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else "—"


def rag_by_directorate_table(snapshot: Snapshot) -> ChartTable:
    return ChartTable(
        caption=_("Active projects by directorate and RAG"),
        columns=[_("Directorate"), *[rag_word(rag) for rag in SERIES_RAGS], _("Total")],
        rows=[
            (group.name, [*[str(group.count(rag)) for rag in SERIES_RAGS], str(len(group.rows))])
            for group in directorates(snapshot)
        ],
    )


def budget_by_portfolio_table(snapshot: Snapshot, *, currency: str) -> ChartTable:
    return ChartTable(
        caption=_("Budget, forecast and actual cost by portfolio"),
        columns=[_("Portfolio"), *[str(name) for name, _attribute, _color in BUDGET_SERIES]],
        rows=[
            (group.name, [money_short(group.total(attribute), currency) for attribute in BUDGET_FIGURES])
            for group in portfolios(snapshot)
        ],
    )


def roadmap_table(snapshot: Snapshot) -> ChartTable:
    """The roadmap's projects (their milestones loaded, as for the figure)."""
    rows = []
    for row in roadmap_rows(snapshot):
        states = [milestone_state(milestone, snapshot.on) for milestone in row.milestones]
        rows.append(
            (
                f"{row.code} {row.name}",
                [
                    _date(row.forecast_start),
                    _date(row.forecast_end),
                    rag_word(row.rag),
                    *[str(states.count(state)) for state in ("met", "due", "late")],
                ],
            )
        )
    return ChartTable(
        caption=_("The roadmap's projects, their forecast dates, RAG and milestones"),
        columns=[
            _("Project"),
            _("Forecast start"),
            _("Forecast end"),
            _("RAG"),
            _("Milestones met"),
            _("Milestones to come"),
            _("Milestones late"),
        ],
        rows=rows,
    )


def compliance_table(points: list[CompliancePoint]) -> ChartTable:
    return ChartTable(
        caption=_("Share of the active projects that reported, week by week"),
        columns=[_("Week of"), _("Reported"), _("Active projects"), pgettext("a proportion", "Share")],
        rows=[
            (_date(point.period), [str(point.reported), str(point.active), percent(point.share, 1)])
            for point in points
        ],
    )
