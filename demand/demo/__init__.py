"""The demand demo (see pmo.demo for how seed_demo runs the seeders).

About a dozen project requests from the directorates, growing a little with the number of projects,
in every state of their life: submitted, incomplete (the PMO's comment), qualified, proposed to the
portfolio committee, approved (pointing at a project the committee launched lately), rejected and
deferred (with the reason), withdrawn. Each has its cost phased over the plans' three years and the
people it needs by role. The PMO and two committee members scored the candidate requests and a few
running projects with the published criteria (they disagree on one request); two scenarios wait to
be computed, one with the regulatory request forced in. The criteria (version 1) come from a data
migration and stay when the demo is reset.
"""

from __future__ import annotations

from pmo.demo import DemoContext


def has_data() -> bool:
    from demand.models import PortfolioScenario, ProjectRequest, Score

    return ProjectRequest.objects.exists() or Score.objects.exists() or PortfolioScenario.objects.exists()


def reset() -> None:
    from demand.models import PortfolioScenario, ProjectRequest, Score

    PortfolioScenario.objects.all().delete()
    Score.objects.all().delete()
    ProjectRequest.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    from demand.demo.seeder import Seeder

    Seeder(ctx).run()
