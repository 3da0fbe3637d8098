"""Reads of governance that pages, invitations and meeting packs share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from governance import texts
from governance.confidential import Veil, hidden_count
from governance.extensions import extra_proposals, items_taken_back
from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    GateCheck,
    GateReview,
    Meeting,
    Membership,
)
from pmo.models import User
from pmo.texts import Text
from portfolio.models import Milestone, Project, Rag, StatusReport
from portfolio.models.status import period_of
from portfolio.selectors import LIVE


def _count(queryset: QuerySet, *, by: str = "committee") -> Coalesce:
    """A correlated COUNT(*) of `queryset` rows whose `by` is the outer row: no join, no duplicates."""
    counted = queryset.filter(**{by: OuterRef("pk")}).order_by().values(by).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


# --- Committees -----------------------------------------------------------------------------------------


def committee_listing(user, *, now: datetime | None = None) -> QuerySet[Committee]:
    """The committees `user` may see, with their people and what the list shows, in one query."""
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        committee=OuterRef("pk"), state=Meeting.State.PLANNED, starts_at__gte=now
    ).order_by("starts_at")
    return (
        Committee.objects.visible_to(user)
        .select_related("chair", "secretary", "scope_portfolio", "scope_directorate")
        .annotate(
            member_count=_count(Membership.objects.all()),
            listed_project_count=_count(Committee.scope_projects.through.objects.all()),
            next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
            next_meeting_pk=Subquery(upcoming.values("pk")[:1]),
        )
        .order_by("-is_active", "name")
    )


def committee_page_data(committee: Committee, *, user, now: datetime | None = None) -> dict:
    """Members, scope and meetings of one committee as `user` may read them, in a fixed number of
    queries: the projects listed and counted are those `user` may see (docs/confidentiality.md)."""
    now = now or timezone.now()
    visible = Project.objects.visible_to(user).values("pk")
    meetings = list(committee.meetings.annotate(item_count=_count(AgendaItem.objects.all(), by="meeting")))
    # A planned meeting whose date has passed without being held shows among the past ones, as planned.
    upcoming = sorted(
        (
            m
            for m in meetings
            if m.state == Meeting.State.IN_PROGRESS
            or (m.state == Meeting.State.PLANNED and m.starts_at >= now)
        ),
        key=lambda m: m.starts_at,
    )
    return {
        "memberships": list(committee.memberships.select_related("user").order_by("role", "user__last_name")),
        "listed_projects": list(
            committee.scope_projects.filter(pk__in=visible).select_related("last_report").order_by("code")
        ),
        "project_count": committee.projects_in_scope().filter(pk__in=visible).count(),
        "upcoming": upcoming,
        "past": [m for m in meetings if m not in upcoming],
        "now": now,
    }


# --- Meetings -------------------------------------------------------------------------------------------


def agenda_items(meeting: Meeting, *, veil: Veil) -> list[AgendaItem]:
    """The agenda as the veil's reader may read it: an item about a project they may not see is a
    "Confidential item" (governance.confidential)."""
    items = meeting.items.select_related(
        "presenter", "project__last_report", "gate_review__from_phase", "gate_review__to_phase"
    ).order_by("order", "pk")
    return veil.items(list(items))


def attendance_lines(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("user"))


def minutes_data(meeting: Meeting, *, veil: Veil) -> dict:
    """What a closed meeting's minutes show: attendance, items with their decisions and actions, as the
    veil's reader may read them. Each item says whether it was discussed (`AgendaItem.discussed`),
    and for one that was not, where it went: withdrawn by the PMO, or taken up by a later meeting.
    A stage gate's decision comes with its checklist."""
    checks = GateCheck.objects.select_related("criterion").order_by("criterion__order", "pk")
    decisions = (
        meeting.decisions.select_related("project", "agenda_item", "gate_review")
        .prefetch_related(Prefetch("gate_review__checks", queryset=checks))
        .order_by("reference")
    )
    actions = meeting.actions.select_related("owner", "project", "decision").order_by("due_date", "reference")
    items = list(
        meeting.items.with_discussion()
        .select_related("presenter", "project", "withdrawn_by", "carried_to__meeting")
        .prefetch_related(Prefetch("decisions", queryset=decisions), Prefetch("actions", queryset=actions))
        .order_by("order", "pk")
    )
    veil.items(items)
    attendances = attendance_lines(meeting)
    return {
        "items": items,
        "attendances": attendances,
        "present_voting": sum(
            1
            for a in attendances
            if a.role == Membership.Role.VOTING
            and a.status in (Attendance.Status.PRESENT, Attendance.Status.REPRESENTED)
        ),
        # Decisions and actions recorded outside any agenda item still belong to the minutes.
        "loose_decisions": veil.filter(d for d in decisions if d.agenda_item_id is None),
        "loose_actions": veil.filter(a for a in actions if a.agenda_item_id is None),
        "confidential_items": hidden_count(items),
    }


