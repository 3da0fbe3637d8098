"""The demo's dependencies between projects, at milestone level.

A consumer project needs a provider's milestone by a date: a few days or weeks after the date the
provider's baseline gives that milestone (or, for most, the date it was forecast when they agreed), for
the first of the consumer's own milestones that falls after
it. Most are accepted by the provider's manager, some still wait for it. None is made broken: the few
that are broken are so because their provider milestone already slips (the milestones' own forecast), by
the one rule of `ProjectDependency.is_broken`. Mostly between projects of the same directorate, some
across directorates.
"""

from __future__ import annotations

import random
from datetime import timedelta

from pmo import audit
from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.demo.projects import LIVE_STATES, State
from portfolio.models import Milestone, Project, ProjectDependency

NOTES = [
    "",
    "",
    "Livrable attendu avant le démarrage de la recette.",
    "Mêmes équipes d'intégration, arbitrage nécessaire au comité.",
    "Interface commune à spécifier ensemble.",
    "Les flux de données doivent être disponibles en environnement d'homologation.",
    "Le référentiel commun doit être en production avant la bascule.",
]
MARGIN_DAYS = [7, 10, 14, 21, 28, 35, 42, 56]  # needed by: this long after the provider's baseline date
SAME_DIRECTORATE = 0.6  # share of providers drawn from the consumer's directorate
ACCEPTED_SHARE = 0.85
ON_BASELINE = 0.3  # needed by a date set from the provider's baseline; the others from its forecast


def seed_dependencies(ctx: DemoContext, rng: random.Random, milestones: dict[int, list[Milestone]]) -> None:
    """About one dependency per five projects, between live or proposed projects."""
    candidates = [
        p for p in ctx.projects if p.state in (*LIVE_STATES, State.PROPOSED) and milestones.get(p.pk)
    ]
    if len(candidates) < 2:
        return
    by_directorate: dict[int, list[Project]] = {}
    for project in candidates:
        by_directorate.setdefault(project.directorate_id, []).append(project)
    seen: set[frozenset[int]] = set()
    dependencies = []

    def add(consumer: Project, provider: Project, *, accepted: bool, slipped: bool = False) -> bool:
        pair = frozenset((consumer.pk, provider.pk))
        if pair in seen:
            return False
        made = _dependency(ctx, rng, consumer, provider, milestones, accepted=accepted, slipped=slipped)
        if made is None:
            return False
        seen.add(pair)
        dependencies.append(made)
        return True

    for _attempt in range(len(ctx.projects) // 5):
        consumer = rng.choice(candidates)
        peers = [p for p in by_directorate[consumer.directorate_id] if p is not consumer]
        provider = rng.choice(peers) if peers and rng.random() < SAME_DIRECTORATE else rng.choice(candidates)
        if provider is not consumer:
            add(consumer, provider, accepted=rng.random() < ACCEPTED_SHARE)

    # What a demo must show whatever the seed: one broken (on a provider milestone that already slips),
    # and one waiting for pm1 to accept it.
    if not any(d.is_broken for d in dependencies):
        slipping = [p for p in candidates if any(_slips(m) for m in milestones[p.pk])]
        for provider in slipping:
            consumer = next((p for p in candidates if p is not provider), None)
            if consumer is not None and add(consumer, provider, accepted=True, slipped=True):
                break
    pm1 = ctx.demo_users.get(Role.PROJECT_MANAGER)
    if pm1 and not any(
        d.accepted_at is None and d.to_project.project_manager_id == pm1.pk for d in dependencies
    ):
        for provider in (p for p in candidates if p.project_manager_id == pm1.pk):
            consumer = next((p for p in candidates if p.project_manager_id != pm1.pk), None)
            if consumer is not None and add(consumer, provider, accepted=False):
                break
    ProjectDependency.objects.bulk_create(dependencies)
    ctx.count(ProjectDependency, len(dependencies))


def _slips(milestone: Milestone) -> bool:
    """Expected a week or more after its baseline date, and not met yet: a dependency on it can break."""
    return milestone.actual_date is None and (milestone.forecast_date - milestone.baseline_date).days >= 7


def _dependency(
    ctx: DemoContext,
    rng: random.Random,
    consumer: Project,
    provider: Project,
    milestones: dict[int, list[Milestone]],
    *,
    accepted: bool,
    slipped: bool,
) -> ProjectDependency | None:
    # The launch is nobody's deliverable: the provider's later milestones.
    offered = milestones[provider.pk][1:] or milestones[provider.pk]
    if slipped:
        offered = [m for m in offered if _slips(m)]
        if not offered:
            return None
    given = rng.choice(offered)
    if slipped:
        # Needed between its baseline date and its forecast: agreed on the baseline, broken by the slip.
        needed_by = given.baseline_date + (given.forecast_date - given.baseline_date) // 2
    else:
        # Agreed on the provider's baseline date, or (most) on its forecast when that was already known.
        agreed_on = (
            given.baseline_date
            if rng.random() < ON_BASELINE
            else max(given.baseline_date, given.forecast_date)
        )
        needed_by = agreed_on + timedelta(days=rng.choice(MARGIN_DAYS))
    own = milestones[consumer.pk]
    waiting = next((m for m in own if m.baseline_date >= needed_by), own[-1])
    agreed = min(ctx.today - timedelta(days=rng.randint(7, 120)), needed_by)
    return ProjectDependency(
        from_project=consumer,
        to_project=provider,
        kind=rng.choice(ProjectDependency.Kind.values),
        criticality=rng.choices(ProjectDependency.Criticality.values, weights=[3, 5, 2])[0],
        note=rng.choice(NOTES),
        provider_milestone=given,
        consumer_milestone=waiting,
        needed_by=needed_by,
        created_by=consumer.project_manager,
        accepted_by=provider.project_manager if accepted else None,
        accepted_at=min(audit.local(agreed, 15), ctx.morning) if accepted else None,
    )
