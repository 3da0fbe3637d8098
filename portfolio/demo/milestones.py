"""The demo's milestones, spread over each project's baseline, in date order, each with an owner and most
with a deliverable (the dependencies between them: `dependencies`)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from pmo.demo import DemoContext
from pmo.models import User
from portfolio.demo.projects import LIVE_STATES, State
from portfolio.models import Milestone

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
# What each milestone delivers (the organisation writes its plans in French, like the rest of its data).
DELIVERABLES = {
    "Lancement du projet": "Compte rendu de la réunion de lancement",
    "Validation du cadrage": "Note de cadrage signée",
    "Expression de besoin validée": "Dossier d'expression de besoin",
    "Conception générale validée": "Dossier de conception générale",
    "Fin des développements": "Version livrée en recette",
    "Recette utilisateur validée": "Procès-verbal de recette",
    "Pilote en agence": "Bilan du pilote",
    "Mise en production": "Dossier de mise en production",
    "Bilan de clôture": "Rapport de clôture",
}
DELIVERABLE_SHARE = 0.85
OWNED_BY_MANAGER = 0.5  # the rest are owned by a member of the team


def seed_milestones(
    ctx: DemoContext, rng: random.Random, plan_rng: random.Random, teams: dict[int, list[User]]
) -> dict[int, list[Milestone]]:
    """3 to 6 milestones spread over the baseline; forecasts drift with the project's slip, and the
    milestones already passed have an actual date (a few live ones are overdue). Their owner and
    deliverable come from `plan_rng`, so the draws from `rng` (and what follows from it) stay as they
    were. Returns them by project id, in date order."""
    milestones = []
    by_project: dict[int, list[Milestone]] = {}
    for project in ctx.projects:
        team = teams.get(project.pk) or []
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
            owner = project.project_manager
            if team and plan_rng.random() >= OWNED_BY_MANAGER:
                owner = plan_rng.choice(team)
            deliverable = DELIVERABLES.get(name, "") if plan_rng.random() < DELIVERABLE_SHARE else ""
            milestone = Milestone(
                project=project,
                name=name,
                position=rank + 1,
                deliverable=deliverable,
                owner=owner,
                baseline_date=baseline,
                forecast_date=forecast,
                actual_date=actual,
                weight=Decimal(rng.choice([1, 1, 2, 3, 5])),
            )
            milestones.append(milestone)
            by_project.setdefault(project.pk, []).append(milestone)
    Milestone.objects.bulk_create(milestones)
    ctx.count(Milestone, len(milestones))
    return by_project