# --- Agenda proposed from exceptions --------------------------------------------------------------------

RAG_RANK = {Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}
MINUTES_FOR = {"red": 15, "project": 10, "gate": 20, "actions": 10}


@dataclass
class Proposal:
    """An item the agenda could hold, and why."""

    kind: str
    title: str
    reason: str
    planned_minutes: int
    project: Project | None = None
    gate_review: GateReview | None = None
    presenter: User | None = None  # else the project's manager
    severity: int = field(default=0, repr=False)  # for ordering: the worst first
    # Proposals from other apps (governance.extensions) name their subject, and are told of the item
    # that takes them up.
    subject_key: str = ""
    # The title and reason as keys (pmo.texts), for the item that takes the proposal up: worded in each
    # of its readers' language; `title` and `reason` are the words of the reader of the proposal.
    title_text: Text | None = field(default=None, repr=False)
    reason_text: Text | None = field(default=None, repr=False)
    on_accept: Callable[[AgendaItem], None] | None = field(default=None, repr=False, compare=False)
    # An item an earlier meeting did not discuss: that item (its meeting joined), which the PMO may
    # withdraw instead of taking it up.
    carried_from: AgendaItem | None = field(default=None, repr=False, compare=False)

    @property
    def kind_label(self) -> str:
        return AgendaItem.Kind(self.kind).label

    @property
    def key(self) -> str:
        """What the "Add to agenda" button posts: the proposal is recomputed, never trusted from the form."""
        if self.subject_key:
            return self.subject_key
        if self.gate_review is not None:
            return f"gate-{self.gate_review.pk}"
        if self.project is not None:
            return f"project-{self.project.pk}"
        return self.kind


def agenda_proposals(
    meeting: Meeting, *, today: date, items: list[AgendaItem] | None = None, veil: Veil | None = None
) -> list[Proposal]:
    """What the committee should look at in `meeting`, from the exceptions of the projects in its scope.

    Six queries whatever the number of projects: the items earlier meetings did not discuss, the
    previous meeting, the projects in scope with their signals, the pending gate reviews, the open
    actions and the agenda as it stands (none when `items` is given); and what
    the sources other apps registered cost (the risks app: one query). With a `veil`, none about a
    project its reader may not see (they could not read it, nor put it on the agenda).
    """
    if items is None:
        items = list(meeting.items.only("kind", "project_id", "gate_review_id"))
    # A gate or an escalated risk on the agenda carries its project without reviewing it.
    on_agenda_projects = {
        i.project_id
        for i in items
        if i.project_id and i.kind not in (AgendaItem.Kind.STAGE_GATE, AgendaItem.Kind.RISK_ESCALATION)
    }
    on_agenda_gates = {i.gate_review_id for i in items if i.gate_review_id}
    on_agenda_kinds = {i.kind for i in items}
    carried = _carried_over(meeting)
    # What comes back from an earlier meeting is proposed once, saying where it comes from.
    carried_projects = {
        p.project.pk for p in carried if p.project and p.kind == AgendaItem.Kind.PROJECT_REVIEW
    }
    carried_gates = {p.gate_review.pk for p in carried if p.gate_review}

    proposals = [
        *_action_follow_up(meeting, today=today, skip=AgendaItem.Kind.ACTION_REVIEW in on_agenda_kinds),
        *carried,
        *_pending_gates(meeting, skip=on_agenda_gates | carried_gates),
        *_project_exceptions(meeting, today=today, skip=on_agenda_projects | carried_projects),
        *extra_proposals(meeting, today=today, items=items),
    ]
    if veil:
        proposals = [
            p
            for p in proposals
            if not veil.hides_project(p.project.pk if p.project else None)
            and not veil.mentions(p.title, p.reason)
        ]
    return sorted(proposals, key=lambda p: -p.severity)


