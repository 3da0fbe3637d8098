"""The demo's audit trail for committees, meetings, decisions and actions (see pmo.demo,
`seed_history`): what the PMO and the secretaries would have left behind them. A committee was set
up before its first meeting; a meeting was planned three weeks ahead, its invitations sent a week
ahead, then it was started and closed; a decision was recorded in its meeting; an action done was
closed by its owner with a note."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from django.utils.translation import gettext_noop

from governance.demo.committees import HISTORY_DAYS
from governance.models import Action, Committee, Decision, Meeting
from pmo import audit
from pmo.demo import DemoContext
from pmo.roles import Role

PLANNED_AHEAD = timedelta(days=21)


def seed_history(ctx: DemoContext) -> None:
    pmo = ctx.demo_users.get(Role.PMO)
    # A month before the oldest meetings of the demo (HISTORY_DAYS back).
    set_up = audit.local(ctx.today - timedelta(days=HISTORY_DAYS + 30), 11)
    committees = [(c, "+", set_up, pmo.pk if pmo else None, "") for c in Committee.objects.order_by("pk")]
    ctx.history_records += audit.record(Committee, committees)
    ctx.history_records += audit.record(Meeting, _meetings(ctx.morning))
    decisions = Decision.objects.order_by("pk")
    ctx.history_records += audit.record_created(
        Decision, decisions, when=lambda d: d["recorded_at"], who=lambda d: d["recorded_by_id"]
    )
    ctx.history_records += audit.record(Action, _actions(ctx))


def _meetings(morning: datetime):
    """Planned, invited, started, closed: each step by the committee's secretary, as far as it went."""
    for meeting in Meeting.objects.select_related("committee").order_by("pk"):
        secretary = meeting.created_by_id or meeting.committee.secretary_id
        planned = copy.copy(meeting)
        planned.state, planned.started_at, planned.closed_at = Meeting.State.PLANNED, None, None
        planned.invitations_sent_at, planned.notes = None, ""
        yield planned, "+", min(meeting.starts_at - PLANNED_AHEAD, morning), secretary, ""
        if meeting.invitations_sent_at:
            invited = copy.copy(planned)
            invited.invitations_sent_at = meeting.invitations_sent_at
            yield invited, "~", meeting.invitations_sent_at, secretary, gettext_noop("invitations sent")
        if meeting.started_at:
            started = copy.copy(meeting)
            started.state, started.closed_at, started.notes = Meeting.State.IN_PROGRESS, None, ""
            yield started, "~", meeting.started_at, secretary, gettext_noop("meeting started")
        if meeting.closed_at:
            yield meeting, "~", meeting.closed_at, secretary, gettext_noop("meeting closed")


def _actions(ctx: DemoContext):
    """Created in its meeting (or by a service during the run: this morning); done or cancelled later by
    its owner (the completion note with it)."""
    morning = ctx.morning
    for action in Action.objects.order_by("pk"):
        created = ctx.dated(action.created_at)
        if action.is_open:
            yield action, "+", created, action.created_by_id, ""
            continue
        opened = copy.copy(action)
        opened.state, opened.completion_note, opened.completed_on = Action.State.OPEN, "", None
        ended = (
            audit.local(action.completed_on, 17, 30) if action.completed_on else ctx.dated(action.updated_at)
        )
        yield opened, "+", created, action.created_by_id, ""
        yield action, "~", max(min(ended, morning), created), action.owner_id, ""
