"""Demo KPIs and a year of their measurements (see pmo.demo for how seed_demo runs the seeders).

One KPI definition per computed function, the headline ones on the dashboard, and four KPIs a
bank's PMO enters by hand. Computed KPIs are stored for each complete period of the last year
(52 weeks, 12 months, 4 quarters) by `services.record_computed`, exactly as the beat task would
have stored them, from the status history the portfolio demo seeded; one PortfolioFigures per scope
is shared across all periods, so each date's snapshot is read once. Manual KPIs follow a seeded
random walk. Every measurement is then stamped as entered the morning after its period ended.
KPIs of the risk register and of the decision log start with them (the demo's register opens some
months ago), and the levels of the two risk KPIs, which grow with the portfolio, come from the data.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from governance.models import Action, Decision
from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Project
from reporting.demo.texts import COMPUTED_TEXTS, MANUAL, SATISFACTION_COMMENTS
from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period
from reporting.services import record_computed
from risks.models import Risk

YEAR = {Frequency.WEEKLY: 52, Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4}


def has_data() -> bool:
    return Kpi.objects.exists()


def reset() -> None:
    Measurement.objects.all().delete()
    Kpi.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    kpis = _seed_definitions(ctx)
    computed = [kpi for kpi in kpis if kpi.is_computed]
    _seed_computed(ctx, computed)
    _set_risk_levels(kpis)
    _seed_manual(ctx, [kpi for kpi in kpis if not kpi.is_computed])
    _stamp_entry_times(ctx)
    ctx.count(Kpi, len(kpis))
    ctx.count(Measurement, Measurement.objects.count())


def _seed_definitions(ctx: DemoContext) -> list[Kpi]:
    kpis = []
    for name, (order, scope, text) in COMPUTED_TEXTS.items():
        function = COMPUTED[name]
        kpis.append(
            Kpi(
                code=name.replace("_", "-"),
                **text._asdict(),
                unit=function.unit,
                direction=function.direction,
                frequency=function.frequency,
                scope=scope,
                source=Kpi.Source.COMPUTED,
                function=name,
                target=function.defaults.get("target"),
                amber_threshold=function.defaults.get("amber_threshold"),
                red_threshold=function.defaults.get("red_threshold"),
                order=order or 200 + len(kpis),
                on_dashboard=order is not None,
            )
        )
    for rank, manual in enumerate(MANUAL):
        target, amber, red = manual.levels or (None, None, None)
        kpis.append(
            Kpi(
                code=manual.code.replace("_", "-"),
                **manual.text._asdict(),
                unit=manual.unit,
                direction=manual.direction,
                frequency=manual.frequency,
                scope=manual.scope,
                source=Kpi.Source.MANUAL,
                target=target,
                amber_threshold=amber,
                red_threshold=red,
                order=120 + rank if manual.on_dashboard else 300 + rank,
                on_dashboard=manual.on_dashboard,
            )
        )
    for kpi in kpis:
        kpi.full_clean()
    return Kpi.objects.bulk_create(kpis)


def _round(amount: float) -> int:
    """To two significant figures: 54 000 000, not 54 123 456."""
    digits = max(len(str(int(amount))) - 2, 0)
    return int(round(amount, -digits))


def _seed_computed(ctx: DemoContext, kpis: list[Kpi]) -> None:
    cache: dict = {}  # one PortfolioFigures per scope, for all the periods: each snapshot read once
    since = _records_since()
    for frequency, count in YEAR.items():
        group = [kpi for kpi in kpis if kpi.frequency == frequency]
        for period in Period.containing(frequency, ctx.today).previous().last(count):
            # A KPI of the risk register or the decision log starts when they do, not with a run of zeros.
            measured = [kpi for kpi in group if since.get(kpi.function, period.end) <= period.end]
            if measured:
                record_computed(
                    measured, lambda _kpi, period=period: period, today=ctx.today, figures_cache=cache
                )


def _records_since() -> dict[str, date]:
    """The day the demo's risk register and decision log start (the status history covers the year)."""
    risks = Risk.objects.aggregate(first=Min("created_at"))["first"]
    decisions = Decision.objects.aggregate(first=Min("decided_on"))["first"]
    actions = Action.objects.aggregate(first=Min("created_at"))["first"]
    since = {}
    if risks is not None:
        since.update(risk_exposure=timezone.localdate(risks), critical_risks=timezone.localdate(risks))
    if decisions is not None:
        since.update(decisions_taken=decisions, decisions_on_time=decisions)
    if actions is not None:
        since.update(overdue_actions=timezone.localdate(actions))
    return since


