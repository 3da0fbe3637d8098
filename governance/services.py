"""Writes that touch several governance rows at once: the meeting's life, decisions, actions, gates.

Every change made while a meeting is under way bumps the meeting's revision,
which is how the other screens following it learn that they must refresh.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance import signals, texts
from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    GateCheck,
    GateCriterion,
    GateReview,
    Meeting,
    Membership,
    next_reference,
)
from governance.signals import meeting_closed, minutes_amended
from pmo import audit
from pmo.texts import Text, stored
from portfolio.models import Phase, Project


class GovernanceError(Exception):
    """A rule of governance that the request breaks; the message is for the user."""


class FrozenDecisionError(GovernanceError):
    pass


# --- Meetings -----------------------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(*, committee: Committee, starts_at: datetime, by, **fields) -> Meeting:
    """A new meeting, with an attendance line per member and the committee's open actions to follow up."""
    meeting = Meeting(committee=committee, starts_at=starts_at, created_by=by, **fields)
    audit.note(meeting, by=by).save(force_insert=True)
    members = {m.user_id: m.role for m in committee.memberships.all()}
    if committee.chair_id and committee.chair_id not in members:
        members[committee.chair_id] = Membership.Role.VOTING
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user_id=user_id, role=role) for user_id, role in members.items()
    )
    carry_open_actions(committee=committee, to=meeting)
    return meeting


def carry_open_actions(*, committee: Committee, to: Meeting) -> int:
    """Open actions of the committee not already due for follow-up at a planned meeting go to `to`."""
    actions = list(
        Action.objects.open()
        .filter(committee=committee)
        .exclude(meeting=to)
        .exclude(follow_up_meeting=to)
        .exclude(
            follow_up_meeting__state=Meeting.State.PLANNED, follow_up_meeting__starts_at__lt=to.starts_at
        )
    )
    for action in actions:
        action.follow_up_meeting = to
    # Each action's trail says where it is followed up (a bulk update sends no signal of its own).
    audit.bulk_update(actions, ["follow_up_meeting"], reason=gettext_noop("carried to the next meeting"))
    return len(actions)


def agenda_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItem.Kind.OTHER,
    title_text: Text | None = None,
    reason_text: Text | None = None,
    **fields,
) -> AgendaItem:
    """An item at the end of the agenda; a title or reason the application wrote comes as its key too."""
    if meeting.is_closed:
        raise GovernanceError(_("The meeting is closed; its agenda can no longer change."))
    last = meeting.items.aggregate(last=Max("order"))["last"] or 0
    fields |= stored("title", title_text) | stored("reason", reason_text)
    item = AgendaItem.objects.create(meeting=meeting, title=title, kind=kind, order=last + 10, **fields)
    meeting.touch()
    return item


@transaction.atomic
def agenda_move(*, item: AgendaItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) the agenda."""
    items = list(item.meeting.items.select_for_update().order_by("order", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    for position, other in enumerate(items, start=1):
        other.order = position * 10
    AgendaItem.objects.bulk_update(items, ["order"])
    item.meeting.touch()


@transaction.atomic
def agenda_accept(*, meeting: Meeting, proposal) -> AgendaItem:
    """Put a proposal (`governance.selectors.Proposal`) on the agenda, its project's manager presenting."""
    review = proposal.gate_review
    if review is not None:
        # A gate left pending by a closed meeting comes back: the new item takes the review over
        # (the earlier item keeps its title and minutes).
        AgendaItem.objects.filter(gate_review=review).exclude(meeting=meeting).update(gate_review=None)
    project = proposal.project
    presenter = proposal.presenter or (project.project_manager if project is not None else None)
    item = agenda_add(
        meeting=meeting,
        title=proposal.title,
        kind=proposal.kind,
        planned_minutes=proposal.planned_minutes,
        project=project,
        gate_review=review,
        reason=proposal.reason[: AgendaItem._meta.get_field("reason").max_length],
        presenter=presenter,
        title_text=proposal.title_text,
        reason_text=proposal.reason_text,
    )
    if proposal.on_accept is not None:
        proposal.on_accept(item)
    return item


