"""The risk register and the issue list as spreadsheets (written by `pmo.spreadsheets`).

Rows are built in the active language from `selectors.register_queryset` and
`Issue.objects.for_listing()` (their joins and annotations), so a row reads no relation the query
did not bring.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo import spreadsheets
from pmo.spreadsheets import DATE_FORMAT, DATETIME_FORMAT, Column, choice_labels, label
from portfolio.visibility import project_label
from risks.models import Issue, Risk, RiskLevel

RISK_COLUMNS = [
    Column(gettext_lazy("Reference"), 12),
    Column(gettext_lazy("Project or home"), 35),
    Column(gettext_lazy("Title"), 50),
    Column(gettext_lazy("Category"), 18),
    Column(gettext_lazy("Owner"), 22),
    Column(gettext_lazy("Probability"), 11),
    Column(gettext_lazy("Impact"), 9),
    Column(gettext_lazy("Score"), 8),
    Column(gettext_lazy("Level"), 10),
    Column(gettext_lazy("Residual probability"), 11),
    Column(gettext_lazy("Residual impact"), 9),
    Column(gettext_lazy("Residual score"), 9),
    Column(gettext_lazy("Residual level"), 10),
    Column(gettext_lazy("Response"), 12),
    Column(gettext_lazy("Proximity"), 11, "yyyy-mm-dd"),
    Column(gettext_lazy("Next review"), 11, "yyyy-mm-dd"),
    Column(gettext_lazy("Review overdue"), 9),
    Column(gettext_lazy("State"), 10),
    Column(gettext_lazy("Escalated"), 9),
    Column(gettext_lazy("Closing note"), 50),
]


def risk_rows(risks: Iterable[Risk]) -> Iterator[list[Any]]:
    """`risks` from `register_queryset` (annotated with levels, escalation and review_is_overdue)."""
    labels = choice_labels(Risk, "response", "state")
    levels = {str(level): str(level.label) for level in RiskLevel}
    yes, no = _("Yes"), _("No")
    for risk in risks:
        yield [
            risk.reference,
            home_label(risk),
            risk.title,
            "" if risk.category is None else str(risk.category),
            str(risk.owner),
            risk.probability,
            risk.impact,
            risk.score,
            levels.get(risk.level, ""),
            risk.residual_probability,
            risk.residual_impact,
            risk.residual_score,
            levels.get(risk.residual_level, ""),
            label(labels["response"], risk.response),
            risk.proximity,
            risk.next_review_on,
            yes if risk.review_is_overdue else no,
            label(labels["state"], risk.state),
            yes if risk.escalated else no,
            risk.closing_note,
        ]


def home_label(thing: Risk | Issue) -> str:
    """The project (or its placeholder, see `portfolio.visibility`), else the transverse home."""
    if thing.project_id is not None:
        return project_label(thing)
    return str(thing.home or "")


def risks_export(risks: Iterable[Risk], *, kind: str, today: date) -> HttpResponse:
    filename = f"{_('risks')}-{today:%Y-%m-%d}"
    if kind == "csv":
        return spreadsheets.csv_response(RISK_COLUMNS, risk_rows(risks), filename=filename)
    return spreadsheets.xlsx_response(
        RISK_COLUMNS, risk_rows(risks), filename=filename, title=_("Risk register")
    )


ISSUE_COLUMNS = [
    Column(gettext_lazy("Reference"), 12),
    Column(gettext_lazy("Project or home"), 35),
    Column(gettext_lazy("Title"), 50),
    Column(gettext_lazy("Severity"), 10),
    Column(gettext_lazy("State"), 12),
    Column(gettext_lazy("Owner"), 22),
    Column(gettext_lazy("Due date"), 11, DATE_FORMAT),
    Column(gettext_lazy("Overdue"), 9),
    Column(gettext_lazy("Came from risk"), 12),
    Column(gettext_lazy("Resolved on"), 11, DATE_FORMAT),
    Column(gettext_lazy("Resolution"), 50),
    Column(gettext_lazy("Description"), 50),
    Column(gettext_lazy("Created"), 16, DATETIME_FORMAT),
]


def issue_rows(issues: Iterable[Issue], *, today: date) -> Iterator[list[Any]]:
    """`issues` from `Issue.objects.for_listing()`, annotated with `project_visible`."""
    for issue in issues:
        yield [
            issue.reference,
            home_label(issue),
            issue.title,
            issue.get_severity_display(),
            issue.get_state_display(),
            str(issue.owner),
            issue.due_date,
            _("Yes") if issue.is_overdue(today) else _("No"),
            issue.risk.reference if issue.risk else "",
            issue.resolved_on,
            issue.resolution,
            issue.description,
            issue.created_at,
        ]


def issues_export(issues: Iterable[Issue], *, kind: str, today: date) -> HttpResponse:
    filename = f"{_('issues')}-{today:%Y-%m-%d}"
    return spreadsheets.export_response(
        kind, ISSUE_COLUMNS, issue_rows(issues, today=today), filename=filename, title=_("Issues")
    )
