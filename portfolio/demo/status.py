"""The demo's status history: up to a year of weekly reports per live project, with its RAG trend."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from pmo.demo import DemoContext
from portfolio.demo.agile import add_sprint_figures, release_plan_for
from portfolio.demo.projects import LIVE_STATES, progress
from portfolio.models import Project, Rag, ReleasePlan, StatusReport
from portfolio.models.status import period_of

# This week and the 52 complete weeks before it: a year of weekly KPIs has a status behind each week.
HISTORY_WEEKS = 53
NOT_REPORTED_SHARE = 0.2
# How often a project misses a past week (no report that week): most managers report nearly every week,
# a few often skip. So the compliance of past weeks is not always 100 %.
SKIP_RATES = [0.0, 0.03, 0.08, 0.2]
SKIP_WEIGHTS = [40, 35, 18, 7]
# How the overall RAG moves over the weeks: steady, slipping (green → amber → red), recovering.
TRENDS = ["green", "amber", "slipping", "recovering"]
TREND_WEIGHTS = [62, 10, 18, 10]
SUMMARIES = {
    Rag.GREEN: [
        "Le projet avance conformément au planning et au budget.",
        "Avancement nominal, pas de point bloquant.",
        "Les travaux se déroulent comme prévu ; l'équipe est au complet.",
    ],
    Rag.AMBER: [
        "Léger retard sur les développements, rattrapable d'ici le prochain jalon.",
        "Vigilance sur la disponibilité des équipes métier pour la recette.",
        "Dérive budgétaire à surveiller suite à des demandes d'évolution.",
    ],
    Rag.RED: [
        "Retard significatif : le jalon de mise en production est menacé.",
        "Dépassement budgétaire confirmé, arbitrage nécessaire.",
        "Blocage fournisseur : la livraison attendue n'a pas eu lieu.",
    ],
}
ACHIEVEMENTS = [
    "Ateliers de conception tenus avec les métiers.",
    "Livraison du lot 1 en environnement de recette.",
    "Spécifications fonctionnelles validées.",
    "Comité de pilotage tenu, décisions actées.",
    "Campagne de tests de non-régression terminée.",
    "Migration des données de test réalisée.",
    "Formation des utilisateurs clés lancée.",
]
NEXT_STEPS = [
    "Préparer le comité de pilotage du mois.",
    "Lancer la recette utilisateur.",
    "Finaliser le plan de bascule.",
    "Valider le chiffrage du lot suivant.",
    "Planifier la formation du réseau.",
    "Sécuriser les ressources pour la phase de déploiement.",
]
HELP_NEEDED = [
    "Arbitrage de la direction sur le périmètre du lot 2.",
    "Renfort d'un architecte pendant quatre semaines.",
    "Validation urgente du budget complémentaire.",
    "Escalade auprès du fournisseur au niveau direction.",
]
EXPLANATIONS = [
    "Retard de livraison du fournisseur.",
    "Indisponibilité des experts métier.",
    "Évolutions de périmètre non prévues au budget.",
    "Anomalies bloquantes en recette.",
]


def seed_status_history(ctx: DemoContext, rng: random.Random) -> None:
    """Up to a year of weekly reports per live project, with a week missed now and then; about a fifth
    have not yet reported this week (pm1 has both kinds); each project's last report is then its latest."""
    this_week = period_of(ctx.today)
    live = [project for project in ctx.projects if project.state in LIVE_STATES]
    late_reporters = {project.pk for project in live if rng.random() < NOT_REPORTED_SHARE}
    pm1 = ctx.project_managers[0] if ctx.project_managers else None
    mine = [project for project in live if pm1 and project.project_manager_id == pm1.pk]
    if len(mine) >= 2:
        late_reporters.add(mine[0].pk)
        late_reporters.discard(mine[1].pk)
    reports = []
    latest: dict[int, StatusReport] = {}
    # Agile projects' release plans and sprints draw from a stream of their own: the rest stays as it was.
    agile_rng = random.Random(f"{ctx.seed}:portfolio-agile")
    plans = []
    for project in live:
        started = period_of(max(project.baseline_start, this_week - timedelta(weeks=HISTORY_WEEKS)))
        newest = 1 if project.pk in late_reporters else 0
        skips = rng.choices(SKIP_RATES, weights=SKIP_WEIGHTS)[0]
        periods = [
            this_week - timedelta(weeks=weeks_ago)
            for weeks_ago in range(HISTORY_WEEKS - 1, newest - 1, -1)
            if this_week - timedelta(weeks=weeks_ago) >= started
            # The last two weeks are as NOT_REPORTED_SHARE says; before, a week is missed now and then.
            and (weeks_ago < 2 or rng.random() >= skips)
        ]
        history = _history(project, periods, rng)
        if (plan := release_plan_for(project, agile_rng)) is not None:
            plans.append(plan)
            add_sprint_figures(plan, history, agile_rng)
        reports.extend(history)
        if history:
            latest[project.pk] = history[-1]
    StatusReport.objects.bulk_create(reports)
    ctx.count(StatusReport, len(reports))
    ReleasePlan.objects.bulk_create(plans)
    ctx.count(ReleasePlan, len(plans))
    for project in ctx.projects:
        project.last_report = latest.get(project.pk)
    Project.objects.bulk_update([project for project in ctx.projects if project.last_report], ["last_report"])


