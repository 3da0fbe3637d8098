"""Reads of the live meeting page: what the projector and every screen following the meeting show.

One function builds the whole page's data in a fixed number of queries, whatever the number of
agenda items, attendees, decisions and actions; the poll endpoint reuses it when something changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from governance.confidential import Veil
from governance.extensions import live_extras, mark_automatic
from governance.models import Action, AgendaItem, Attendance, Decision, GateReview, Meeting, Membership
from pmo.models import User
from portfolio.models import Project, StatusReport
from portfolio.selectors import TREND_PERIODS

# The timer turns amber when this share of the planned duration has gone (and red past it).
TIMER_WARNING_SHARE = 0.8


@dataclass(frozen=True)
class Quorum:
    present: int
    required: int

    @property
    def reached(self) -> bool:
        return self.present >= self.required


def quorum_of(meeting: Meeting, attendances: list[Attendance]) -> Quorum:
    """Voting members present (or represented) against the committee's quorum."""
    counted = (Attendance.Status.PRESENT, Attendance.Status.REPRESENTED)
    present = sum(1 for a in attendances if a.role == Membership.Role.VOTING and a.status in counted)
    return Quorum(present=present, required=meeting.committee.quorum)


def elapsed_seconds(item: AgendaItem | None, now) -> int:
    """Seconds the item has been discussed: until now while it is on the screen, else until it ended."""
    if item is None or item.started_at is None:
        return 0
    end = now if item.ended_at is None or item.ended_at < item.started_at else item.ended_at
    return max(int((end - item.started_at).total_seconds()), 0)


def timer_level(elapsed: int, planned_minutes: int) -> str:
    planned = planned_minutes * 60
    if planned and elapsed > planned:
        return "over"
    if planned and elapsed >= planned * TIMER_WARNING_SHARE:
        return "warn"
    return "ok"


@dataclass(frozen=True)
class ClosingCheck:
    """What closing the meeting now would leave behind: the items not discussed (proposed again to the
    committee's next meeting) and the stage gates discussed but not decided (they wait for a later
    meeting). Closing with some asks for a confirmation that names them: `key`, posted back with it,
    says which ones the chair saw."""

    not_discussed: list[AgendaItem]
    undecided_gates: list[AgendaItem]

    def __bool__(self) -> bool:
        return bool(self.not_discussed or self.undecided_gates)

    @property
    def key(self) -> str:
        return ",".join(str(pk) for pk in sorted(i.pk for i in (*self.not_discussed, *self.undecided_gates)))


def closing_check_of(items: list[AgendaItem]) -> ClosingCheck:
    """`items` read with `AgendaItem.objects.with_discussion()` and their gate reviews."""
    return ClosingCheck(
        not_discussed=[i for i in items if not i.discussed],
        undecided_gates=[
            i
            for i in items
            if i.discussed and i.gate_review is not None and i.gate_review.state == GateReview.State.PENDING
        ],
    )


def closing_check(meeting: Meeting, *, user) -> ClosingCheck:
    """The check for the close page (two queries: the agenda, the projects hidden from `user`)."""
    items = list(
        meeting.items.with_discussion()
        .select_related("project", "presenter", "gate_review")
        .order_by("order", "pk")
    )
    return closing_check_of(Veil.for_reader(user).items(items))


def owner_choices(meeting: Meeting) -> tuple[list[User], set[int]]:
    """Active users, the committee's members first (one query)."""
    member = Exists(Membership.objects.filter(committee=meeting.committee_id, user=OuterRef("pk")))
    users = list(
        User.objects.filter(is_active=True)
        .annotate(is_member=member)
        .order_by("-is_member", "last_name", "first_name", "username")
    )
    return users, {u.pk for u in users if u.is_member}


