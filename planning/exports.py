"""The change-request list as a spreadsheet (written by `pmo.spreadsheets`), from
`ChangeRequest.objects.for_listing()`: a row reads only joined relations. Every request listed belongs
to a project its reader may see."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning.impact import Impact
from planning.models import ChangeRequest
from pmo import spreadsheets
from pmo.spreadsheets import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT, Column

COLUMNS = [
    Column(gettext_lazy("Reference"), 14),
    Column(gettext_lazy("Project code"), 11),
    Column(gettext_lazy("Project name"), 35),
    Column(gettext_lazy("Directorate"), 25),
    Column(gettext_lazy("Title"), 45),
    Column(gettext_lazy("State"), 18),
    Column(gettext_lazy("Decided by"), 18),
    Column(gettext_lazy("Committee"), 20),
    Column(gettext_lazy("New start"), 11, DATE_FORMAT),
    Column(gettext_lazy("New end (go-live)"), 11, DATE_FORMAT),
    Column(gettext_lazy("New budget at completion"), 16, MONEY_FORMAT),
    Column(gettext_lazy("Slip (days)"), 9, "0"),
    Column(gettext_lazy("Budget change (%)"), 9, "0.0"),
    Column(gettext_lazy("Raised by"), 22),
    Column(gettext_lazy("Raised at"), 16, DATETIME_FORMAT),
    Column(gettext_lazy("Decided at"), 16, DATETIME_FORMAT),
]


def rows(change_requests: Iterable[ChangeRequest]) -> Iterator[list[Any]]:
    for cr in change_requests:
        impact = Impact.from_json(cr.impact) if cr.impact else None
        percent = impact.budget_change_percent if impact else None
        yield [
            cr.reference,
            cr.project.code,
            cr.project.name,
            str(cr.project.directorate or ""),
            cr.title,
            cr.get_state_display(),
            cr.get_route_display(),
            str(cr.committee or ""),
            cr.new_start,
            cr.new_end,
            cr.new_budget,
            impact.slip_days if impact else None,
            Decimal(percent) if percent is not None else None,
            str(cr.raised_by or ""),
            cr.raised_at,
            cr.decided_at,
        ]


def change_requests_export(
    change_requests: Iterable[ChangeRequest], *, kind: str, today: date
) -> HttpResponse:
    name = _("change-requests")  # outside the f-string, where xgettext finds it
    filename = f"{name}-{today:%Y-%m-%d}"
    return spreadsheets.export_response(
        kind, COLUMNS, rows(change_requests), filename=filename, title=_("Change requests")
    )