def _history(project: Project, periods: list[date], rng: random.Random) -> list[StatusReport]:
    if not periods:
        return []
    colours = _trend(rng, len(periods), late=(project.forecast_end - project.baseline_end).days > 60)
    pace = rng.uniform(0.9, 1.0)  # reported % complete, against the pace of the forecast
    cpi = rng.uniform(0.8, 1.1) if colours[-1] == Rag.GREEN else rng.uniform(0.8, 0.95)
    driver = rng.choices(StatusReport.DIMENSIONS, weights=[5, 3, 1, 2])[0]
    budget = project.budget or Decimal(0)
    percent, cost = Decimal(0), Decimal(0)
    # The spend of a week is what the actual cost grew by since the report before; the first report's
    # only when the project started in its week (else what was spent before the history is unknown).
    previous = Decimal(0) if project.baseline_start >= periods[0] else None
    reports = []
    for period, colour in zip(periods, colours, strict=True):
        done = Decimal(round(100 * pace * progress(project, period + timedelta(days=4))))
        percent = min(max(percent, done), Decimal(99))
        earned = budget * percent / 100
        cost = max(
            cost, (earned / Decimal(str(round(cpi * rng.uniform(0.97, 1.03), 3)))).quantize(Decimal(1))
        )
        dimensions = dict.fromkeys(StatusReport.DIMENSIONS, Rag.GREEN)
        dimensions[driver] = colour
        other = rng.choice(StatusReport.DIMENSIONS)
        if colour == Rag.RED and other != driver and rng.random() < 0.3:
            dimensions[other] = Rag.AMBER
        red_help = colour == Rag.RED and rng.random() < 0.6
        reports.append(
            StatusReport(
                project=project,
                period=period,
                revision=1,
                is_latest=True,
                overall_rag=colour,
                **dimensions,
                percent_complete=percent,
                actual_cost=cost,
                spend_this_period=None if previous is None else cost - previous,
                forecast_at_completion=(budget / Decimal(str(round(cpi, 3)))).quantize(Decimal(1)),
                summary=rng.choice(SUMMARIES[colour]),
                achievements=rng.choice(ACHIEVEMENTS),
                next_steps=rng.choice(NEXT_STEPS),
                help_needed=rng.choice(HELP_NEEDED) if red_help or rng.random() < 0.05 else "",
                explanation="" if colour == Rag.GREEN else rng.choice(EXPLANATIONS),
                submitted_by_id=project.project_manager_id,
            )
        )
        previous = cost
    return reports


def _trend(rng: random.Random, weeks: int, *, late: bool) -> list[str]:
    """The overall RAG of each week, oldest first. A project forecast well past its baseline slips more."""
    weights = [40, 15, 35, 10] if late else TREND_WEIGHTS
    trend = rng.choices(TRENDS, weights=weights)[0]
    if trend in ("green", "amber") or weeks < 3:
        return [Rag.GREEN if trend != "amber" else Rag.AMBER] * weeks
    first, second = sorted(rng.sample(range(1, weeks + 2), 2))
    steps = [Rag.GREEN, Rag.AMBER, Rag.RED] if trend == "slipping" else [Rag.RED, Rag.AMBER, Rag.GREEN]
    return [steps[0] if week < first else steps[1] if week < second else steps[2] for week in range(weeks)]
