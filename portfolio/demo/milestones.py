"""The demo's milestones, spread over each project's baseline, and the dependencies between projects."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from pmo.demo import DemoContext
from portfolio.demo.projects import LIVE_STATES, State
from portfolio.models import Milestone, ProjectDependency

MILESTONE_NAMES = [
    "Lancement du projet",
    "Validation du cadrage",
    "Expression de besoin validée",
    "Conception générale validée",
    "Fin des développements",
    "Recette utilisateur validée",
    "Pilote en agence",
    "Mise en production",
    "Bilan de clôture",
]
DEPENDENCY_NOTES = [
    "",
    "",
    "Livrable attendu avant le démarrage de la recette.",
    "Mêmes équipes d'intégration, arbitrage nécessaire au comité.",
    "Interface commune à spécifier ensemble.",
]


def seed_milestones(ctx: DemoContext, rng: random.Random) -> None:
    """3 to 6 milestones spread over the baseline; forecasts drift with the project's slip, and the
    milestones already passed have an actual date (a few live ones are overdue)."""
    milestones = []
    for project in ctx.projects:
        count = rng.randint(3, 6)
        names = [
            MILESTONE_NAMES[0],
            *sorted(rng.sample(MILESTONE_NAMES[1:-1], count - 2), key=MILESTONE_NAMES.index),
        ]
        names.append(MILESTONE_NAMES[-1] if project.state == State.CLOSED else MILESTONE_NAMES[-2])
        span = (project.baseline_end - project.baseline_start).days
        slip = (project.forecast_end - project.baseline_end).days
        for rank, name in enumerate(names):
            share = rank / (len(names) - 1)
            baseline = project.baseline_start + timedelta(days=round(span * share))
            forecast = baseline + timedelta(days=round(slip * share))
            actual = None
            if forecast < ctx.today and project.state != State.PROPOSED:
                overdue = project.state in LIVE_STATES and rng.random() < 0.05
                actual = None if overdue else min(forecast + timedelta(days=rng.randint(-3, 3)), ctx.today)
            milestones.append(
                Milestone(
                    project=project,
                    name=name,
                    baseline_date=baseline,
                    forecast_date=forecast,
                    actual_date=actual,
                    weight=Decimal(rng.choice([1, 1, 2, 3, 5])),
                )
            )
    Milestone.objects.bulk_create(milestones)
    ctx.count(Milestone, len(milestones))


def seed_dependencies(ctx: DemoContext, rng: random.Random) -> None:
    candidates = [project for project in ctx.projects if project.state in (*LIVE_STATES, State.PROPOSED)]
    if len(candidates) < 2:
        return
    seen: set[tuple[int, int]] = set()
    dependencies = []
    for _attempt in range(len(ctx.projects) // 5):
        source, target = rng.sample(candidates, 2)
        if (source.pk, target.pk) in seen or (target.pk, source.pk) in seen:
            continue
        seen.add((source.pk, target.pk))
        dependencies.append(
            ProjectDependency(
                from_project=source,
                to_project=target,
                kind=rng.choice(ProjectDependency.Kind.values),
                criticality=rng.choices(ProjectDependency.Criticality.values, weights=[3, 5, 2])[0],
                note=rng.choice(DEPENDENCY_NOTES),
            )
        )
    _at_milestones(dependencies, random.Random(len(dependencies)))
    ProjectDependency.objects.bulk_create(dependencies)
    ctx.count(ProjectDependency, len(dependencies))


def _at_milestones(dependencies: list[ProjectDependency], rng: random.Random) -> None:
    """Each dependency between projects with milestones gets a provider and a consumer milestone, needed by
    the consumer's forecast (some a little earlier: broken ones for the map, the signals and the agenda);
    half accepted by the provider's manager. Its own random stream: the rest of the demo stays as it was."""
    projects = {d.from_project_id for d in dependencies} | {d.to_project_id for d in dependencies}
    by_project: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(project__in=projects, actual_date__isnull=True).order_by("pk"):
        by_project.setdefault(milestone.project_id, []).append(milestone)
    for dependency in dependencies:
        provided, consumed = (
            by_project.get(dependency.to_project_id),
            by_project.get(dependency.from_project_id),
        )
        if not provided or not consumed:
            continue
        dependency.provider_milestone = rng.choice(provided)
        dependency.consumer_milestone = rng.choice(consumed)
        dependency.needed_by = min(
            dependency.consumer_milestone.forecast_date,
            dependency.provider_milestone.expected_date + timedelta(days=rng.choice([-20, -5, 10, 30])),
        )
        if rng.random() < 0.5:
            dependency.accepted_by_id = dependency.to_project.project_manager_id
            dependency.accepted_at = dependency.to_project.created_at
