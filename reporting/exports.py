"""The lists behind the dashboard and the KPI measurements as spreadsheets (written by
`pmo.spreadsheets`).

Rows come from the same reads as the pages (`PortfolioFigures`, `kpi_pages`), in the active language,
so a spreadsheet holds the rows the page lists, every page of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo import spreadsheets
from pmo.spreadsheets import (
    COUNT_FORMAT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    INDEX_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
    Formatted,
)
from portfolio.models import Milestone, Rag
from reporting.models import Kpi, Measurement
from reporting.periods import Period
from reporting.selectors import ProjectRow, Snapshot
from reporting.templatetags.reporting_tags import confidence_label

# --- The portfolio as at a date (the dashboard's project list) ------------------------------------

SNAPSHOT_COLUMNS = [
    Column(gettext_lazy("Code"), 11),
    Column(gettext_lazy("Project name"), 40),
    Column(gettext_lazy("Directorate"), 25),
    Column(gettext_lazy("Portfolio"), 22),
    Column(gettext_lazy("RAG"), 12),
    Column(gettext_lazy("Status week"), 11, DATE_FORMAT),
    Column(gettext_lazy("Delivery confidence"), 14),
    Column(gettext_lazy("Assessed on"), 11, DATE_FORMAT),
    Column(gettext_lazy("Completion"), 10, PERCENT_FORMAT),
    Column(gettext_lazy("Budget at completion"), 16, MONEY_FORMAT),
    Column(gettext_lazy("Forecast at completion"), 16, MONEY_FORMAT),
    Column(gettext_lazy("Actual cost to date"), 16, MONEY_FORMAT),
    Column(gettext_lazy("Currency"), 9),
    Column(gettext_lazy("CPI"), 8, INDEX_FORMAT),
    Column(gettext_lazy("SPI"), 8, INDEX_FORMAT),
    Column(gettext_lazy("Baseline end"), 11, DATE_FORMAT),
    Column(gettext_lazy("Forecast end"), 11, DATE_FORMAT),
]
CONVERTED = ("budget", "forecast_at_completion", "actual_cost")


def snapshot_columns(currency: str) -> list[Column]:
    """The list's columns, then each amount in the reporting currency `currency` and the rate's date: the
    converted columns sum to the dashboard's totals (a project not converted has them blank)."""
    return [
        *SNAPSHOT_COLUMNS,
        Column(_("Budget at completion in %(currency)s") % {"currency": currency}, 16, MONEY_FORMAT),
        Column(_("Forecast at completion in %(currency)s") % {"currency": currency}, 16, MONEY_FORMAT),
        Column(_("Actual cost to date in %(currency)s") % {"currency": currency}, 16, MONEY_FORMAT),
        Column(_("Exchange rate date"), 11, DATE_FORMAT),
        Column(_("Converted"), 9),
    ]


def rag_label(rag: str) -> str:
    return str(Rag(rag).label) if rag else _("No status")


def snapshot_rows(rows: Iterable[ProjectRow], snapshot: Snapshot) -> Iterator[list[Any]]:
    yes, no = _("Yes"), _("No (no rate)")
    for row in rows:
        conversion = snapshot.converted(row, Decimal(0))
        yield [
            row.code,
            row.name,
            row.directorate_name,
            row.portfolio_name,
            rag_label(row.rag),
            row.report_period,
            confidence_label(row.confidence),
            row.confidence_on,
            row.percent_complete,
            row.budget,
            row.forecast_at_completion,
            row.actual_cost,
            row.currency,
            row.cpi,
            row.spi,
            row.baseline_end,
            row.forecast_end,
            *(snapshot.in_reporting(row, attribute) for attribute in CONVERTED),
            conversion.rate_date,
            yes if conversion.converted else no,
        ]


def snapshot_export(rows: Iterable[ProjectRow], *, snapshot: Snapshot, kind: str) -> HttpResponse:
    filename = f"{_('projects')}-{snapshot.on:%Y-%m-%d}"
    return spreadsheets.export_response(
        kind,
        snapshot_columns(snapshot.currency),
        snapshot_rows(rows, snapshot),
        filename=filename,
        title=_("Projects as at a date"),
    )


# --- Milestones due in a window -------------------------------------------------------------------

