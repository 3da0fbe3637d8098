"""The committees, their meetings, agendas and attendance (see governance.demo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.utils import timezone

from governance import texts as wording
from governance.demo import texts
from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    GateCriterion,
    GateReview,
    Meeting,
    Membership,
)
from pmo.demo import DemoContext
from pmo.models import User
from pmo.roles import Role
from pmo.texts import Text, columns
from portfolio.models import Phase, Project

HISTORY_DAYS = 91  # about three months of meetings
LIVE = (Project.State.ACTIVE, Project.State.ON_HOLD)
Kind, Cadence, Seat = Committee.Kind, Committee.Cadence, Membership.Role
ItemKind, State, Outcome = AgendaItem.Kind, Action.State, Decision.Outcome
CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 28, Cadence.QUARTERLY: 91}
ATTENDANCE = list(Attendance.Status)  # present, excused, absent, represented
ATTENDANCE_WEIGHTS = [80, 10, 4, 6]
MAIN_COPIL = "copil-dig"


class Spec(NamedTuple):
    code: str
    kind: str
    name: str
    cadence: str
    quorum: int
    chair: User
    secretary: User
    members: list[tuple[User, str]]
    weekday: int  # the day of the week it meets
    hour: time
    minutes: int  # planned duration
    scope: dict = {}  # never mutated: the scope_* fields of the committee
    listed: list[Project] = []  # never mutated: the projects it covers by name


@dataclass
class Plan:
    committee: Committee
    spec: Spec
    members: list[tuple[User, str]]  # chair included, secretary not (as meeting_plan does)
    live: list[Project]  # live projects in scope, by code
    meetings: list[Meeting] = field(default_factory=list)  # past ones, oldest first
    planned: Meeting | None = None


class MeetingSeeder:
    """Committees and meetings; records.Seeder adds what was decided and asked."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.tz = timezone.get_current_timezone()
        self.pmo = ctx.demo_users[Role.PMO]
        self.pm1 = ctx.demo_users[Role.PROJECT_MANAGER]
        self.member = ctx.demo_users[Role.COMMITTEE_MEMBER]
        self.managers = {user.pk: user for user in ctx.project_managers}
        self.phases = list(Phase.objects.order_by("order", "pk"))
        self.criteria: dict[int, list[GateCriterion]] = {}
        for criterion in GateCriterion.objects.filter(is_active=True).order_by("order", "pk"):
            self.criteria.setdefault(criterion.phase_id, []).append(criterion)
        self.items: list[AgendaItem] = []
        self.decisions: list[Decision] = []
        self.actions: list[Action] = []
        self.gates: list[GateReview] = []
        self.gated: set[int] = set()  # projects with a gate review
        self.by_meeting: dict[int, list[AgendaItem]] = {}  # id(meeting) -> its items
        self.corrected: tuple[Decision, Decision, date] | None = None  # (correction, original, new date)
        self.at: dict[int, datetime] = {}  # id(row) -> when it was recorded, requested or created
        self.not_discussed: set[int] = set()  # id(item) of the items a meeting never opened

    # --- Committees ---------------------------------------------------------------------------------

    def specs(self) -> list[Spec]:
        ctx = self.ctx
        units = {d.code: d for d in ctx.directorates}
        portfolios = {p.code: p for p in ctx.portfolios}
        head = {code: ctx.sponsors_by_directorate[d.pk] for code, d in units.items()}
        experts = [u for u in ctx.users_by_role.get(Role.COMMITTEE_MEMBER, []) if u.pk != self.member.pk]
        managers = ctx.project_managers[1:] or ctx.project_managers
        chief = ctx.demo_users[Role.EXECUTIVE]
        live = [p for p in ctx.projects if p.state in LIVE]
        critical = [p for p in live if p.priority == Project.Priority.CRITICAL]
        # The portfolio committee follows the critical projects and pm1's, so that pm1 meets it.
        followed = [p for p in live if p in critical or p.project_manager_id == self.pm1.pk]
        return [
            Spec(
                code=MAIN_COPIL,
                kind=Kind.STEERING,
                name="COPIL Transformation digitale",
                cadence=Cadence.FORTNIGHTLY,
                quorum=3,
                chair=portfolios["PF-DIG"].owner,
                secretary=self.pmo,
                members=[
                    (chief, Seat.VOTING),
                    (self.member, Seat.VOTING),
                    (head["DSI"][0], Seat.VOTING),
                    (head["DF"][0], Seat.ADVISORY),
                    (self.pm1, Seat.GUEST),
                    (managers[0], Seat.GUEST),
                ],
                scope={"scope_portfolio": portfolios["PF-DIG"]},
                weekday=1,
                hour=time(10, 0),
                minutes=120,
            ),
            Spec(
                code="copil-si",
                kind=Kind.STEERING,
                name="COPIL Modernisation du SI",
                cadence=Cadence.MONTHLY,
                quorum=3,
                chair=portfolios["PF-SI"].owner,
                secretary=self.pmo,
                members=[
                    (chief, Seat.VOTING),
                    (head["DF"][0], Seat.VOTING),
                    (head["DOP"][0], Seat.VOTING),
                    *[(user, Seat.ADVISORY) for user in experts[:1]],
                ],
                scope={"scope_portfolio": portfolios["PF-SI"]},
                weekday=3,
                hour=time(14, 30),
                minutes=120,
            ),
            Spec(
                code="comite-portefeuille",
                kind=Kind.PORTFOLIO,
                name="Comité de portefeuille projets",
                cadence=Cadence.MONTHLY,
                quorum=4,
                chair=chief,
                secretary=self.pmo,
                members=[
                    (self.member, Seat.VOTING),
                    *[(head[code][0], Seat.VOTING) for code in ("DSI", "DTD", "DF", "DCOM")],
                    *[(user, Seat.ADVISORY) for user in experts[1:3]],
                ],
                listed=followed,
                weekday=2,
                hour=time(9, 30),
                minutes=90,
            ),
            Spec(
                code="comite-archi",
                kind=Kind.TECHNICAL,
                name="Comité d'architecture et technique",
                cadence=Cadence.FORTNIGHTLY,
                quorum=2,
                chair=head["DSI"][-1],
                secretary=managers[min(1, len(managers) - 1)],
                members=[
                    *[(user, Seat.VOTING) for user in experts[:2]],
                    (self.pmo, Seat.ADVISORY),
                    *[(user, Seat.VOTING) for user in managers[2:4]],
                ],
                scope={"scope_directorate": units["DSI"]},
                weekday=3,
                hour=time(14, 0),
                minutes=90,
            ),
            Spec(
                code="codir",
                kind=Kind.EXECUTIVE,
                name="Comité de Direction (CODIR)",
                cadence=Cadence.MONTHLY,
                quorum=5,
                chair=chief,
                secretary=self.pmo,
                members=[
                    *[(head[d.code][0], Seat.VOTING) for d in ctx.directorates],
                    (self.member, Seat.ADVISORY),
                ],
                listed=critical[:15],
                weekday=0,
                hour=time(8, 30),
                minutes=60,
            ),
        ]

    def committees(self) -> list[Plan]:
        plans = []
        live = [p for p in self.ctx.projects if p.state in LIVE]
        for spec in self.specs():
            committee = Committee(
                code=spec.code,
                kind=spec.kind,
                name=spec.name,
                cadence=spec.cadence,
                quorum=spec.quorum,
                chair=spec.chair,
                secretary=spec.secretary,
                mandate=f"Piloter les projets de son périmètre et suivre ses décisions ({spec.name}).",
                **spec.scope,
            )
            members: dict[int, tuple[User, str]] = {spec.chair.pk: (spec.chair, Seat.VOTING)}
            for user, seat in spec.members:
                if user.pk != spec.secretary.pk:
                    members.setdefault(user.pk, (user, seat))
            listed = {p.pk for p in spec.listed}
            portfolio, directorate = spec.scope.get("scope_portfolio"), spec.scope.get("scope_directorate")
            in_scope = [
                p
                for p in live
                if p.pk in listed
                or (portfolio and p.portfolio_id == portfolio.pk)
                or (directorate and p.directorate_id == directorate.pk)
            ]
            plans.append(Plan(committee, spec, list(members.values()), in_scope))
        Committee.objects.bulk_create(plan.committee for plan in plans)
        memberships = [
            Membership(committee=plan.committee, user=user, role=seat)
            for plan in plans
            for user, seat in plan.members
            if user.pk != plan.spec.chair.pk
        ]
        Membership.objects.bulk_create(memberships)
        through = Committee.scope_projects.through
        through.objects.bulk_create(
            through(committee_id=plan.committee.pk, project_id=project.pk)
            for plan in plans
            for project in plan.spec.listed
        )
        self.ctx.count(Committee, len(plans))
        self.ctx.count(Membership, len(memberships))
        return plans

    # --- Meetings -----------------------------------------------------------------------------------

    def meetings(self, plans: list[Plan]) -> None:
        """The past meetings, following each cadence back three months; the main COPIL's next one."""
        next_week = self.today + timedelta(days=7 - self.today.weekday())
        for plan in plans:
            step = CADENCE_DAYS.get(plan.committee.cadence, 28)
            if plan.committee.code == MAIN_COPIL:
                upcoming = next_week + timedelta(days=plan.spec.weekday)
                plan.planned = self.meeting(plan, upcoming, closed=False)
                day = upcoming - timedelta(days=step)
            else:
                day = self.today - timedelta(days=self.rng.randint(1, step - 1))
                day -= timedelta(days=(day.weekday() - plan.spec.weekday) % 7)
            days = []
            while day > self.today - timedelta(days=HISTORY_DAYS):
                days.append(day)
                day -= timedelta(days=step)
            plan.meetings = [self.meeting(plan, day, closed=True) for day in reversed(days)]
        every = [m for plan in plans for m in (*plan.meetings, plan.planned) if m is not None]
        Meeting.objects.bulk_create(every)
        self.ctx.count(Meeting, len(every))

    def meeting(self, plan: Plan, day: date, *, closed: bool) -> Meeting:
        starts = datetime.combine(day, plan.spec.hour, tzinfo=self.tz)
        meeting = Meeting(
            committee=plan.committee,
            starts_at=starts,
            planned_minutes=plan.spec.minutes,
            location=self.rng.choice(texts.LOCATIONS),
            video_link=f"https://visio.demo.example/{plan.committee.code}",
            created_by=plan.spec.secretary,
            invitations_sent_at=starts - timedelta(days=7) if closed else None,
        )
        if closed:
            meeting.state = Meeting.State.CLOSED
            meeting.started_at = starts + timedelta(minutes=self.rng.randint(0, 10))
            meeting.notes = self.rng.choice(texts.MEETING_NOTES)
            meeting.revision = self.rng.randint(20, 90)
        return meeting

    def item(self, meeting: Meeting, kind: str, title: str | Text, duration: int, **fields) -> AgendaItem:
        """An agenda item; a standard title (a `Text`) is worded in each reader's language."""
        if isinstance(title, Text):
            fields |= columns("title", title)
            title = fields.pop("title")
        item = AgendaItem(
            meeting=meeting,
            order=10 * (len(self.items_of(meeting)) + 1),
            kind=kind,
            title=title[:200],
            planned_minutes=duration,
            **fields,
        )
        self.items.append(item)
        self.by_meeting.setdefault(id(meeting), []).append(item)
        return item

    def items_of(self, meeting: Meeting) -> list[AgendaItem]:
        return self.by_meeting.get(id(meeting), [])

    def agenda(self, plan: Plan, meeting: Meeting) -> None:
        """A closed meeting's agenda and minutes: follow-up, project reviews, a gate, information, AOB."""
        rng, index = self.rng, plan.meetings.index(meeting)
        if index > 0:
            self.item(
                meeting,
                ItemKind.ACTION_REVIEW,
                wording.action_review(),
                10,
                presenter=plan.spec.secretary,
                minutes=rng.choice(texts.ACTION_REVIEW_MINUTES),
            )
        reviewed = rng.sample(plan.live, min(len(plan.live), rng.randint(2, 4)))
        mine = [p for p in plan.live if p.project_manager_id == self.pm1.pk]
        if mine and plan.committee.kind == Kind.PORTFOLIO:
            reviewed = [mine[index % len(mine)], *[p for p in reviewed if p not in mine][:2]]
        for project in reviewed:
            self.item(
                meeting,
                ItemKind.PROJECT_REVIEW,
                wording.project_review(project.name),
                15,
                project=project,
                presenter=self.managers.get(project.project_manager_id),
                minutes=self.review_minutes(project),
            )
        gate_at = max(len(plan.meetings) - 2, 0)
        if plan.committee.kind in (Kind.STEERING, Kind.TECHNICAL) and index == gate_at:
            self.decided_gate(plan, meeting)
        title, minutes = rng.choice(texts.INFORMATION_ITEMS)
        information = self.item(
            meeting, ItemKind.INFORMATION, title, 10, presenter=plan.spec.secretary, minutes=minutes
        )
        self.item(
            meeting, ItemKind.OTHER, wording.any_other_business(), 5, minutes=rng.choice(texts.OTHER_MINUTES)
        )
        # The main COPIL's last meeting ran out of time before its information item: never opened, it is
        # "not discussed" in the minutes and proposed again to the meeting planned next.
        if plan.committee.code == MAIN_COPIL and index == len(plan.meetings) - 1:
            information.minutes = ""
            self.not_discussed.add(id(information))
        # The clock of each item, one after the other, and the meeting's close.
        clock = meeting.started_at
        for item in self.items_of(meeting):
            if id(item) in self.not_discussed:
                continue
            item.started_at = clock
            clock += timedelta(minutes=max(item.planned_minutes + rng.randint(-3, 6), 2))
            item.ended_at = clock
        meeting.closed_at = clock + timedelta(minutes=rng.randint(1, 5))

    def review_minutes(self, project: Project) -> str:
        report = project.last_report
        return self.rng.choice(texts.REVIEW_MINUTES).format(
            pm=self.managers[project.project_manager_id].get_full_name(),
            percent=f"{report.percent_complete:.0f}" if report else "0",
            rag=texts.RAG_WORDS.get(report.overall_rag, "non renseignée") if report else "non renseignée",
            summary=(report.summary if report else texts.NO_REPORT),
            ask=self.rng.choice(texts.REVIEW_ASKS),
            verdict=self.rng.choice(texts.REVIEW_VERDICTS),
        )

    def next_agenda(self, plan: Plan) -> None:
        """The planned meeting's agenda, started: the follow-up of actions and the reddest project."""
        if plan.planned is None:
            return
        self.item(
            plan.planned, ItemKind.ACTION_REVIEW, wording.action_review(), 10, presenter=plan.spec.secretary
        )
        rank = {"red": 0, "amber": 1}
        worst = sorted(
            plan.live, key=lambda p: (rank.get(p.last_report.overall_rag, 2) if p.last_report else 3, p.code)
        )
        for project in worst[:1]:
            self.item(
                plan.planned,
                ItemKind.PROJECT_REVIEW,
                wording.project_review(project.name),
                20,
                project=project,
                presenter=self.managers.get(project.project_manager_id),
                reason="Météo dégradée au dernier reporting",
            )

    def attendance(self, plans: list[Plan]) -> None:
        rows = []
        for plan in plans:
            for meeting in plan.meetings:
                for user, seat in plan.members:
                    status = self.rng.choices(ATTENDANCE, weights=ATTENDANCE_WEIGHTS)[0]
                    if user.pk == plan.spec.chair.pk:
                        status = Attendance.Status.PRESENT
                    represented = "Son adjoint(e)" if status == Attendance.Status.REPRESENTED else ""
                    rows.append(
                        Attendance(
                            meeting=meeting, user=user, role=seat, status=status, represented_by=represented
                        )
                    )
            if plan.planned is not None:
                rows += [
                    Attendance(meeting=plan.planned, user=user, role=seat) for user, seat in plan.members
                ]
        Attendance.objects.bulk_create(rows)
        self.ctx.count(Attendance, len(rows))
