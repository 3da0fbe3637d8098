"""The project list and the status history as spreadsheets: CSV for any tool, XLSX for Excel.

`project_rows` and `status_rows` build the rows once, in the active language;
`pmo.spreadsheets` formats them (and neutralises text that a spreadsheet would
read as a formula).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo import spreadsheets
from pmo.money import reporting_currency
from pmo.spreadsheets import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
    choice_labels,
    label,
    neutralise,
)
from portfolio.exchange import Rates
from portfolio.models import Project, StatusReport
from portfolio.models.assurance import Confidence

__all__ = [
    "COLUMNS",
    "STATUS_COLUMNS",
    "csv_response",
    "neutralise",
    "project_rows",
    "status_history_export",
    "status_rows",
    "xlsx_response",
]

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
    Column(_("Completion"), 11, PERCENT_FORMAT),
    Column(_("Period of last report"), 13, DATE_FORMAT),
    Column(_("Baseline end"), 12, DATE_FORMAT),
    Column(_("Forecast end"), 12, DATE_FORMAT),
    Column(_("Slip (days)"), 10, "0"),
    Column(_("Budget"), 16, MONEY_FORMAT),
    Column(_("Currency"), 9),
]


def project_columns() -> list[Column]:
    """`COLUMNS`, then the budget in the reporting currency at today's rate and that rate's date (blank
    when no rate is in force: the project is not converted)."""
    currency = reporting_currency()
    return [
        *COLUMNS,
        Column(gettext("Budget in %(currency)s") % {"currency": currency}, 16, MONEY_FORMAT),
        Column(gettext("Exchange rate date"), 11, DATE_FORMAT),
        Column(gettext("Delivery confidence"), 14),
        Column(gettext("Assessed on"), 11, DATE_FORMAT),
    ]


RAGS = ("overall_rag", *StatusReport.DIMENSIONS)


def project_rows(projects: Iterable[Project]) -> Iterator[list[Any]]:
    """One row per project: labels in the active language, numbers and dates as such.

    `projects` should come from `Project.objects.for_listing()`, annotated by
    `assurance.with_confidence` (`selectors.with_assessed`): a row reads only joined relations.
    """
    labels = choice_labels(Project, "methodology", "priority", "state")
    rags = choice_labels(StatusReport, *RAGS)
    levels = {value: str(text) for value, text in Confidence.choices}
    not_assessed = gettext("Not assessed")
    rates, today = Rates(), timezone.localdate()
    for project in projects:
        report = project.last_report
        budget = rates.convert(project.budget, project.currency, on=today)
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
            *(label(rags[rag], getattr(report, rag)) or not_assessed if report else "" for rag in RAGS),
            report.percent_complete if report else None,
            report.period if report else None,
            project.baseline_end,
            project.forecast_end,
            project.slip_days,
            project.budget,
            project.currency,
            budget.amount,
            budget.rate_date,
            label(levels, project.confidence) or not_assessed,
            project.confidence_on,
        ]


def _name(thing: object | None) -> str:
    return "" if thing is None else str(thing)


def csv_response(projects: Iterable[Project], *, filename: str) -> HttpResponse:
    return spreadsheets.csv_response(project_columns(), project_rows(projects), filename=filename)


def xlsx_response(projects: Iterable[Project], *, filename: str, title: str) -> HttpResponse:
    return spreadsheets.xlsx_response(
        project_columns(), project_rows(projects), filename=filename, title=title
    )


# --- The status history ---------------------------------------------------------------------------

STATUS_COLUMNS = [
    Column(_("Project code"), 11),
    Column(_("Project name"), 40),
    Column(_("Directorate"), 25),
    Column(_("Portfolio"), 22),
    Column(_("Period"), 11, DATE_FORMAT),
    Column(_("Week"), 9),
    Column(_("Revision"), 8, "0"),
    Column(_("Latest revision"), 8),
    Column(_("Overall RAG"), 9),
    Column(_("Schedule RAG"), 9),
    Column(_("Cost RAG"), 9),
    Column(_("Scope RAG"), 9),
    Column(_("Resources RAG"), 9),
    Column(_("Completion"), 10, PERCENT_FORMAT),
    Column(_("Actual cost to date"), 16, MONEY_FORMAT),
    Column(_("Forecast at completion"), 16, MONEY_FORMAT),
    Column(_("Currency"), 8),
    Column(_("Summary"), 50),
    Column(_("Achievements this period"), 50),
    Column(_("Next steps"), 50),
    Column(_("Help needed / escalation"), 40),
    Column(_("Explanation"), 40),
    Column(_("Submitted by"), 22),
    Column(_("Submitted at"), 16, DATETIME_FORMAT),
]


def status_rows(reports: Iterable[StatusReport]) -> Iterator[list[Any]]:
    """`reports` from `selectors.status_history` (the project and its relations joined)."""
    yes, no, not_assessed = gettext("Yes"), gettext("No"), gettext("Not assessed")
    rags = choice_labels(StatusReport, *RAGS)  # read once: see choice_labels
    for report in reports:
        project = report.project
        yield [
            project.code,
            project.name,
            _name(project.directorate),
            _name(project.portfolio),
            report.period,
            report.period_label,
            report.revision,
            yes if report.is_latest else no,
            *(label(rags[rag], getattr(report, rag)) or not_assessed for rag in RAGS),
            report.percent_complete,
            report.actual_cost,
            report.forecast_at_completion,
            project.currency,
            report.summary,
            report.achievements,
            report.next_steps,
            report.help_needed,
            report.explanation,
            _name(report.submitted_by),
            report.submitted_at,
        ]


def status_history_export(
    reports: QuerySet[StatusReport], *, kind: str, name: str = ""
) -> HttpResponse | FileResponse:
    """`reports` from `selectors.status_history` (one query), read with iterator(): a year of weekly
    status of a thousand projects is some 50,000 rows, never all held as objects at once; the workbook
    is streamed from a temporary file. `name`: the project's code when the history is one project's."""
    prefix = f"{slugify(name)}-" if name else ""
    filename = f"{prefix}{gettext('status-history')}-{timezone.localdate():%Y-%m-%d}"
    return spreadsheets.export_response(
        kind,
        STATUS_COLUMNS,
        status_rows(reports.iterator(chunk_size=2000)),
        filename=filename,
        title=gettext("Status history"),
        stream=True,
    )
