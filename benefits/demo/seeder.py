"""The benefits demo's rows (see benefits.demo for the story they tell).

Built in memory and inserted in bulk (pmo.audit.insert, dated by the story rather than the wall clock),
the new ids read back in one query: a fixed number of queries whatever the number of projects.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from benefits.demo.texts import ACTUAL_NOTE, FINANCIAL, HANDOVER, LESSONS, NON_FINANCIAL, OBJECTIVES
from benefits.models import BenefitActual, BenefitProfile, ClosureReport, Lesson
from finance.models import MonthlyAmount
from pmo import audit
from pmo.demo import DemoContext
from pmo.months import add_months, month_of
from pmo.roles import Role
from portfolio.models import Phase, Project

State = Project.State
ACTIVE_SHARE = 1 / 3  # of the active projects, those with a benefit profile
DRAFT_SHARE = 0.2
AT_RISK = 3  # profiles realising under 80 % of plan (when that many have actuals)
AT_RISK_PACE = (0.45, 0.7)
ON_TRACK_PACE = (0.9, 1.12)
TENTH = Decimal("0.1")
PROFILE_COLUMNS = [
    "project", "title", "description", "kind", "measure", "unit", "currency", "baseline_value",
    "target_value", "starts_on", "target_date", "owner", "state", "approved_by", "approved_at", "created_at",
    "updated_at",
]  # fmt: skip
LESSON_COLUMNS = [
    "project", "title", "what_happened", "recommendation", "category", "effect", "source", "phase",
    "directorate", "methodology", "recorded_by", "recorded_at",
]  # fmt: skip
REPORT_COLUMNS = [
    "project", "objectives_met", "objectives_comment", "benefits_handover", "baseline_end", "actual_end",
    "baseline_budget", "final_cost", "currency", "submitted_by", "submitted_at",
]  # fmt: skip
SOURCES = ["gate", "gate", "risk_closed", "other"]  # the lessons of running projects


def planned(profile: tuple, day: date) -> Decimal:
    """The value the profile plans at `day`: from its baseline at the start to its target at the target
    date, in a straight line."""
    baseline, target, starts_on, target_date = profile
    span = max((target_date - starts_on).days, 1)
    share = min(max((day - starts_on).days / span, 0), 1)
    return baseline + (target - baseline) * Decimal(str(share))


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.pmo = ctx.demo_users[Role.PMO]
        self.closed = [p for p in ctx.projects if p.state == State.CLOSED]
        self.active = [p for p in ctx.projects if p.state == State.ACTIVE]

    def run(self) -> None:
        self.profiles()
        self.lessons()
        self.closure_reports()

    # Benefit profiles and their actuals -------------------------------------------------------------

    def _owner(self, project: Project) -> int | None:
        people = self.ctx.sponsors_by_directorate.get(project.directorate_id) or []
        if people and self.rng.random() < 0.25:
            return self.rng.choice(people).pk
        return project.sponsor_id

    def profiles(self) -> None:
        rng, today = self.rng, self.today
        chosen = [p for p in self.active if rng.random() < ACTIVE_SHARE]
        pm1 = self.ctx.project_managers[0] if self.ctx.project_managers else None
        mine = [p for p in self.active if pm1 and p.project_manager_id == pm1.pk]
        if mine and not any(p in chosen for p in mine):
            chosen.append(mine[0])  # pm1 sees a benefit profile on one of their projects
        rows, plans = [], []
        for project in sorted([*chosen, *self.closed], key=lambda p: p.code):
            closed = project.state == State.CLOSED
            span = max((project.forecast_end - project.baseline_start).days, 60)
            # A closed project's benefits start at delivery; a running one's, as its first lot goes live.
            starts_on = project.forecast_end if closed else project.baseline_start + timedelta(
                days=int(span * rng.uniform(0.2, 0.6))
            )  # fmt: skip
            kinds = (
                ["financial", "non_financial"]
                if closed or rng.random() < 0.4
                else [rng.choice(["financial", "non_financial"])]
            )
            for kind in kinds:
                target_date = add_months(month_of(starts_on), rng.choice([12, 18, 24]))
                if kind == "financial":
                    text = rng.choice(FINANCIAL)
                    title, description, unit, baseline = text.title, text.description, "", Decimal(0)
                    target = Decimal(
                        int(round(float(project.budget or 1_000_000) * rng.uniform(0.15, 0.45), -4))
                    )
                else:
                    text = rng.choice(NON_FINANCIAL)
                    title, description, unit = text.title, text.description, text.unit
                    baseline, target = Decimal(text.baseline), Decimal(text.target)
                draft = not closed and rng.random() < DRAFT_SHARE
                created = min(project.baseline_start + timedelta(days=30), today - timedelta(days=2))
                approved = min(created + timedelta(days=rng.randint(5, 30)), today - timedelta(days=1))
                rows.append(
                    (project.pk, title, description, kind, "manual", unit, project.currency, baseline, target,
                     starts_on, target_date, self._owner(project), "draft" if draft else "approved",
                     None if draft else self.pmo.pk, None if draft else audit.local(approved, 17),
                     audit.local(created, 10), audit.local(created if draft else approved, 17))
                )  # fmt: skip
                plans.append(
                    (project, title, (baseline, target, starts_on, target_date), draft, rows[-1][11])
                )
        self.ctx.count(BenefitProfile, audit.insert(BenefitProfile, PROFILE_COLUMNS, rows))
        ids = {
            (project, title): pk
            for pk, project, title in BenefitProfile.objects.values_list("pk", "project", "title")
        }
        self.actuals([(ids[project.pk, title], plan, draft, owner or project.project_manager_id)
                      for project, title, plan, draft, owner in plans])  # fmt: skip

    def actuals(self, plans: list[tuple]) -> None:
        """Monthly, from the month after the start to this month; a few at risk, one with none yet."""
        rng, today = self.rng, self.today
        started = [
            (pk, plan, by) for pk, plan, draft, by in plans if not draft and add_months(plan[2], 2) <= today
        ]
        silent = started[0][0] if started else None  # past its start, no actual recorded yet
        others = started[1:]
        at_risk = {row[0] for row in rng.sample(others, min(AT_RISK, max(1, len(others) // 3), len(others)))}
        rows = []
        for pk, plan, by in others:
            pace = rng.uniform(*(AT_RISK_PACE if pk in at_risk else ON_TRACK_PACE))
            baseline, target = plan[0], plan[1]
            month = add_months(month_of(plan[2]), 1)
            while month <= today:
                drift = pace * rng.uniform(0.96, 1.04)
                value = baseline + (planned(plan, month) - baseline) * Decimal(str(drift))
                # An amount to the thousand, a measure to the tenth.
                value = Decimal(round(value, -3)) if abs(target) >= 1000 else value.quantize(TENTH)
                rows.append((pk, month, value, ACTUAL_NOTE, by, audit.local(month, 9)))
                month = add_months(month, 1)
        columns = ["profile", "measured_on", "value", "note", "recorded_by", "recorded_at"]
        self.ctx.count(BenefitActual, audit.insert(BenefitActual, columns, rows))
        self.silent, self.at_risk = silent, at_risk

    # Lessons learned and closure reports ------------------------------------------------------------

    def lessons(self) -> None:
        """About 25 lessons: at closure on the closed projects, at gates, when a risk closed or along the
        way on the running ones; across categories, phases and directorates."""
        rng, today = self.rng, self.today
        phases = list(Phase.objects.order_by("order", "pk"))
        closed = rng.sample(self.closed, min(len(self.closed), 8))
        running = rng.sample(self.active, min(len(self.active), 12))
        rows = []
        for index, text in enumerate(LESSONS):
            if index % 2 == 0 and closed:
                project = closed[(index // 2) % len(closed)]
                source, phase = "closure", phases[-1].pk if phases else None
                day = min(
                    project.forecast_end + timedelta(days=rng.randint(5, 30)), today - timedelta(days=1)
                )
            elif running:
                project = running[index % len(running)]
                source = SOURCES[(index // 2) % len(SOURCES)]
                current = next((i for i, phase in enumerate(phases) if phase.pk == project.phase_id), 0)
                phase = phases[rng.randint(0, current)].pk if phases else None
                day = today - timedelta(days=rng.randint(3, 200))
                day = max(day, project.baseline_start)
            else:
                continue
            recorder = project.project_manager_id if source != "gate" else self.pmo.pk
            rows.append(
                (project.pk, text.title, text.what_happened, text.recommendation, text.category, text.effect,
                 source, phase, project.directorate_id, project.methodology, recorder, audit.local(day, 16))
            )  # fmt: skip
        self.ctx.count(Lesson, audit.insert(Lesson, LESSON_COLUMNS, rows))

    def closure_reports(self) -> None:
        """One per closed project: its baseline against what it ended at (its last date, its actual cost
        where finance has it, its budget otherwise)."""
        spent = dict(
            MonthlyAmount.objects.filter(project__state=State.CLOSED, kind=MonthlyAmount.Kind.ACTUAL)
            .values("project")
            .annotate(total=Sum("amount"))
            .order_by()
            .values_list("project", "total")
        )
        # The latest to finish against its baseline met its objectives only in part.
        latest = max(self.closed, key=lambda p: (p.forecast_end - p.baseline_end, p.code), default=None)
        rows = []
        for project in sorted(self.closed, key=lambda p: p.code):
            cost = spent.get(project.pk) or project.budget
            met = "partly" if project == latest or self.rng.random() < 0.2 else "met"
            day = min(
                project.forecast_end + timedelta(days=self.rng.randint(7, 30)), self.today - timedelta(days=1)
            )
            rows.append(
                (project.pk, met, OBJECTIVES[met], HANDOVER, project.baseline_end, project.forecast_end,
                 project.budget, cost, project.currency, project.project_manager_id, audit.local(day, 11))
            )  # fmt: skip
        self.ctx.count(ClosureReport, audit.insert(ClosureReport, REPORT_COLUMNS, rows))