# Items of these kinds come back from their own source, not as the item an earlier meeting left: the
# follow-up of actions is recomputed from the open actions; an escalated risk without a decision comes
# back from the risks app (risks.meetings); a pending gate is carried over below.
NOT_CARRIED = (AgendaItem.Kind.ACTION_REVIEW, AgendaItem.Kind.RISK_ESCALATION)


def decided_item_params(decision, title_key: str) -> dict | None:
    """The parameters of the agenda item `decision` was recorded on, when that item is about an app's own
    subject (recognised by its title key, pmo.texts): how an app's `decision_recorded` receiver finds its
    scenario or request. None, without a query, for a decision recorded outside an agenda item."""
    if decision.agenda_item_id is None:
        return None
    item = AgendaItem.objects.filter(pk=decision.agenda_item_id, title_key=title_key).first()
    return None if item is None else (item.title_params or {})


def carried_over_items(committee_id: int, *, before: datetime) -> QuerySet[AgendaItem]:
    """The items the committee's closed meetings (held before `before`) did not discuss, that no later
    item took up and the PMO did not withdraw: proposed again to its next meeting. A gate item counts
    while its review still waits for a decision. Items another app proposes again itself
    (governance.extensions.items_taken_back) are left to it."""
    items = (
        AgendaItem.objects.not_discussed()
        .filter(
            meeting__committee=committee_id,
            meeting__state=Meeting.State.CLOSED,
            meeting__starts_at__lt=before,
            withdrawn_at__isnull=True,
            carried_to__isnull=True,
        )
        .exclude(kind__in=NOT_CARRIED)
        .filter(~Q(kind=AgendaItem.Kind.STAGE_GATE) | Q(gate_review__state=GateReview.State.PENDING))
    )
    taken_back = items_taken_back()
    return items.exclude(taken_back) if taken_back is not None else items


def _carried_over(meeting: Meeting) -> list[Proposal]:
    items = carried_over_items(meeting.committee_id, before=meeting.starts_at).select_related(
        "meeting", "project__project_manager", "presenter", "gate_review"
    )
    proposals = []
    for item in items.order_by("meeting__starts_at", "order", "pk"):
        earlier = Text(item.reason_key, item.reason_params) if item.reason_key else None
        reason = texts.not_discussed_at(
            timezone.localtime(item.meeting.starts_at).date(), earlier, said=item.reason
        )
        proposals.append(
            Proposal(
                kind=item.kind,
                title=item.display_title,
                title_text=Text(item.title_key, item.title_params) if item.title_key else None,
                reason=str(reason),
                reason_text=reason,
                planned_minutes=item.planned_minutes,
                project=item.project,
                gate_review=item.gate_review,
                presenter=item.presenter,
                severity=250,  # after the follow-up of actions, before what is new
                subject_key=f"carried-{item.pk}",
                on_accept=partial(_take_up, item.pk),
                carried_from=item,
            )
        )
    return proposals


