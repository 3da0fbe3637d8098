"""A committee meeting's pack (before it: agenda and a one-page summary per project on it) and its
minutes (once closed: attendance, decisions, actions).

Both are built once for everyone who may read the committee: an agenda item about a confidential
project that the committee does not name in its scope (so that some of its readers may not see it) is
a "Confidential item" there, with nothing of its project (governance.confidential).

Both read what the meeting pages read (governance.selectors: the agenda, the attendance, the minutes)
and, for the projects on the agenda, what the live page's panels show (latest status and its trend,
milestones, open actions, top risks), read for all the agenda's projects at once: the pack costs the
same number of queries for two projects as for twenty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.confidential import Veil, hidden_count
from governance.models import Action, AgendaItem, Attendance, Decision, Meeting, Membership
from governance.project_panel import OPEN_ACTIONS_SHOWN
from governance.selectors import agenda_items, attendance_lines, minutes_data
from governance.selectors_live import elapsed_seconds
from portfolio.models import Milestone, Project, StatusReport
from portfolio.models.status import period_of
from reporting.models import Report
from reporting.pdf.content import common
from reporting.selectors import PortfolioFigures, ProjectRow
from risks.meetings import TOP_RISKS
from risks.models import Escalation, Risk, RiskLevel, RiskPolicy
from risks.selectors import top_risks

# The weeks of RAG history a project's page shows, this week included.
TREND_WEEKS = 8
NEXT_MILESTONES = 4
# The items the committee is asked to decide on (the others inform it).
TO_DECIDE = (AgendaItem.Kind.STAGE_GATE, AgendaItem.Kind.RISK_ESCALATION, AgendaItem.Kind.DECISION_REQUEST)


class MeetingNotClosed(Exception):
    """The minutes of a meeting are its record: there is none before the meeting is closed."""


@dataclass
class TrendLine:
    label: str
    rags: list[str]  # one per week of `weeks`, "" when the project did not report that week


@dataclass
class ProjectPage:
    """One project on the agenda, as the committee reads it before the meeting."""

    project: Project
    items: list[AgendaItem]  # the agenda items about it
    row: ProjectRow | None  # its figures as the dashboard computes them; None when not active
    trend: list[TrendLine] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    more_actions: bool = False
    risks: list[Risk] = field(default_factory=list)
    open_risks: int = 0

    @property
    def report(self) -> StatusReport | None:
        return self.project.last_report

    @property
    def forecast(self) -> Decimal | None:
        """Its forecast at completion as the dashboard computes it, else as its latest status gives it;
        None for a project that never reported (its page must still print)."""
        if self.row is not None and self.row.forecast_at_completion is not None:
            return self.row.forecast_at_completion
        return self.report.forecast_at_completion if self.report else None

    @property
    def to_decide(self) -> list[AgendaItem]:
        return [item for item in self.items if item.kind in TO_DECIDE]


# --- The pack ------------------------------------------------------------------------------------------


def pack_context(report: Report) -> dict[str, Any]:
    meeting = report.meeting
    today = common.today()
    # Built once for everyone who reads the committee: a project some of them may not see is left out.
    veil = Veil.for_committee(meeting.committee_id)
    items = agenda_items(meeting, veil=veil)
    _schedule(meeting, items)
    _attach_escalations(items)
    follow_up = []
    if any(item.kind == AgendaItem.Kind.ACTION_REVIEW for item in items):
        follow_up = veil.filter(
            meeting.actions_to_follow_up.select_related("owner", "meeting").order_by("due_date", "reference")
        )
        for action in follow_up:
            action.overdue = action.is_overdue(today)
    weeks = [period_of(today) - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    return {
        **common.header(report),
        "meeting": meeting,
        "committee": meeting.committee,
        "items": items,
        "total_minutes": sum(item.planned_minutes for item in items),
        "attendances": _by_role(attendance_lines(meeting)),
        "pages": project_pages(items, today=today, weeks=weeks),
        "weeks": weeks,
        "follow_up": follow_up,
        "today": today,
        "confidential_items": hidden_count(items),
    }


def _schedule(meeting: Meeting, items: list[AgendaItem]) -> None:
    """Each item's planned start: the meeting's start plus the planned minutes of the items before it."""
    start: datetime = timezone.localtime(meeting.starts_at)
    for item in items:
        item.planned_start = start
        start += timedelta(minutes=item.planned_minutes)


def _attach_escalations(items: list[AgendaItem]) -> None:
    """The escalated risk an item asks the committee to decide on (one query)."""
    escalated = [item.pk for item in items if item.kind == AgendaItem.Kind.RISK_ESCALATION]
    found = {}
    if escalated:
        found = {
            e.agenda_item_id: e
            for e in Escalation.objects.filter(agenda_item__in=escalated).select_related("risk__owner")
        }
    for item in items:
        item.escalation = found.get(item.pk)


def _by_role(attendances: list[Attendance]) -> list[Attendance]:
    # Voting members first, as on the live page: they make the quorum.
    order = {role: n for n, role in enumerate(Membership.Role.values)}
    return sorted(attendances, key=lambda a: (order.get(a.role, 9), a.user.last_name, a.user.first_name))


def project_pages(items: list[AgendaItem], *, today: date, weeks: list[date]) -> list[ProjectPage]:
    """A page per project on the agenda, in agenda order. Queries, whatever the number of projects: the
    dashboard's snapshot (three), the trend, the milestones, the open actions, the risk policy, the
    open risks' count and the top risks."""
    pages: dict[int, ProjectPage] = {}
    for item in items:
        if item.project_id is None:
            continue
        if item.project_id not in pages:
            pages[item.project_id] = ProjectPage(project=item.project, items=[], row=None)
        pages[item.project_id].items.append(item)
    if not pages:
        return []
    ids = list(pages)
    figures = PortfolioFigures(
        projects=Project.objects.filter(pk__in=ids),
        risks=Risk.objects.none(),
        actions=Action.objects.none(),
        decisions=Decision.objects.none(),
        today=today,
    )
    for row in figures.snapshot(today).rows:
        pages[row.pk].row = row
    _trends(pages, weeks=weeks)
    _milestones(pages, today=today)
    _actions(pages, today=today)
    _risks(pages, today=today, policy=figures.policy)
    return list(pages.values())