@transaction.atomic
def agenda_withdraw(*, item: AgendaItem, reason: str, by) -> AgendaItem:
    """The PMO withdraws an item a closed meeting did not discuss: it is no longer proposed to the
    committee's next meetings, and the minutes say who withdrew it, when and why."""
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_("Say why the item is withdrawn."))
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if not item.meeting.is_closed or not AgendaItem.objects.not_discussed().filter(pk=item.pk).exists():
        raise GovernanceError(_("Only an item a closed meeting did not discuss can be withdrawn."))
    if item.withdrawn_at is not None or AgendaItem.objects.filter(carried_from=item).exists():
        raise GovernanceError(_("This item is already withdrawn or back on an agenda."))
    item.withdrawn_reason = reason[: AgendaItem._meta.get_field("withdrawn_reason").max_length]
    item.withdrawn_at = timezone.now()
    item.withdrawn_by = by
    item.save(update_fields=["withdrawn_reason", "withdrawn_at", "withdrawn_by"])
    meeting = item.meeting
    transaction.on_commit(lambda: minutes_amended.send(sender=Meeting, meeting=meeting, by=by))
    return item


@transaction.atomic
def agenda_remove(*, item: AgendaItem) -> None:
    """Take an item off the agenda: only before it has been discussed."""
    meeting = item.meeting
    if meeting.is_closed or item.started_at is not None:
        raise GovernanceError(_("This item has already been discussed; it stays on the agenda."))
    item.delete()
    meeting.touch()


@transaction.atomic
def meeting_start(*, meeting: Meeting, by) -> Meeting:
    if meeting.state != Meeting.State.PLANNED:
        raise GovernanceError(_("Only a planned meeting can be started."))
    meeting.state = Meeting.State.IN_PROGRESS
    meeting.started_at = timezone.now()
    audit.note(meeting, by=by, reason=gettext_noop("meeting started"))
    meeting.save(update_fields=["state", "started_at"])
    first = meeting.items.order_by("order", "pk").first()
    if first:
        meeting_show_item(meeting=meeting, item=first)
    else:
        meeting.touch()
    return meeting


@transaction.atomic
def meeting_show_item(*, meeting: Meeting, item: AgendaItem) -> None:
    """Put `item` on the screen: the item shown before ends, this one's clock starts (or resumes)."""
    if item.meeting_id != meeting.pk:
        raise GovernanceError(_("This item belongs to another meeting."))
    now = timezone.now()
    if meeting.current_item_id and meeting.current_item_id != item.pk:
        AgendaItem.objects.filter(pk=meeting.current_item_id, ended_at__isnull=True).update(ended_at=now)
    if item.started_at is None:
        item.started_at = now
        item.save(update_fields=["started_at"])
    meeting.current_item = item
    # What the projector shows is live state, not part of the meeting's trail.
    meeting.save_without_historical_record(update_fields=["current_item"])
    meeting.touch()


def attendance_set(*, attendance: Attendance, status: str, represented_by: str = "") -> Attendance:
    if attendance.meeting.is_closed:
        raise GovernanceError(_("The meeting is closed; its attendance can no longer change."))
    attendance.status = status
    attendance.represented_by = represented_by if status == Attendance.Status.REPRESENTED else ""
    attendance.save(update_fields=["status", "represented_by"])
    attendance.meeting.touch()
    return attendance


