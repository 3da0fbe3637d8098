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
from typing import NamedTuple

from django.db.models import Min
from django.utils import timezone

from governance.models import Action, Decision
from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Project
from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period
from reporting.services import record_computed
from risks.models import Risk

YEAR = {Frequency.WEEKLY: 52, Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4}


class Text(NamedTuple):
    name: str
    name_en: str
    description: str
    description_en: str


# The computed KPIs, in the dashboard's order; `None` for order: off the dashboard.
COMPUTED_TEXTS: dict[str, tuple[int | None, str, Text]] = {
    "rag_red_share": (
        10,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Projets au rouge",
            "Projects in red",
            "Part des projets actifs dont la météo de la semaine est rouge : le signal d'alerte du "
            "portefeuille, à examiner en comité.",
            "Share of active projects whose status for the week is red: the portfolio's alarm signal, "
            "to be examined in committee.",
        ),
    ),
    "rag_green_share": (
        20,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Projets au vert",
            "Projects in green",
            "Part des projets actifs dont la météo de la semaine est verte (un projet qui n'a pas "
            "rendu sa météo n'est pas compté vert).",
            "Share of active projects whose status for the week is green (a project that has not "
            "reported is not counted green).",
        ),
    ),
    "status_compliance": (
        30,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Conformité des météos projet",
            "Status-report compliance",
            "Part des projets actifs dont le chef de projet a rendu la météo de la semaine. Sans météo "
            "à jour, les autres indicateurs ne disent pas la vérité.",
            "Share of active projects whose manager submitted the week's status report. Without "
            "current statuses, the other indicators cannot be trusted.",
        ),
    ),
    "milestones_met": (
        40,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Jalons tenus",
            "Milestones met",
            "Part des jalons dont la date de référence tombe dans le mois et qui ont été atteints "
            "avant la fin du mois.",
            "Share of the milestones whose baseline date falls in the month that were achieved by "
            "the end of the month.",
        ),
    ),
    "portfolio_cpi": (
        50,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Performance des coûts (CPI)",
            "Cost performance (CPI)",
            "Valeur acquise de tous les projets rapportée à leur coût réel. Au-dessous de 1, le "
            "portefeuille dépense plus que ce qu'il produit.",
            "Earned value of all projects over their actual cost. Below 1, the portfolio spends "
            "more than it delivers.",
        ),
    ),
    "portfolio_spi": (
        60,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Performance des délais (SPI)",
            "Schedule performance (SPI)",
            "Valeur acquise de tous les projets rapportée à la valeur planifiée à date. Au-dessous "
            "de 1, le portefeuille est en retard sur ses plans de référence.",
            "Earned value of all projects over the value planned to date. Below 1, the portfolio "
            "is behind its baseline plans.",
        ),
    ),
    "forecast_to_budget": (
        70,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Prévision à terminaison / budget",
            "Forecast at completion to budget",
            "Somme des prévisions à terminaison des projets actifs divisée par la somme de leurs "
            "budgets. 1,10 annonce un dépassement de 10 %.",
            "Sum of the active projects' forecasts at completion divided by the sum of their "
            "budgets. 1.10 announces a 10 % overrun.",
        ),
    ),
    "risk_exposure": (
        80,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Exposition aux risques",
            "Risk exposure",
            "Somme des scores (probabilité × impact) des risques ouverts. Les seuils sont fixés "  # noqa: RUF001
            "à partir de l'exposition médiane du dernier trimestre.",
            "Sum of the scores (probability × impact) of the open risks. The thresholds are set "  # noqa: RUF001
            "from the median exposure of the last quarter.",
        ),
    ),
    "critical_risks": (
        90,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Risques critiques",
            "Critical risks",
            "Nombre de risques ouverts de niveau critique selon la politique de risque. Les seuils sont "
            "fixés à partir du nombre médian du dernier trimestre.",
            "Number of open risks at the critical level by the risk policy. The thresholds are set "
            "from the median number of the last quarter.",
        ),
    ),
    "overdue_actions": (
        100,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Actions en retard",
            "Overdue actions",
            "Actions issues des comités et des risques dont l'échéance est passée sans qu'elles "
            "soient terminées.",
            "Actions from committees and risks whose due date has passed without their being done.",
        ),
    ),
    "decisions_on_time": (
        110,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Décisions mises en œuvre à temps",
            "Decisions implemented on time",
            "Part des décisions dont la mise en œuvre était attendue dans le mois et qui ont été "
            "mises en œuvre à la date prévue.",
            "Share of the decisions due for implementation in the month that were implemented by "
            "their due date.",
        ),
    ),
    "rag_amber_share": (
        None,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Projets à l'orange",
            "Projects in amber",
            "Part des projets actifs dont la météo de la semaine est orange : les projets à surveiller.",
            "Share of active projects whose status for the week is amber: the projects to watch.",
        ),
    ),
    "budget_at_completion": (
        None,
        Kpi.Scope.DIRECTORATE,
        Text(
            "Budget à terminaison",
            "Budget at completion",
            "Somme des budgets des projets actifs de chaque direction.",
            "Sum of the budgets of each directorate's active projects.",
        ),
    ),
    "forecast_at_completion": (
        None,
        Kpi.Scope.DIRECTORATE,
        Text(
            "Prévision à terminaison",
            "Forecast at completion",
            "Somme des prévisions à terminaison des projets actifs de chaque direction, telles que "
            "les chefs de projet les déclarent dans leurs météos.",
            "Sum of the forecasts at completion of each directorate's active projects, as their "
            "managers report them in their statuses.",
        ),
    ),
    "decisions_taken": (
        None,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Décisions prises",
            "Decisions taken",
            "Nombre de décisions enregistrées au journal des décisions dans le mois.",
            "Number of decisions recorded in the decision log in the month.",
        ),
    ),
}


