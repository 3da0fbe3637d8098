"""The risk register as spreadsheets (written by `pmo.spreadsheets`).

Rows are built in the active language from `selectors.register_queryset` (its joins and
annotations), so a row reads no relation the query did not bring.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo import spreadsheets
from pmo.spreadsheets import Column, choice_labels, label
from risks.models import Risk, RiskLevel

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


def home_label(risk: Risk) -> str:
    if risk.project is not None:
        return f"{risk.project.code} {risk.project.name}"
    return str(risk.home or "")


def risks_export(risks: Iterable[Risk], *, kind: str, today: date) -> HttpResponse:
    filename = f"{_('risks')}-{today:%Y-%m-%d}"
    if kind == "csv":
        return spreadsheets.csv_response(RISK_COLUMNS, risk_rows(risks), filename=filename)
    return spreadsheets.xlsx_response(
        RISK_COLUMNS, risk_rows(risks), filename=filename, title=_("Risk register")
    )
