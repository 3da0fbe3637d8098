"""Delivery confidence assessments of about a third of the active projects over the last four months
(`portfolio.models.assurance`): every level of the five-point scale among their latest, at least one
project declared green but assessed Amber/Red (a disagreement the project page flags, whose follow-up
review is overdue) and one assessed Red whose follow-up review falls due within the week. Drawn from a
stream of its own, so everything else the seed makes stays as it was."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings

from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import DeliveryConfidence, Project, Rag
from portfolio.models.assurance import Confidence

SHARE = 3  # one active project in SHARE
HISTORY_DAYS = 120
FOLLOW_UP_SOON = 6  # days until the planted Red assessment's follow-up review falls due
FOLLOW_UP_OVERDUE = 3  # days the planted Amber/Red assessment's follow-up review is overdue
# The latest levels of the first projects assessed: a disagreement, a follow-up due soon, then the rest.
PLANTED = [Confidence.AMBER_RED, Confidence.RED, Confidence.GREEN, Confidence.AMBER_GREEN, Confidence.AMBER]
WEIGHTS = {
    Confidence.GREEN: 4,
    Confidence.AMBER_GREEN: 4,
    Confidence.AMBER: 3,
    Confidence.AMBER_RED: 2,
    Confidence.RED: 1,
}
REASONS = {
    Confidence.GREEN: ["Jalons tenus, budget maîtrisé, équipe au complet.", ""],
    Confidence.AMBER_GREEN: [
        "Quelques risques sur la recette, plan d'action en place.",
        "Dépendance fournisseur à surveiller, sans impact à ce jour.",
    ],
    Confidence.AMBER: [
        "Retard de deux semaines sur la conception, rattrapable.",
        "Consommation budgétaire supérieure au plan, arbitrage attendu.",
    ],
    Confidence.AMBER_RED: [
        "Le périmètre dérive et la date de mise en service n'est plus crédible sans replanification.",
        "Ressources clés indisponibles : le planning déclaré n'est pas tenable.",
    ],
    Confidence.RED: [
        "Livraison compromise : fournisseur défaillant, aucun plan de reprise validé.",
        "Budget épuisé avant la recette ; décision du comité nécessaire.",
    ],
}


def seed_confidence(ctx: DemoContext, rng: random.Random) -> None:
    active = sorted(
        (p for p in ctx.projects if p.state == Project.State.ACTIVE and p.last_report is not None),
        key=lambda p: p.code,
    )
    if not active:
        return
    chosen = rng.sample(active, max(1, len(active) // SHARE))
    # The disagreement: a project whose manager declares green comes first.
    green = [p for p in active if p.last_report.overall_rag == Rag.GREEN]
    if green and not any(p in green for p in chosen):
        chosen[0] = rng.choice(green)
    chosen.sort(key=lambda p: p not in green)
    # And a confidential project among them, so that its assessments are kept from those who may not see it.
    secret = [p for p in active if p.confidential and p not in chosen]
    if secret and not any(p.confidential for p in chosen) and len(chosen) > len(PLANTED):
        chosen[-1] = secret[0]
    assessor = ctx.demo_users.get(Role.PMO)
    levels, weights = list(WEIGHTS), list(WEIGHTS.values())
    rows = []
    for index, project in enumerate(chosen):
        latest = PLANTED[index] if index < len(PLANTED) else rng.choices(levels, weights=weights)[0]
        if latest == Confidence.RED and index == 1:
            latest_on = ctx.today - timedelta(days=settings.CONFIDENCE_FOLLOW_UP_DAYS - FOLLOW_UP_SOON)
        elif latest == Confidence.AMBER_RED and index == 0:
            # The disagreement's follow-up review is overdue: the PMO's queue and the committee's
            # preparation have one to show on the day the demo is seeded.
            latest_on = ctx.today - timedelta(days=settings.CONFIDENCE_FOLLOW_UP_DAYS + FOLLOW_UP_OVERDUE)
        else:
            latest_on = ctx.today - timedelta(days=rng.randint(0, 35))
        dates = [latest_on]
        for _earlier in range(rng.randint(0, 2)):
            dates.append(dates[-1] - timedelta(days=rng.randint(21, 42)))
        for position, on in enumerate(reversed(dates)):
            last = position == len(dates) - 1
            level = latest if last else rng.choices(levels, weights=weights)[0]
            if on < ctx.today - timedelta(days=HISTORY_DAYS):
                continue
            rows.append(
                DeliveryConfidence(
                    project=project,
                    rating=level,
                    assessed_on=on,
                    reason=rng.choice(REASONS[level]),
                    source=DeliveryConfidence.Source.ASSURANCE
                    if rng.random() < 0.2
                    else DeliveryConfidence.Source.PMO,
                    follow_up_due=DeliveryConfidence.follow_up_date(level, on),
                    assessed_by=assessor,
                )
            )
    DeliveryConfidence.objects.bulk_create(rows)
    ctx.count(DeliveryConfidence, len(rows))
