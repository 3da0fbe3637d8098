"""The roadmap and its milestones as Excel workbooks (written by `pmo.spreadsheets`, which neutralises a
text a spreadsheet would read as a formula).

Rows come from `planning.roadmap.roadmap`, the page's own read with the page's filters, so a workbook
lists the projects (and only those) the page draws, those without dates included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo import spreadsheets
from pmo.spreadsheets import COUNT_FORMAT, DATE_FORMAT, Column
from reporting.exports import rag_label

from .roadmap import Roadmap

ROADMAP_COLUMNS = [
    Column(gettext_lazy("Code"), 11),
    Column(gettext_lazy("Project name"), 40),
    Column(gettext_lazy("Directorate"), 25),
    Column(gettext_lazy("Portfolio"), 22),
    Column(gettext_lazy("RAG"), 12),
    Column(gettext_lazy("Baseline start"), 11, DATE_FORMAT),
    Column(gettext_lazy("Baseline end"), 11, DATE_FORMAT),
    Column(gettext_lazy("Forecast start"), 11, DATE_FORMAT),
    Column(gettext_lazy("Forecast end"), 11, DATE_FORMAT),
    Column(gettext_lazy("Slip (days)"), 9, COUNT_FORMAT),
    Column(gettext_lazy("Milestones"), 10, COUNT_FORMAT),
    Column(gettext_lazy("Milestones met"), 10, COUNT_FORMAT),
    Column(gettext_lazy("Milestones late"), 10, COUNT_FORMAT),
]

MILESTONE_COLUMNS = [
    Column(gettext_lazy("Project code"), 11),
    Column(gettext_lazy("Project name"), 40),
    Column(gettext_lazy("Directorate"), 25),
    Column(gettext_lazy("Portfolio"), 22),
    Column(gettext_lazy("Milestone"), 40),
    Column(gettext_lazy("Deliverable"), 30),
    Column(gettext_lazy("Owner"), 22),
    Column(gettext_lazy("Baseline date"), 11, DATE_FORMAT),
    Column(gettext_lazy("Forecast date"), 11, DATE_FORMAT),
    Column(gettext_lazy("Actual date"), 11, DATE_FORMAT),
    Column(gettext_lazy("Slip (days)"), 9, COUNT_FORMAT),
    Column(gettext_lazy("State"), 12),
]


def state_labels() -> dict[str, str]:
    return {"met": _("Met"), "due": _("Forecast"), "late": _("Late")}


def roadmap_rows(roadmap: Roadmap) -> Iterator[list[Any]]:
    on = roadmap.on
    for row in roadmap.rows:
        project = row.project
        states = [milestone.state(on) for milestone in row.milestones]
        yield [
            project.code,
            project.name,
            project.directorate_name,
            project.portfolio_name,
            rag_label(project.rag),
            project.baseline_start,
            project.baseline_end,
            project.forecast_start,
            project.forecast_end,
            row.slip_days,
            len(row.milestones),
            states.count("met"),
            states.count("late"),
        ]


def milestone_rows(roadmap: Roadmap) -> Iterator[list[Any]]:
    labels = state_labels()
    for row in roadmap.rows:
        project = row.project
        for milestone in row.milestones:
            yield [
                project.code,
                project.name,
                project.directorate_name,
                project.portfolio_name,
                milestone.name,
                milestone.deliverable,
                milestone.owner,
                milestone.baseline_date,
                milestone.forecast_date,
                milestone.actual_date,
                milestone.slip_days,
                labels[milestone.state(roadmap.on)],
            ]


def roadmap_export(roadmap: Roadmap) -> HttpResponse:
    return spreadsheets.xlsx_response(
        ROADMAP_COLUMNS,
        roadmap_rows(roadmap),
        filename=f"{_('roadmap')}-{roadmap.on:%Y-%m-%d}",
        title=_("Roadmap"),
    )


def milestones_export(roadmap: Roadmap) -> HttpResponse:
    return spreadsheets.xlsx_response(
        MILESTONE_COLUMNS,
        milestone_rows(roadmap),
        filename=f"{_('milestones')}-{roadmap.on:%Y-%m-%d}",
        title=_("Milestones"),
    )
