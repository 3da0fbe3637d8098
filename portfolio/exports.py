"""The project list as a spreadsheet: CSV for any tool, XLSX for Excel.

`project_rows` builds the rows once, in the active language; `pmo.spreadsheets`
formats them (and neutralises text that a spreadsheet would read as a formula).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from pmo import spreadsheets
from pmo.spreadsheets import Column, choice_labels, label, neutralise
from portfolio.models import Project, StatusReport

__all__ = ["COLUMNS", "csv_response", "neutralise", "project_rows", "xlsx_response"]

COLUMNS = [
    Column(_("Code"), 11),
    Column(_("Project name"), 45),
    Column(_("Directorate"), 30),
    Column(_("Portfolio"), 25),
    Column(_("Phase"), 13),
    Column(_("Methodology"), 18),
    Column(_("Priority"), 10),
    Column(_("State"), 11),
    Column(_("Project manager"), 22),
    Column(_("Sponsor"), 22),
    Column(_("Overall RAG"), 10),
    Column(_("Schedule RAG"), 10),
    Column(_("Cost RAG"), 10),
    Column(_("Scope RAG"), 10),
    Column(_("Resources RAG"), 10),
    Column(_("Completion"), 11, "0.0"),
    Column(_("Period of last report"), 13, "yyyy-mm-dd"),
    Column(_("Baseline end"), 12, "yyyy-mm-dd"),
    Column(_("Forecast end"), 12, "yyyy-mm-dd"),
    Column(_("Slip (days)"), 10, "0"),
    Column(_("Budget"), 16, "#,##0"),
    Column(_("Currency"), 9),
]
RAGS = ("overall_rag", *StatusReport.DIMENSIONS)


def project_rows(projects: Iterable[Project]) -> Iterator[list[Any]]:
    """One row per project: labels in the active language, numbers and dates as such.

    `projects` should come from `Project.objects.for_listing()`: a row reads only joined relations.
    """
    labels = choice_labels(Project, "methodology", "priority", "state")
    rags = choice_labels(StatusReport, *RAGS)
    for project in projects:
        report = project.last_report
        yield [
            project.code,
            project.name,
            _name(project.directorate),
            _name(project.portfolio),
            _name(project.phase),
            label(labels["methodology"], project.methodology),
            label(labels["priority"], project.priority),
            label(labels["state"], project.state),
            _name(project.project_manager),
            _name(project.sponsor),
            *(label(rags[rag], getattr(report, rag)) if report else "" for rag in RAGS),
            report.percent_complete if report else None,
            report.period if report else None,
            project.baseline_end,
            project.forecast_end,
            project.slip_days,
            project.budget,
            project.currency,
        ]


def _name(thing: object | None) -> str:
    return "" if thing is None else str(thing)


def csv_response(projects: Iterable[Project], *, filename: str) -> HttpResponse:
    return spreadsheets.csv_response(COLUMNS, project_rows(projects), filename=filename)


def xlsx_response(projects: Iterable[Project], *, filename: str, title: str) -> HttpResponse:
    return spreadsheets.xlsx_response(COLUMNS, project_rows(projects), filename=filename, title=title)