MILESTONE_COLUMNS = [
    Column(gettext_lazy("Project code"), 11),
    Column(gettext_lazy("Project name"), 40),
    Column(gettext_lazy("Directorate"), 25),
    Column(gettext_lazy("Milestone"), 40),
    Column(gettext_lazy("Baseline date"), 11, DATE_FORMAT),
    Column(gettext_lazy("Forecast date"), 11, DATE_FORMAT),
    Column(gettext_lazy("Actual date"), 11, DATE_FORMAT),
    Column(gettext_lazy("Slip (days)"), 9, COUNT_FORMAT),
    Column(gettext_lazy("Met"), 8),
    Column(gettext_lazy("Weight"), 8, "0.00"),
]


def milestone_rows(milestones: Iterable[Milestone]) -> Iterator[list[Any]]:
    """`milestones` from `PortfolioFigures.milestones_due` (annotated with `met`, the project joined)."""
    yes, no = _("Yes"), _("No")
    for milestone in milestones:
        project = milestone.project
        yield [
            project.code,
            project.name,
            str(project.directorate),
            milestone.name,
            milestone.baseline_date,
            milestone.forecast_date,
            milestone.actual_date,
            milestone.slip_days,
            yes if milestone.met else no,
            milestone.weight,
        ]


def milestones_export(milestones: Iterable[Milestone], *, kind: str, start: date, end: date) -> HttpResponse:
    filename = f"{_('milestones')}-{start:%Y-%m-%d}-{end:%Y-%m-%d}"
    return spreadsheets.export_response(
        kind, MILESTONE_COLUMNS, milestone_rows(milestones), filename=filename, title=_("Milestones")
    )


# --- KPI measurements -----------------------------------------------------------------------------

VALUE_FORMATS = {
    Kpi.Unit.PERCENT: PERCENT_FORMAT,
    Kpi.Unit.COUNT: COUNT_FORMAT,
    Kpi.Unit.INDEX: INDEX_FORMAT,
    Kpi.Unit.AMOUNT: MONEY_FORMAT,
    Kpi.Unit.SCORE: "0.0",
}

MEASUREMENT_COLUMNS = [
    Column(gettext_lazy("KPI code"), 18),
    Column(gettext_lazy("KPI"), 35),
    Column(gettext_lazy("Unit"), 12),
    Column(gettext_lazy("Period"), 11, DATE_FORMAT),
    Column(gettext_lazy("Period label"), 10),
    Column(gettext_lazy("Scope"), 35),
    Column(gettext_lazy("Value"), 14),
    Column(gettext_lazy("RAG"), 8),
    Column(gettext_lazy("Target"), 12),
    Column(gettext_lazy("Computed"), 9),
    Column(gettext_lazy("Comment"), 40),
    Column(gettext_lazy("Entered by"), 22),
    Column(gettext_lazy("Entered at"), 16, DATETIME_FORMAT),
]


def scope_label(measurement: Measurement) -> str:
    if measurement.project is not None:
        return f"{measurement.project.code} {measurement.project.name}"
    if measurement.directorate is not None:
        return str(measurement.directorate)
    return _("Whole portfolio")


def measurement_rows(measurements: Iterable[Measurement]) -> Iterator[list[Any]]:
    """`measurements` with their KPI, scope and author joined (`selectors.measurements_export`)."""
    yes, no = _("Yes"), _("No")
    for measurement in measurements:
        kpi = measurement.kpi
        value_format = VALUE_FORMATS.get(kpi.unit, "0.000")
        rag = kpi.rag_of(measurement.value)
        yield [
            kpi.code,
            kpi.display_name,
            kpi.get_unit_display(),
            measurement.period,
            Period(kpi.frequency, measurement.period).label,
            scope_label(measurement),
            Formatted(measurement.value, value_format),
            str(Rag(rag).label) if rag else "",
            Formatted(kpi.target, value_format),
            yes if measurement.computed else no,
            measurement.comment,
            "" if measurement.entered_by is None else str(measurement.entered_by),
            measurement.entered_at,
        ]


def measurements_export(measurements: Iterable[Measurement], *, kind: str, name: str) -> HttpResponse:
    """`name`: the KPI's code for one KPI's measurements, empty for the list's."""
    prefix = f"{slugify(name)}-" if name else ""
    filename = f"{prefix}{_('measurements')}"
    return spreadsheets.export_response(
        kind, MEASUREMENT_COLUMNS, measurement_rows(measurements), filename=filename, title=_("Measurements")
    )
