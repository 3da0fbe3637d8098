"""Demo baselines and change requests (see pmo.demo for how seed_demo runs the seeders).

Every project at or past the phase whose gate takes the first baseline (Build) has its v1, frozen from
its baseline dates, budget and milestones: taken at that gate when it was passed within the year, else by
the PMO on the plan then in force. A handful of active projects then had a change request approved (by
the PMO within its tolerance, by the project's committee beyond) that took v2: the end later by some
weeks, the budget up, v1 keeping the dates before. A few change requests wait: submitted to the PMO
(within tolerance) or proposed to the project's committee (beyond), each with the milestones it moves.
Rows are built in memory and bulk-inserted; the references (CR-<year>-NNNN) are numbered in the order the
requests were raised and each year's counter bumped once.
"""

from __future__ import annotations

from governance.models import ReferenceCounter
from planning.models import Baseline, ChangeRequest, PlanPolicy
from pmo.audit import forget_history
from pmo.demo import DemoContext


def has_data() -> bool:
    return Baseline.objects.exists() or ChangeRequest.objects.exists()


def reset() -> None:
    # A baseline protects the change request that took it; the milestone lines go with their request.
    forget_history(ChangeRequest)
    Baseline.objects.all().delete()
    ChangeRequest.objects.all().delete()
    PlanPolicy.objects.all().delete()
    ReferenceCounter.objects.filter(series__startswith="CR-").delete()


def seed(ctx: DemoContext) -> None:
    from planning.demo.seeder import Seeder

    Seeder(ctx).run()


def seed_history(ctx: DemoContext) -> None:
    from planning.demo.history import seed_history as seed_planning_history

    seed_planning_history(ctx)