def project_panel(project: Project, *, user, today: date) -> dict:
    """The current item's project as the committee sees it: latest status, trend, milestones."""
    reports = list(
        StatusReport.objects.latest_revisions().filter(project=project).order_by("-period")[:TREND_PERIODS]
    )
    reports.reverse()
    milestones = list(project.milestones.all())
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
        milestone.slipped = milestone.slip_days > 0
    return {
        "project": project,
        "report": project.last_report,
        "reports": reports,
        "trend": [
            {
                "label": StatusReport._meta.get_field(name).verbose_name,
                "rags": [getattr(r, name) for r in reports],
            }
            for name in ("overall_rag", *StatusReport.DIMENSIONS)
        ],
        "milestones": milestones,
    }


def live_meeting_data(meeting: Meeting, *, user, manage: bool, today: date | None = None) -> dict:
    """Everything the live page shows.

    `meeting` comes with its committee joined. Queries: the agenda (with presenter, project, its last
    report and phase, gate review), the attendance with users, the decisions and the actions of the
    meeting, the actions to follow up, the projects the user may not see (governance.confidential);
    when the current item has a project they may see: its trend and milestones; a gate item's checks;
    for managers the list of possible action owners.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    items = list(
        meeting.items.with_discussion()
        .select_related(
            "presenter",
            "project__last_report",
            "project__phase",
            "gate_review__from_phase",
            "gate_review__to_phase",
        )
        .order_by("order", "pk")
    )
    # An item about a project the user may not see is a "Confidential item" to them, on the screen too.
    veil = Veil.for_reader(user)
    veil.items(items)
    current = next((i for i in items if i.pk == meeting.current_item_id), None)
    position = items.index(current) if current else -1
    # Voting members first: they make the quorum.
    role_order = {role: n for n, role in enumerate(Membership.Role.values)}
    attendances = sorted(meeting.attendances.select_related("user"), key=lambda a: role_order.get(a.role, 9))
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("agenda_item", "project")
        .order_by("recorded_at", "pk")
    )
    actions = veil.filter(
        Action.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("owner", "decision")
        .order_by("created_at", "pk")
    )
    follow_up = veil.filter(
        meeting.actions_to_follow_up.select_related("owner", "committee", "meeting").order_by(
            "due_date", "pk"
        )
    )
    for action in (*actions, *follow_up):
        action.overdue = action.is_overdue(today)

    panel = None
    if current and current.is_confidential:
        panel = {"hidden": True}
    elif current and current.project_id:
        panel = project_panel(current.project, user=user, today=today)
    # What other apps show under the item (governance.extensions): the project's top risks, say.
    extras = live_extras(current, user=user, today=today) if current else []
    checks = []
    if current and current.gate_review_id:
        checks = list(current.gate_review.checks.select_related("criterion", "review__project"))
        mark_automatic(
            checks, checks[0].review.project if checks else None, criterion_of=lambda c: c.criterion
        )

    elapsed = elapsed_seconds(current, now)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "manage": manage and meeting.state == Meeting.State.IN_PROGRESS,
        "can_manage": manage,
        "items": items,
        "current": current,
        "position": position + 1,
        "previous_item": items[position - 1] if position > 0 else None,
        "next_item": items[position + 1] if 0 <= position < len(items) - 1 else None,
        "elapsed": elapsed,
        "timer_level": timer_level(elapsed, current.planned_minutes) if current else "ok",
        "attendances": attendances,
        "attendance_statuses": Attendance.Status.choices,
        "quorum": quorum_of(meeting, attendances),
        "decisions": decisions,
        "item_decisions": [d for d in decisions if current and d.agenda_item_id == current.pk],
        "actions": actions,
        "follow_up": follow_up,
        "action_states": Action.State.choices,
        "panel": panel,
        "extras": extras,
        "review": current.gate_review if current else None,
        "gate_item": current,
        "checks": checks,
        "closing": closing_check_of(items),
        "meeting_elapsed": (
            int((now - meeting.started_at).total_seconds())
            if meeting.started_at and meeting.state == Meeting.State.IN_PROGRESS
            else 0
        ),
    }
    if context["manage"]:
        context["owners"], context["member_ids"] = owner_choices(meeting)
    return context


def meeting_revision(pk: int, *, user) -> int | None:
    """The one cheap query of a poll: the revision of the meeting, if the user may see it."""
    return Meeting.objects.visible_to(user).filter(pk=pk).values_list("revision", flat=True).first()
