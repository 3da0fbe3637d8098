"""Demo benefit profiles: a financial one for most running and closed projects (most approved, a few
still in draft), a non-financial one for some, and monthly actuals from the start of realisation, a few
falling behind their plan so that the value KPI, the at-risk signal and the agenda have something to say."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from benefits.models import BenefitActual, BenefitProfile
from pmo.demo import DemoContext
from pmo.months import add_months, month_of
from pmo.roles import Role
from portfolio.models import Project

LIVE = (Project.State.ACTIVE, Project.State.CLOSED, Project.State.ON_HOLD)


def has_data() -> bool:
    return BenefitProfile.objects.exists()


def reset() -> None:
    BenefitProfile.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    pmo = ctx.demo_users.get(Role.PMO)
    profiles: list[BenefitProfile] = []
    pace: dict[int, float] = {}
    for project in ctx.projects:
        if project.state not in LIVE or rng.random() < 0.25:
            continue
        starts = add_months(month_of(ctx.today), -rng.randint(2, 14))
        baseline = Decimal(rng.randint(0, 4) * 100_000)
        target = baseline + Decimal(rng.randint(3, 30) * 50_000)
        state = BenefitProfile.State.APPROVED if rng.random() < 0.8 else BenefitProfile.State.DRAFT
        profiles.append(
            BenefitProfile(
                project=project,
                title="Économies de fonctionnement annuelles"
                if rng.random() < 0.5
                else "Revenus additionnels",
                kind=BenefitProfile.Kind.FINANCIAL,
                currency=project.currency,
                baseline_value=baseline,
                target_value=target,
                starts_on=starts,
                target_date=add_months(starts, rng.choice((12, 18, 24))),
                owner=project.sponsor or project.project_manager,
                state=state,
                approved_by=pmo if state == BenefitProfile.State.APPROVED else None,
                approved_at=ctx.morning if state == BenefitProfile.State.APPROVED else None,
            )
        )
        if rng.random() < 0.3:
            profiles.append(
                BenefitProfile(
                    project=project,
                    title="Délai moyen de traitement d'un dossier",
                    kind=BenefitProfile.Kind.NON_FINANCIAL,
                    unit="jours",
                    baseline_value=Decimal(12),
                    target_value=Decimal(5),
                    starts_on=starts,
                    target_date=add_months(starts, 12),
                    owner=project.sponsor or project.project_manager,
                    state=BenefitProfile.State.APPROVED,
                    approved_by=pmo,
                    approved_at=ctx.morning,
                )
            )
    profiles = BenefitProfile.objects.bulk_create(profiles)
    actuals = []
    from benefits.selectors import planned_at

    for profile in profiles:
        pace[profile.pk] = rng.choice((0.55, 0.85, 0.95, 1.0, 1.05, 1.1)) if rng.random() > 0.1 else 0
        if not pace[profile.pk]:
            continue  # nothing measured yet: unknown, and at risk once 60 days have passed
        month = add_months(profile.starts_on, 1)
        while month <= ctx.today:
            planned = planned_at(profile, month)
            gain = (planned - profile.baseline_value) * Decimal(str(pace[profile.pk]))
            actuals.append(
                BenefitActual(
                    profile=profile,
                    measured_on=month - timedelta(days=1),
                    value=(profile.baseline_value + gain).quantize(Decimal("0.01")),
                    recorded_by=profile.owner,
                )
            )
            month = add_months(month, 1)
    BenefitActual.objects.bulk_create(actuals)
    ctx.count(BenefitProfile, len(profiles))
    ctx.count(BenefitActual, len(actuals))
