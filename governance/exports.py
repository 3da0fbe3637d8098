"""The decision log and the action tracker as spreadsheets (written by `pmo.spreadsheets`).

Rows are built once, in the active language, from the listing querysets
(`for_listing()`), so a row reads only joined relations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import Action, Decision
from pmo import spreadsheets
from pmo.spreadsheets import Column

DECISION_COLUMNS = [
    Column(gettext_lazy("Reference"), 15),
    Column(gettext_lazy("Date"), 11, "yyyy-mm-dd"),
    Column(gettext_lazy("Title"), 50),
    Column(gettext_lazy("Committee"), 28),
    Column(gettext_lazy("Meeting date"), 11, "yyyy-mm-dd"),
    Column(gettext_lazy("Project code"), 11),
    Column(gettext_lazy("Project"), 35),
    Column(gettext_lazy("Outcome"), 18),
    Column(gettext_lazy("Conditions"), 40),
    Column(gettext_lazy("Implementation"), 16),
    Column(gettext_lazy("To implement by"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Implemented on"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Supersedes"), 15),
    Column(gettext_lazy("Superseded by"), 15),
    Column(gettext_lazy("Description"), 50),
    Column(gettext_lazy("Rationale"), 50),
]

ACTION_COLUMNS = [
    Column(gettext_lazy("Reference"), 15),
    Column(gettext_lazy("Title"), 50),
    Column(gettext_lazy("Owner"), 22),
    Column(gettext_lazy("Due date"), 11, "yyyy-mm-dd"),
    Column(gettext_lazy("State"), 12),
    Column(gettext_lazy("Overdue"), 9),
    Column(gettext_lazy("Origin"), 11),
    Column(gettext_lazy("Committee"), 28),
    Column(gettext_lazy("Meeting date"), 11, "yyyy-mm-dd"),
    Column(gettext_lazy("Decision"), 15),
    Column(gettext_lazy("Project code"), 11),
    Column(gettext_lazy("Completed on"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Completion note"), 50),
]


def decision_rows(decisions: Iterable[Decision]) -> Iterator[list[Any]]:
    for decision in decisions:
        replacement = decision.superseded_by if decision.is_superseded else None
        yield [
            decision.reference,
            decision.decided_on,
            decision.display_title,
            _name(decision.committee),
            _meeting_day(decision.meeting),
            decision.project.code if decision.project else "",
            decision.project.name if decision.project else "",
            decision.get_outcome_display(),
            decision.conditions,
            decision.get_implementation_display(),
            decision.implementation_due,
            decision.implemented_on,
            decision.supersedes.reference if decision.supersedes else "",
            replacement.reference if replacement else "",
            decision.description,
            decision.rationale,
        ]


def action_rows(actions: Iterable[Action], *, today: date) -> Iterator[list[Any]]:
    for action in actions:
        yield [
            action.reference,
            action.title,
            _name(action.owner),
            action.due_date,
            action.get_state_display(),
            _("Yes") if action.is_overdue(today) else _("No"),
            action.get_origin_display(),
            _name(action.committee),
            _meeting_day(action.meeting),
            action.decision.reference if action.decision else "",
            action.project.code if action.project and getattr(action, "project_visible", False) else "",
            action.completed_on,
            action.completion_note,
        ]


def _name(thing: object | None) -> str:
    return "" if thing is None else str(thing)


def _meeting_day(meeting) -> date | None:
    return timezone.localtime(meeting.starts_at).date() if meeting else None


def decisions_export(decisions: Iterable[Decision], *, kind: str) -> HttpResponse:
    filename = f"{_('decisions')}-{timezone.localdate():%Y-%m-%d}"
    if kind == "csv":
        return spreadsheets.csv_response(DECISION_COLUMNS, decision_rows(decisions), filename=filename)
    return spreadsheets.xlsx_response(
        DECISION_COLUMNS, decision_rows(decisions), filename=filename, title=_("Decision log")
    )


def actions_export(actions: Iterable[Action], *, kind: str, today: date) -> HttpResponse:
    filename = f"{_('actions')}-{today:%Y-%m-%d}"
    rows = action_rows(actions, today=today)
    if kind == "csv":
        return spreadsheets.csv_response(ACTION_COLUMNS, rows, filename=filename)
    return spreadsheets.xlsx_response(ACTION_COLUMNS, rows, filename=filename, title=_("Actions"))