@transaction.atomic
def meeting_close(*, meeting: Meeting, by) -> Meeting:
    """Close the meeting: its decisions are frozen, open actions go to the committee's next meeting,
    and the minutes are asked for once the transaction has committed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state != Meeting.State.IN_PROGRESS:
        raise GovernanceError(_("Only a meeting in progress can be closed."))
    now = timezone.now()
    meeting.items.filter(started_at__isnull=False, ended_at__isnull=True).update(ended_at=now)
    meeting.state = Meeting.State.CLOSED
    meeting.closed_at = now
    audit.note(meeting, by=by, reason=gettext_noop("meeting closed"))
    meeting.save(update_fields=["state", "closed_at"])
    if following := meeting.next():
        carry_open_actions(committee=meeting.committee, to=following)
    meeting.touch()
    transaction.on_commit(lambda: meeting_closed.send(sender=Meeting, meeting=meeting, by=by))
    return meeting


# --- Decisions ----------------------------------------------------------------------------------------


def _check_open(meeting: Meeting | None) -> None:
    if meeting is not None and meeting.is_closed:
        raise FrozenDecisionError(
            _("The meeting is closed: its decisions are part of the record. Record a correction instead.")
        )


@transaction.atomic
def decision_record(
    *,
    committee: Committee,
    title: str,
    by,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    decided_on: date | None = None,
    title_text: Text | None = None,
    **fields,
) -> Decision:
    _check_open(meeting)
    fields |= stored("title", title_text)
    decided_on = decided_on or timezone.localdate()
    if agenda_item is not None and "project" not in fields:
        fields["project"] = agenda_item.project
    decision = Decision(
        reference=next_reference(f"DEC-{decided_on.year}"),
        committee=committee,
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        decided_on=decided_on,
        recorded_by=by,
        **fields,
    )
    audit.note(decision, by=by).save(force_insert=True)
    if meeting is not None:
        meeting.touch()
    signals.decision_recorded.send(sender=Decision, decision=decision, by=by)
    return decision


EDITABLE_DECISION_FIELDS = (
    "title",
    "description",
    "options_considered",
    "rationale",
    "outcome",
    "conditions",
    "project",
    "implementation_due",
)


def decision_update(*, decision: Decision, **fields) -> Decision:
    if decision.is_frozen:
        raise FrozenDecisionError(
            _("The meeting is closed: its decisions are part of the record. Record a correction instead.")
        )
    if decision.title_key and fields.get("title", decision.display_title) != decision.display_title:
        decision.title_key, decision.title_params = "", {}  # retyped: shown as typed from now on
    for name, value in fields.items():
        if name not in EDITABLE_DECISION_FIELDS:
            raise ValueError(name)
        setattr(decision, name, value)
    decision.save()
    if decision.meeting_id:
        decision.meeting.touch()
    return decision


@transaction.atomic
def decision_supersede(*, decision: Decision, by, title: str, **fields) -> Decision:
    """A correction: a new decision that supersedes `decision`; both stay in the log."""
    if decision.is_superseded:
        raise GovernanceError(
            _("%(reference)s has already been superseded by %(other)s.")
            % {"reference": decision.reference, "other": decision.superseded_by.reference}
        )
    fields.setdefault("project", decision.project)
    return decision_record(committee=decision.committee, title=title, by=by, supersedes=decision, **fields)


def decision_set_implementation(
    *, decision: Decision, implementation: str, on: date | None = None
) -> Decision:
    """Following a decision's implementation is not editing it: allowed after the meeting is closed."""
    decision.implementation = implementation
    decision.implemented_on = (
        (on or timezone.localdate()) if implementation == Decision.Implementation.IMPLEMENTED else None
    )
    decision.save(update_fields=["implementation", "implemented_on"])
    return decision


# --- Actions ------------------------------------------------------------------------------------------


def action_create(
    *,
    title: str,
    owner,
    due_date: date,
    by,
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    project: Project | None = None,
    committee: Committee | None = None,
    origin: str | None = None,
    **fields,
) -> Action:
    if meeting is not None and meeting.is_closed:
        raise GovernanceError(_("The meeting is closed; record the action outside it."))
    if decision is not None:
        meeting = meeting or decision.meeting
        project = project or decision.project
        committee = committee or decision.committee
        # Raised under the item its decision was taken on: the minutes list it there.
        if "agenda_item" not in fields and decision.meeting_id == (meeting.pk if meeting else None):
            fields["agenda_item"] = decision.agenda_item
    if meeting is not None:
        committee = committee or meeting.committee
    if origin is None:
        origin = (
            Action.Origin.DECISION
            if decision
            else Action.Origin.MEETING
            if meeting
            else Action.Origin.PROJECT
        )
    action = Action(
        reference=next_reference(f"ACT-{timezone.localdate().year}"),
        title=title,
        owner=owner,
        due_date=due_date,
        meeting=meeting,
        decision=decision,
        project=project,
        committee=committee,
        origin=origin,
        created_by=by,
        **fields,
    )
    audit.note(action, by=by).save(force_insert=True)
    if meeting is not None:
        meeting.touch()
    return action


def action_set_state(*, action: Action, state: str, by, note: str = "") -> Action:
    if not action.is_editable_by(by):
        raise GovernanceError(
            _("Only the action's owner, the committee's secretary or the PMO may change it.")
        )
    action.state = state
    if note:
        action.completion_note = note
    action.completed_on = timezone.localdate() if state == Action.State.DONE else None
    audit.note(action, by=by)
    action.save(update_fields=["state", "completion_note", "completed_on", "updated_at"])
    for meeting_id in {action.meeting_id, action.follow_up_meeting_id} - {None}:
        Meeting(pk=meeting_id).touch()
    return action


