"""The planning demo's rows, built in memory and bulk-inserted (see planning.demo for what they tell)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from governance.models import Committee, ReferenceCounter
from planning.demo import texts
from planning.impact import Impact, impact_of, needs_committee
from planning.models import Baseline, BaselineMilestone, ChangeRequest, ChangeRequestMilestone, PlanPolicy
from planning.services import COMMITTEE_PREFERENCE
from pmo import audit
from pmo.demo import DemoContext
from pmo.models import User
from pmo.roles import Role
from portfolio.models import Milestone, Phase, Project, ProjectPhase

GATE_MEMORY_DAYS = 365  # a project that entered execution within this took v1 at its gate; others, the PMO


def thousands(amount: Decimal) -> Decimal:
    """Budgets are round thousands, as the projects' own are."""
    return (amount / 1000).quantize(Decimal(1), rounding=ROUND_DOWN) * 1000


@dataclass
class MilestoneRow:
    pk: int
    name: str
    date: date  # its baseline date now
    forecast: date
    actual: date | None
    weight: Decimal


@dataclass
class Plan:
    """One change request in the making, with the baseline rows and milestone lines it goes with."""

    request: ChangeRequest
    lines: list[ChangeRequestMilestone] = field(default_factory=list)
    raised: datetime = field(default_factory=lambda: datetime.min)  # set once the request is dated


@dataclass
class Version:
    """A baseline and its frozen milestones, in the making."""

    baseline: Baseline
    milestones: list[BaselineMilestone]
    taken_at: datetime  # the field stamps itself on insert: set again after


