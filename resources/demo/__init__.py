"""Demo people by role (see pmo.demo for how seed_demo runs the seeders).

The PMO's catalogue of ten roles; each active or proposed project's demand over its dates (within the
24 months from six months back): a project manager (named on some projects) and three other roles, 0.2
to 2 FTE each; each directorate's capacity in every role for those 24 months, sized so that most cells
are comfortably covered, with one hot spot the portfolio committee has to look at (one directorate's
developers at about 130 % for the next three months) and a couple of cells near the limit (amber). The
portfolio committee gets a planned meeting in the coming weeks if the governance demo gave it none. The
audit trail (`seed_history`): the catalogue and the capacity entered by the PMO at the start of the
window, each demand when its project was created.
"""

from __future__ import annotations

from pmo.audit import forget_history
from pmo.demo import DemoContext


def has_data() -> bool:
    from resources.models import Capacity, Demand, ResourceRole

    return ResourceRole.objects.exists() or Capacity.objects.exists() or Demand.objects.exists()


def reset() -> None:
    from resources.models import Capacity, Demand, ResourceRole, Scenario

    forget_history(Demand, Capacity, ResourceRole, Scenario)
    Scenario.objects.all().delete()
    Demand.objects.all().delete()
    Capacity.objects.all().delete()
    ResourceRole.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    from resources.demo.seeder import Seeder

    Seeder(ctx).run()


def seed_history(ctx: DemoContext) -> None:
    from resources.demo.seeder import seed_history as seed_resources_history

    seed_resources_history(ctx)
