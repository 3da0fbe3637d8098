"""The benefits demo (see pmo.demo for how seed_demo runs the seeders).

Benefit profiles on about a third of the active projects and on every closed one: financial (a yearly
amount in the project's currency) and non-financial (a delay in days, a rate in %...), owned by the
sponsor or a head of the directorate, mostly approved by the PMO, some still drafts. Their actuals,
monthly from the start to today (after closure too): most on track, a few under 80 % of plan (at risk),
one past its start with nothing recorded yet. About 25 lessons learned across categories, phases,
directorates and sources; a closure report for each closed project.
"""

from __future__ import annotations

from pmo.demo import DemoContext


def has_data() -> bool:
    from benefits.models import BenefitProfile, ClosureReport, Lesson

    return BenefitProfile.objects.exists() or Lesson.objects.exists() or ClosureReport.objects.exists()


def reset() -> None:
    from benefits.models import BenefitProfile, ClosureReport, Lesson

    ClosureReport.objects.all().delete()
    Lesson.objects.all().delete()
    BenefitProfile.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    from benefits.demo.seeder import Seeder

    Seeder(ctx).run()