def approved_impact(delta: timedelta, original: Decimal, budget: Decimal) -> Impact:
    """What the application computed when an approved request was submitted, against v1: the slip and the
    budget change (the earned-value figures of that day are not replayed: left unknown)."""
    change = budget - original
    percent = (change * 100 / original).quantize(Decimal("0.1")) if original else None
    return Impact(
        end_slip_days=delta.days,
        milestone_slip_days=delta.days,
        budget_change=str(change),
        budget_change_percent=None if percent is None else str(percent),
    )


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.pmo = ctx.demo_users.get(Role.PMO)
        self.pm1 = ctx.demo_users.get(Role.PROJECT_MANAGER)
        self.policy = PlanPolicy.current()
        self.milestones: dict[int, list[MilestoneRow]] = defaultdict(list)
        self.versions: list[Version] = []
        self.plans: list[Plan] = []
        self.gate_days: dict[int, date] = {}  # the day each project's v1 was taken
        self.first: dict[int, Version] = {}  # each project's v1

    def run(self) -> None:
        self.policy.save()  # the PMO's tolerance as the admin shows it (the defaults)
        gate = Phase.objects.filter(takes_baseline=True).order_by("order", "pk").first()
        if gate is None or not self.ctx.projects:
            return
        for row in Milestone.objects.order_by("project_id", "position", "baseline_date", "pk").values_list(
            "pk", "project_id", "name", "baseline_date", "forecast_date", "actual_date", "weight"
        ):
            pk, project_id, *rest = row
            self.milestones[project_id].append(MilestoneRow(pk, *rest))
        baselined = [
            p
            for p in self.ctx.projects
            if p.phase is not None and p.phase.order >= gate.order and p.baseline_start and p.baseline_end
        ]
        self.first_baselines(baselined, gate)
        committees = self.deciding_committees()
        active = [p for p in baselined if p.state == Project.State.ACTIVE]
        used: set[int] = set()
        self.approved_changes(active, committees, used)
        self.pending_changes(active, committees, used)
        self.save(baselined)

    # --- v1 for every project past the gate ---------------------------------------------------------

    def first_baselines(self, projects: list[Project], gate: Phase) -> None:
        """v1 frozen from the project's baseline fields and milestones: at its gate into execution (the
        planned start of that phase) when that was within the year, else taken by the PMO on the plan
        then in force."""
        entries = dict(ProjectPhase.objects.filter(phase=gate).values_list("project_id", "planned_start"))
        yesterday = self.today - timedelta(days=1)
        memory = self.today - timedelta(days=GATE_MEMORY_DAYS)
        for project in projects:
            entered = entries.get(project.pk) or project.baseline_start
            if entered >= memory:
                origin, day = Baseline.Origin.GATE, min(entered, yesterday)
            else:
                origin, day = Baseline.Origin.PMO, min(max(project.baseline_start, memory), yesterday)
            self.gate_days[project.pk] = day
            project.baseline_version = 1
            self.first[project.pk] = self.baseline(
                project, 1, origin, at=audit.local(day, 11), by=self.pmo, note=texts.BASELINE_NOTES[origin]
            )

    def baseline(
        self,
        project: Project,
        number: int,
        origin: str,
        *,
        at: datetime,
        by: User | None,
        request: ChangeRequest | None = None,
        note: str = "",
    ) -> Version:
        """A baseline of the project as it is now (a change later moves v1 back to what it was)."""
        baseline = Baseline(
            project=project,
            number=number,
            origin=origin,
            change_request=request,
            start=project.baseline_start,
            end=project.baseline_end,
            budget=project.budget,
            currency=project.currency,
            note=note,
            taken_by=by,
        )
        frozen = [
            BaselineMilestone(baseline=baseline, milestone_id=m.pk, name=m.name, date=m.date, weight=m.weight)
            for m in self.milestones[project.pk]
        ]
        version = Version(baseline, frozen, min(at, self.ctx.morning))
        self.versions.append(version)
        return version

    # --- Change requests ----------------------------------------------------------------------------

    def deciding_committees(self) -> dict[int, Committee]:
        """The committee that decides each project's changes beyond tolerance: the first active committee
        covering it in the order `planning.services.deciding_committee` prefers (one query a committee)."""
        committees = sorted(
            Committee.objects.filter(is_active=True),
            key=lambda c: (COMMITTEE_PREFERENCE.index(c.kind), c.name),
        )
        deciding: dict[int, Committee] = {}
        for committee in committees:
            for pk in committee.projects_in_scope().values_list("pk", flat=True):
                deciding.setdefault(pk, committee)
        return deciding

    def request(
        self, project: Project, change: texts.Change, *, end: date, budget: Decimal, **fields
    ) -> Plan:
        request = ChangeRequest(
            project=project,
            title=change.title,
            reason=change.reason,
            scope_change=change.scope_change,
            new_end=end,
            new_budget=budget,
            raised_by=project.project_manager,
            **fields,
        )
        plan = Plan(request)
        self.plans.append(plan)
        return plan

    def approved_changes(
        self, active: list[Project], committees: dict[int, Committee], used: set[int]
    ) -> None:
        """A handful of projects whose approved change took v2: the end later by some weeks, the budget
        up; v1 keeps the dates and budget they had before. pm1 has one when one of theirs can."""
        wanted = max(1, min(8, round(len(self.ctx.projects) / 12)))
        candidates = self.rng.sample(active, len(active))
        pm1 = getattr(self.pm1, "pk", None)
        candidates.sort(key=lambda p: p.project_manager_id != pm1)  # one of pm1's, for the demo login
        made, pm1_has_one = 0, False
        for project in candidates:
            if made == wanted:
                break
            if project.project_manager_id == pm1 and pm1_has_one:
                continue
            if self.rng.random() < 0.3:
                weeks, percent = self.rng.randint(1, 2), Decimal(self.rng.choice([2, 3, 4]))
            else:
                weeks, percent = self.rng.randint(3, 10), Decimal(self.rng.choice([6, 8, 10, 12, 15]))
            delta = timedelta(weeks=weeks)
            decided = max(
                self.gate_days[project.pk] + timedelta(days=21),
                self.today - timedelta(days=self.rng.randint(20, 150)),
            )
            committee = committees.get(project.pk)
            original = thousands(project.budget * 100 / (100 + percent))
            impact = approved_impact(delta, original, project.budget)
            to_committee = needs_committee(impact, policy=self.policy)
            if decided > self.today - timedelta(days=7) or project.baseline_end - delta <= decided:
                continue
            if to_committee and committee is None:
                continue
            made += 1
            pm1_has_one = pm1_has_one or project.project_manager_id == pm1
            used.add(project.pk)
            self.approve(project, delta, original, impact, decided, committee if to_committee else None)

    def approve(
        self,
        project: Project,
        delta: timedelta,
        original: Decimal,
        impact: Impact,
        decided: date,
        committee: Committee | None,
    ) -> None:
        first = self.first[project.pk]
        first.baseline.end, first.baseline.budget = project.baseline_end - delta, original
        raised = max(
            decided - timedelta(days=self.rng.randint(10, 30)), self.gate_days[project.pk] + timedelta(days=1)
        )
        decider = committee.chair if committee else self.pmo
        at = audit.local(decided, 17 if committee else 11)
        plan = self.request(
            project,
            self.rng.choice(texts.CHANGES),
            end=project.baseline_end,
            budget=project.budget,
            state=ChangeRequest.State.APPROVED,
            route=ChangeRequest.Route.COMMITTEE if committee else ChangeRequest.Route.PMO,
            committee=committee,
            decided_by=decider,
            decided_at=at,
            decision_note=self.rng.choice(texts.APPROVAL_NOTES),
        )
        plan.raised = audit.local(raised, 10)
        for frozen, milestone in zip(first.milestones, self.milestones[project.pk], strict=True):
            before = milestone.date - delta
            if before > decided:  # the change moved the milestones still ahead of it
                frozen.date = before
                plan.lines.append(
                    ChangeRequestMilestone(
                        change_request=plan.request, milestone_id=milestone.pk, new_date=milestone.date
                    )
                )
        plan.request.impact = impact.as_json()
        project.baseline_version = 2
        self.baseline(project, 2, Baseline.Origin.CHANGE, at=at, by=decider, request=plan.request)

    def pending_changes(
        self, active: list[Project], committees: dict[int, Committee], used: set[int]
    ) -> None:
        """A few change requests waiting for a decision: within tolerance, submitted to the PMO; beyond,
        proposed to the project's committee (pm1's late project among them when it has a baseline)."""
        wanted = max(1, min(4, round(len(self.ctx.projects) / 25)))
        ahead = [p for p in active if p.pk not in used and p.baseline_end > self.today + timedelta(days=14)]
        ahead = self.rng.sample(ahead, len(ahead))
        pm1_late = sorted(
            (p for p in ahead if p.project_manager_id == getattr(self.pm1, "pk", None)),
            key=lambda p: -(p.slip_days or 0),
        )[:1]
        proposed = [p for p in pm1_late if p.pk in committees]
        proposed += [p for p in ahead if p.pk in committees and p not in proposed][: wanted - len(proposed)]
        submitted = [p for p in ahead if p not in proposed][:wanted]
        for project in proposed:
            slip = project.slip_days or 0
            days = slip if slip > self.policy.schedule_tolerance_days else 7 * self.rng.randint(3, 8)
            percent = Decimal(self.rng.choice([6, 8, 10, 12, 15, 20]))
            self.pending(project, days, percent, committee=committees[project.pk])
        tolerance = int(self.policy.budget_tolerance_percent)
        for project in submitted:
            days = self.rng.randint(
                min(5, self.policy.schedule_tolerance_days), self.policy.schedule_tolerance_days
            )
            self.pending(project, days, Decimal(self.rng.randint(0, tolerance)), committee=None)

    def pending(self, project: Project, days: int, percent: Decimal, *, committee: Committee | None) -> None:
        change = self.rng.choice(texts.CHANGES)
        budget = thousands(project.budget * (100 + percent) / 100)
        plan = self.request(
            project,
            change,
            end=project.baseline_end + timedelta(days=days),
            budget=budget,
            state=ChangeRequest.State.PROPOSED if committee else ChangeRequest.State.SUBMITTED,
            route=ChangeRequest.Route.COMMITTEE if committee else ChangeRequest.Route.PMO,
            committee=committee,
        )
        raised = self.today - timedelta(days=self.rng.randint(1, 10))
        plan.raised = audit.local(max(raised, self.gate_days[project.pk] + timedelta(days=1)), 16)
        ahead = [m for m in self.milestones[project.pk] if m.actual is None and m.date >= self.today]
        plan.lines += [
            ChangeRequestMilestone(
                change_request=plan.request, milestone_id=m.pk, new_date=m.date + timedelta(days=days)
            )
            for m in ahead
        ]
        if change.added_milestone and ahead:
            plan.lines.append(
                ChangeRequestMilestone(
                    change_request=plan.request,
                    name=change.added_milestone,
                    new_date=ahead[-1].date + timedelta(days=days) - timedelta(weeks=2),
                )
            )

    # --- Writing --------------------------------------------------------------------------------------

    def save(self, baselined: list[Project]) -> None:
        """References in the order the requests were raised (CR-<year>-0001, …) and the counters bumped
        once; then the rows, in bulk. The timestamps the fields stamp themselves are set after."""
        self.plans.sort(key=lambda plan: (plan.raised, plan.request.project.code))
        numbers: dict[str, int] = defaultdict(int)
        for plan in self.plans:
            series = f"CR-{plan.raised.year}"
            numbers[series] += 1
            plan.request.reference = f"{series}-{numbers[series]:04d}"
        for series, last in numbers.items():
            ReferenceCounter.objects.update_or_create(series=series, defaults={"last": last})
        requests = ChangeRequest.objects.bulk_create(plan.request for plan in self.plans)
        for plan in self.plans:
            plan.request.raised_at = min(plan.raised, self.ctx.morning)
        ChangeRequest.objects.bulk_update(requests, ["raised_at"])
        lines = [line for plan in self.plans for line in plan.lines]
        ChangeRequestMilestone.objects.bulk_create(lines)
        # A waiting request's impact, as submitting it computed it (a few queries each, a handful of them).
        waiting = [plan.request for plan in self.plans if plan.request.is_pending]
        for request in waiting:
            request.impact = impact_of(request).as_json()
        ChangeRequest.objects.bulk_update(waiting, ["impact"])
        baselines = Baseline.objects.bulk_create(version.baseline for version in self.versions)
        for version in self.versions:
            version.baseline.taken_at = version.taken_at
        Baseline.objects.bulk_update(baselines, ["taken_at"])
        frozen = [row for version in self.versions for row in version.milestones]
        BaselineMilestone.objects.bulk_create(frozen)
        Project.objects.bulk_update(baselined, ["baseline_version"])
        self.ctx.count(Baseline, len(baselines))
        self.ctx.count(BaselineMilestone, len(frozen))
        self.ctx.count(ChangeRequest, len(requests))
        self.ctx.count(ChangeRequestMilestone, len(lines))