# --- Stage gates --------------------------------------------------------------------------------------


def next_phase(phase: Phase | None) -> Phase | None:
    phases = Phase.objects.order_by("order", "pk")
    if phase is None:
        return phases.first()
    return phases.filter(order__gt=phase.order).first()


@transaction.atomic
def gate_review_request(*, project: Project, committee: Committee, by) -> GateReview:
    """Ask `committee` to let `project` leave its phase; the checklist is the phase's active criteria."""
    if project.phase is None:
        raise GovernanceError(_("The project has no phase yet; set one before asking for a gate review."))
    to_phase = next_phase(project.phase)
    if to_phase is None:
        raise GovernanceError(_("The project is in its last phase: there is no gate left to pass."))
    if project.gate_reviews.filter(state=GateReview.State.PENDING).exists():
        raise GovernanceError(_("A gate review is already waiting for this project."))
    review = GateReview.objects.create(
        project=project, committee=committee, from_phase=project.phase, to_phase=to_phase, requested_by=by
    )
    GateCheck.objects.bulk_create(
        GateCheck(review=review, criterion=criterion)
        for criterion in GateCriterion.objects.for_project(project)
    )
    return review


GATE_TO_DECISION = {
    GateReview.Outcome.GO: Decision.Outcome.APPROVED,
    GateReview.Outcome.GO_WITH_CONDITIONS: Decision.Outcome.APPROVED_WITH_CONDITIONS,
    GateReview.Outcome.HOLD: Decision.Outcome.DEFERRED,
    GateReview.Outcome.STOP: Decision.Outcome.REJECTED,
}


@transaction.atomic
def gate_review_decide(
    *,
    review: GateReview,
    outcome: str,
    by,
    checks: dict[int, tuple[bool | None, str]] | None = None,
    conditions: list[dict] | None = None,
    rationale: str = "",
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
) -> Decision:
    """The committee's verdict on a gate: recorded as a decision; go moves the project to the next
    phase, stop cancels it, and each condition becomes an action (`{"title", "owner", "due_date"}`)."""
    review = GateReview.objects.select_for_update().select_related("project").get(pk=review.pk)
    if review.state != GateReview.State.PENDING:
        raise GovernanceError(_("This gate review has already been decided."))
    conditions = conditions or []
    if outcome == GateReview.Outcome.GO_WITH_CONDITIONS and not conditions:
        raise GovernanceError(_("Go with conditions needs at least one condition."))
    for check in review.checks.all():
        if check.criterion_id in (checks or {}):
            check.met, check.comment = checks[check.criterion_id]
            check.save(update_fields=["met", "comment"])

    project = review.project
    title = texts.stage_gate(review)
    decision = decision_record(
        committee=review.committee,
        meeting=meeting,
        agenda_item=agenda_item,
        by=by,
        title=str(title),
        title_text=title,
        outcome=GATE_TO_DECISION[outcome],
        rationale=rationale,
        conditions="\n".join(condition["title"] for condition in conditions),
        project=project,
        gate_review=review,
    )
    for condition in conditions:
        action_create(by=by, decision=decision, meeting=meeting, agenda_item=agenda_item, **condition)

    review.state = GateReview.State.DECIDED
    review.outcome = outcome
    review.decided_at = timezone.now()
    review.save(update_fields=["state", "outcome", "decided_at"])
    if outcome in (GateReview.Outcome.GO, GateReview.Outcome.GO_WITH_CONDITIONS):
        project.phase = review.to_phase
    elif outcome == GateReview.Outcome.STOP:
        project.state = Project.State.CANCELLED
    project.version += 1
    audit.note(project, by=by, reason=gettext_noop("stage gate decided"))
    project.save(update_fields=["phase", "state", "version", "updated_at"])
    if outcome in (GateReview.Outcome.GO, GateReview.Outcome.GO_WITH_CONDITIONS):
        signals.gate_passed.send(sender=GateReview, review=review, project=project, by=by)
    return decision


# --- Live meeting -------------------------------------------------------------------------------------


def agenda_item_minutes(*, item: AgendaItem, minutes: str) -> AgendaItem:
    """The secretary's notes on one item, saved as they type during the meeting."""
    if item.meeting.is_closed:
        raise GovernanceError(_("The meeting is closed; its minutes can no longer change."))
    item.minutes = minutes
    item.save(update_fields=["minutes"])
    item.meeting.touch()
    return item