def _trends(pages: dict[int, ProjectPage], *, weeks: list[date]) -> None:
    """The overall RAG and each dimension's, week by week (the live page's trend, for all at once)."""
    names = ("overall_rag", *StatusReport.DIMENSIONS)
    seen: dict[tuple[int, date], dict[str, Any]] = {}
    for values in (
        StatusReport.objects.latest_revisions()
        .filter(project_id__in=list(pages), period__gte=weeks[0], period__lte=weeks[-1])
        .values("project_id", "period", *names)
    ):
        seen[values["project_id"], values["period"]] = values
    for pk, page in pages.items():
        page.trend = [
            TrendLine(
                label=str(StatusReport._meta.get_field(name).verbose_name),
                rags=[seen.get((pk, week), {}).get(name, "") for week in weeks],
            )
            for name in names
        ]


def _milestones(pages: dict[int, ProjectPage], *, today: date) -> None:
    """The next milestones not met yet, the overdue ones first (they have the earliest forecasts)."""
    for milestone in Milestone.objects.filter(project_id__in=list(pages), actual_date__isnull=True).order_by(
        "project_id", "forecast_date", "pk"
    ):
        page = pages[milestone.project_id]
        if len(page.milestones) < NEXT_MILESTONES:
            milestone.overdue = milestone.is_overdue(today)
            page.milestones.append(milestone)


def _actions(pages: dict[int, ProjectPage], *, today: date) -> None:
    """The open actions of each project, as many as its project page shows (the pack is the committee's
    record, read by all its members: the whole record, as the other reports)."""
    for action in (
        Action.objects.open()
        .filter(project_id__in=list(pages))
        .select_related("owner")
        .order_by("due_date", "reference")
    ):
        page = pages[action.project_id]
        if len(page.actions) < OPEN_ACTIONS_SHOWN:
            action.overdue = action.is_overdue(today)
            page.actions.append(action)
        else:
            page.more_actions = True


def _risks(pages: dict[int, ProjectPage], *, today: date, policy: RiskPolicy) -> None:
    """Each project's top risks: all the agenda projects' open risks in `top_risks`'s order, so that
    each project's first ones are its own top risks (two queries)."""
    risks = Risk.objects.filter(project_id__in=list(pages))
    counts = dict(risks.open().values_list("project_id").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    if not total:
        return
    for risk in top_risks(risks.with_levels(policy).select_related("owner"), limit=total):
        page = pages[risk.project_id]
        page.open_risks = counts[risk.project_id]
        if len(page.risks) < TOP_RISKS:
            risk.overdue = risk.review_overdue(today)
            risk.level_label = RiskLevel(risk.level).label
            page.risks.append(risk)


# --- The minutes ---------------------------------------------------------------------------------------


def minutes_context(report: Report) -> dict[str, Any]:
    meeting = report.meeting
    if not meeting.is_closed:
        raise MeetingNotClosed(
            _("The minutes of “%(meeting)s” are written once the meeting is closed; it is %(state)s.")
            % {"meeting": meeting, "state": str(meeting.get_state_display()).lower()}
        )
    data = minutes_data(meeting, veil=Veil.for_committee(meeting.committee_id))
    for item in data["items"]:
        # How long the committee spent on it, as the live page's timer counted (None: never on screen).
        ended = meeting.closed_at or timezone.now()
        item.discussed_minutes = elapsed_seconds(item, ended) // 60 if item.started_at else None
    decisions = [d for item in data["items"] for d in item.decisions.all()] + data["loose_decisions"]
    actions = [a for item in data["items"] for a in item.actions.all()] + data["loose_actions"]
    _responsible(decisions, actions)
    attendances = _by_role(data["attendances"])
    groups = [
        (label, [a for a in attendances if a.status == status])
        for status, label in [*Attendance.Status.choices, ("", _("Not recorded"))]
    ]
    return {
        **common.header(report),
        "meeting": meeting,
        "committee": meeting.committee,
        **data,
        "attendance_groups": [(label, people) for label, people in groups if people],
        "decision_count": len(decisions),
        "action_count": len(actions),
        "next_meeting": meeting.next(),
        "sitting": meeting.sitting(),
    }


def _responsible(decisions: list[Decision], actions: list[Action]) -> None:
    """Who carries out a decision: the owners of the actions it gave rise to, else the manager of the
    project it is about (one query for those managers)."""
    owners: dict[int, list] = defaultdict(list)
    for action in actions:
        if action.decision_id and action.owner not in owners[action.decision_id]:
            owners[action.decision_id].append(action.owner)
    wanting = {d.project_id for d in decisions if d.project_id and not owners.get(d.pk)}
    managers = {}
    if wanting:
        managers = {
            p.pk: p.project_manager
            for p in Project.objects.filter(pk__in=wanting).select_related("project_manager")
        }
    for decision in decisions:
        people = owners.get(decision.pk) or [managers.get(decision.project_id)]
        decision.responsible = [person for person in people if person is not None]
