"""Benefit profiles for the benefits tests: a profile made the way the pages make one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benefits.models import BenefitActual, BenefitProfile

START, DUE = date(2026, 1, 1), date(2027, 1, 1)


def make_profile(project, *, baseline=0, target=1200, starts_on=START, target_date=DUE, approved=True,
                 actuals=(), **fields) -> BenefitProfile:  # fmt: skip
    profile = BenefitProfile.objects.create(
        project=project,
        title=fields.pop("title", "Économies"),
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
        starts_on=starts_on,
        target_date=target_date,
        state=BenefitProfile.State.APPROVED if approved else BenefitProfile.State.DRAFT,
        **fields,
    )
    for day, value in actuals:
        BenefitActual.objects.create(profile=profile, measured_on=day, value=Decimal(value))
    return profile
