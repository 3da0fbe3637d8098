"""The request list as a spreadsheet (CSV or XLSX): the filtered, sorted rows, not one page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from demand.models import ProjectRequest
from pmo import spreadsheets
from pmo.spreadsheets import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT, Column, choice_labels, label

COLUMNS = [
    Column(_("Code"), 13),
    Column(_("Title"), 45),
    Column(_("Directorate"), 30),
    Column(_("State"), 18),
    Column(_("Urgency"), 10),
    Column(_("Requested by"), 22),
    Column(_("Sponsor"), 22),
    Column(_("Strategic objective"), 30),
    Column(_("Submitted at"), 16, DATETIME_FORMAT),
    Column(_("Desired start"), 12, DATE_FORMAT),
    Column(_("Desired end"), 12, DATE_FORMAT),
    Column(_("Regulatory deadline"), 12, DATE_FORMAT),
    Column(_("Estimated cost"), 16, MONEY_FORMAT),
    Column(_("Expected financial benefit a year"), 16, MONEY_FORMAT),
    Column(_("Currency"), 9),
]


def request_rows(requests: Iterable[ProjectRequest]) -> Iterator[list[Any]]:
    labels = choice_labels(ProjectRequest, "state", "urgency")
    for row in requests:
        yield [
            row.code,
            row.title,
            row.directorate.name,
            label(labels["state"], row.state),
            label(labels["urgency"], row.urgency),
            str(row.requested_by or ""),
            str(row.sponsor or ""),
            row.strategic_objective,
            row.created_at,
            row.desired_start,
            row.desired_end,
            row.regulatory_deadline,
            row.total_cost,
            row.expected_annual_benefit,
            row.currency,
        ]


def export(kind: str, requests: Iterable[ProjectRequest], *, filename: str):
    return spreadsheets.export_response(
        kind, COLUMNS, request_rows(requests), filename=filename, title=str(_("Project requests"))
    )