def _set_risk_levels(kpis: list[Kpi]) -> None:
    """Risk exposure and the number of critical risks grow with the portfolio: their levels come from
    the last quarter's median (target 15 % under it, amber from it, red from 15 % over it)."""
    for kpi in kpis:
        if kpi.function not in ("risk_exposure", "critical_risks"):
            continue
        values = list(kpi.measurements.order_by("-period").values_list("value", flat=True)[:13])
        if not values:
            continue
        median = float(statistics.median(values))
        kpi.target = _round(median * 0.85)
        kpi.amber_threshold = _round(median)
        kpi.red_threshold = _round(median * 1.15)
        kpi.save(update_fields=["target", "amber_threshold", "red_threshold"])


def _seed_manual(ctx: DemoContext, kpis: list[Kpi]) -> None:
    rng = ctx.rng
    pmo = ctx.demo_users.get(Role.PMO)
    by_code = {kpi.code: kpi for kpi in kpis}
    rows: list[Measurement] = []

    def periods(kpi: Kpi) -> list[Period]:
        return Period.containing(kpi.frequency, ctx.today).previous().last(YEAR[kpi.frequency])

    def walk(start: float, step: float, low: float, high: float, steps: int) -> list[float]:
        values, value = [], start
        for _step in range(steps):
            value = min(max(value + rng.gauss(0, step), low), high)
            values.append(value)
        return values

    business_case = by_code.get("business-case-current")
    if business_case is not None:
        months = periods(business_case)
        rows += [
            Measurement(kpi=business_case, period=p.start, value=Decimal(round(v)), entered_by=pmo)
            for p, v in zip(months, walk(rng.uniform(72, 80), 3.5, 55, 98, len(months)), strict=True)
        ]

    staff = by_code.get("staff-on-projects")
    if staff is not None:
        months = periods(staff)
        live = {}
        for project in ctx.projects:
            if project.state in (Project.State.ACTIVE, Project.State.ON_HOLD):
                live[project.directorate_id] = live.get(project.directorate_id, 0) + 1
        for directorate in ctx.directorates:
            projects = live.get(directorate.pk, 0)
            if not projects:
                continue
            base = projects * rng.uniform(2.5, 4.0)
            rows += [
                Measurement(
                    kpi=staff,
                    directorate=directorate,
                    period=p.start,
                    value=Decimal(round(v)),
                    entered_by=pmo,
                )
                for p, v in zip(
                    months, walk(base, base * 0.04, base * 0.6, base * 1.4, len(months)), strict=True
                )
            ]

    satisfaction = by_code.get("stakeholder-satisfaction")
    if satisfaction is not None:
        quarters = periods(satisfaction)
        pm1 = ctx.project_managers[0] if ctx.project_managers else None
        surveyed = [
            project
            for project in ctx.projects
            if project.state == Project.State.ACTIVE
            and (project.priority <= Project.Priority.HIGH or (pm1 and project.project_manager_id == pm1.pk))
        ]
        for project in surveyed:
            started = [quarter for quarter in quarters if quarter.end >= project.baseline_start]
            values = [round(value) for value in walk(rng.uniform(65, 90), 6, 35, 100, len(started))]
            for rank, (quarter, value) in enumerate(zip(started, values, strict=True)):
                change = value - values[rank - 1] if rank else 0
                mood = "down" if change <= -6 else "up" if change >= 6 else "steady"
                rows.append(
                    Measurement(
                        kpi=satisfaction,
                        project=project,
                        period=quarter.start,
                        value=Decimal(value),
                        comment=rng.choice(SATISFACTION_COMMENTS[mood]),
                        entered_by_id=project.project_manager_id,
                    )
                )
    Measurement.objects.bulk_create(rows)


def _stamp_entry_times(ctx: DemoContext) -> None:
    """As entered the morning after each period ended (the beat task's time for computed KPIs), rather
    than all at the moment seed_demo ran: one update per frequency and period, whatever the rows."""
    for frequency, count in YEAR.items():
        for period in Period.containing(frequency, ctx.today).previous().last(count):
            morning = datetime.combine(period.end + timedelta(days=1), time(7, 15))
            Measurement.objects.filter(kpi__frequency=frequency, period=period.start).update(
                entered_at=timezone.make_aware(morning)
            )