def _take_up(carried_pk: int, item: AgendaItem) -> None:
    """The new item takes up the one an earlier meeting did not discuss."""
    AgendaItem.objects.filter(pk=item.pk).update(carried_from=carried_pk)
    item.carried_from_id = carried_pk


def _action_follow_up(meeting: Meeting, *, today: date, skip: bool) -> list[Proposal]:
    if skip:
        return []
    counts = (
        Action.objects.open()
        .filter(Q(follow_up_meeting=meeting) | Q(committee=meeting.committee_id))
        .exclude(meeting=meeting)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    if not counts["open"]:
        return []
    title, reason = texts.action_review(), texts.open_actions(open=counts["open"], overdue=counts["overdue"])
    return [
        Proposal(
            kind=AgendaItem.Kind.ACTION_REVIEW,
            title=str(title),
            reason=str(reason),
            title_text=title,
            reason_text=reason,
            planned_minutes=MINUTES_FOR["actions"],
            severity=300,  # first: the committee checks that what it asked for was done
        )
    ]


def _pending_gates(meeting: Meeting, *, skip: set[int]) -> list[Proposal]:
    # A gate review already on another meeting's agenda that is not over waits for that meeting.
    reviews = (
        GateReview.objects.filter(committee=meeting.committee_id, state=GateReview.State.PENDING)
        .exclude(pk__in=skip)
        .exclude(agenda_item__meeting__state__in=[Meeting.State.PLANNED, Meeting.State.IN_PROGRESS])
        .select_related("project__project_manager", "from_phase", "to_phase")
        .order_by("requested_at")
    )
    proposals = []
    for review in reviews:
        title = texts.stage_gate(review)
        reason = texts.gate_requested(timezone.localtime(review.requested_at).date())
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.STAGE_GATE,
                title=str(title),
                reason=str(reason),
                title_text=title,
                reason_text=reason,
                planned_minutes=MINUTES_FOR["gate"],
                project=review.project,
                gate_review=review,
                severity=200,
            )
        )
    return proposals


def _project_exceptions(meeting: Meeting, *, today: date, skip: set[int]) -> list[Proposal]:
    """Live projects in scope that are red or amber, worsened since the previous meeting, or late on a
    milestone; several reasons for one project make one proposal."""
    committee = meeting.committee
    # The week's reports come in during the week: the previous period's report still counts.
    fresh_from = period_of(today) - timedelta(weeks=1)
    previous = meeting.previous()
    if previous is not None:
        at_previous = period_of(timezone.localtime(previous.starts_at).date())
        rag_before = Subquery(
            StatusReport.objects.latest_revisions()
            .filter(project=OuterRef("pk"), period__lte=at_previous)
            .order_by("-period")
            .values("overall_rag")[:1]
        )
    else:
        rag_before = Value("")
    late_milestones = Milestone.objects.filter(actual_date__isnull=True).filter(
        Q(forecast_date__gt=F("baseline_date")) | Q(forecast_date__lt=today)
    )
    projects = (
        Project.objects.filter(pk__in=committee.projects_in_scope().values("pk"))
        .filter(LIVE)
        .exclude(pk__in=skip)
        .select_related("last_report", "project_manager")
        .annotate(rag_before=rag_before, late_milestones=_count(late_milestones, by="project"))
        .order_by("code")
    )
    proposals = []
    for project in projects:
        report = project.last_report
        rag_now = report.overall_rag if report is not None and report.period >= fresh_from else ""
        reason = texts.project_exceptions(
            rag=rag_now, before=project.rag_before or "", slipped=project.late_milestones
        )
        reasons = str(reason)
        if not reasons:
            continue
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.PROJECT_REVIEW,
                title=f"{project.code} {project.name}",
                reason=reasons,
                reason_text=reason,
                planned_minutes=MINUTES_FOR["red" if rag_now == Rag.RED else "project"],
                project=project,
                severity=10 * RAG_RANK.get(rag_now, 0) + min(project.late_milestones, 9),
            )
        )
    return proposals