class Manual(NamedTuple):
    code: str
    text: Text
    unit: str
    direction: str
    frequency: str
    scope: str
    levels: tuple[float, float, float] | None  # target, amber, red
    on_dashboard: bool


MANUAL = [
    Manual(
        "benefits_realised",
        Text(
            "Bénéfices réalisés (12 mois glissants)",
            "Benefits realised (rolling 12 months)",
            "Gains mesurés par le contrôle de gestion sur les projets mis en production : revenus "
            "additionnels et économies, sur les douze derniers mois. Saisi par le PMO chaque mois "
            "après la revue avec la Direction Financière.",
            "Gains measured by management control on the projects delivered: additional revenue "
            "and savings over the last twelve months. Entered by the PMO each month after the review "
            "with the Finance directorate.",
        ),
        Kpi.Unit.AMOUNT,
        Kpi.Direction.HIGHER,
        Frequency.MONTHLY,
        Kpi.Scope.PORTFOLIO,
        None,  # scaled to the portfolio in _benefits_levels
        True,
    ),
    Manual(
        "business_case_current",
        Text(
            "Business cases à jour",
            "Up-to-date business cases",
            "Part des projets actifs dont le business case a été revu dans les six derniers mois ou "
            "depuis le dernier changement de périmètre.",
            "Share of active projects whose business case was reviewed in the last six months or "
            "since the last change of scope.",
        ),
        Kpi.Unit.PERCENT,
        Kpi.Direction.HIGHER,
        Frequency.MONTHLY,
        Kpi.Scope.PORTFOLIO,
        (90, 80, 65),
        False,
    ),
    Manual(
        "stakeholder_satisfaction",
        Text(
            "Satisfaction des parties prenantes",
            "Stakeholder satisfaction",
            "Part des sponsors et utilisateurs clés satisfaits ou très satisfaits, selon l'enquête "
            "trimestrielle menée sur les projets prioritaires. Saisi par le chef de projet.",
            "Share of sponsors and key users satisfied or very satisfied, from the quarterly survey "
            "of the priority projects. Entered by the project manager.",
        ),
        Kpi.Unit.PERCENT,
        Kpi.Direction.HIGHER,
        Frequency.QUARTERLY,
        Kpi.Scope.PROJECT,
        (80, 70, 55),
        False,
    ),
    Manual(
        "staff_on_projects",
        Text(
            "Collaborateurs mobilisés sur les projets",
            "Staff on projects",
            "Équivalents temps plein internes affectés aux projets, par direction, d'après les "
            "feuilles de temps du mois.",
            "Internal full-time equivalents assigned to projects, by directorate, from the month's "
            "timesheets.",
        ),
        Kpi.Unit.COUNT,
        Kpi.Direction.HIGHER,
        Frequency.MONTHLY,
        Kpi.Scope.DIRECTORATE,
        None,
        False,
    ),
]
BENEFITS_PER_PROJECT = 450_000  # MAD a year, the portfolio's target per project
SATISFACTION_COMMENTS = {
    "down": [
        "Baisse liée au report de la mise en production.",
        "Les utilisateurs clés attendent toujours la formation promise.",
        "Insatisfaction du sponsor sur la tenue des délais.",
    ],
    "up": [
        "Retours très positifs après le pilote en agence.",
        "Nette amélioration depuis la nouvelle organisation de la recette.",
    ],
    "steady": ["", "", "", "Enquête menée auprès du sponsor et de cinq utilisateurs clés."],
}


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
        levels = manual.levels or (_benefits_levels(ctx) if manual.code == "benefits_realised" else None)
        target, amber, red = levels or (None, None, None)
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


def _benefits_levels(ctx: DemoContext) -> tuple[int, int, int]:
    target = _round(BENEFITS_PER_PROJECT * max(ctx.project_count, 10))
    return target, _round(target * 0.85), _round(target * 0.65)


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

    benefits = by_code.get("benefits-realised")
    if benefits is not None and benefits.target:
        target = float(benefits.target)
        months = periods(benefits)
        # Benefits build up over the year as projects go live, with the odd setback.
        values = walk(target * 0.75, target * 0.04, target * 0.5, target * 1.25, len(months))
        values = [value + target * 0.2 * rank / len(months) for rank, value in enumerate(values)]
        rows += [
            Measurement(kpi=benefits, period=p.start, value=Decimal(_round(v)), entered_by=pmo)
            for p, v in zip(months, values, strict=True)
        ]

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
