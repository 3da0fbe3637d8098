"""Demo committees and their last three months (see pmo.demo for how seed_demo runs the seeders).

Five committees with members, scope, quorum and cadence; their past meetings, closed, with agenda,
attendance, minutes, decisions (one corrected by a later one), actions (some overdue, some done) and
decided stage gates; the main COPIL's next meeting, planned for next week with its agenda started; two
gate reviews waiting. Rows are built in memory and bulk-inserted: the cost hardly grows with the number
of projects.
"""

from __future__ import annotations

from governance.models import Action, Committee, Decision, GateReview, Meeting, ReferenceCounter
from pmo.audit import forget_history
from pmo.demo import DemoContext


def has_data() -> bool:
    return Committee.objects.exists()


def reset() -> None:
    # Actions point at decisions, decisions at gate reviews and meetings (all PROTECT), a correction at
    # the decision it supersedes: delete in that order. Their audit trail goes with the demo.
    forget_history(Committee, Meeting, Decision, Action)
    Action.objects.all().delete()
    Decision.objects.filter(supersedes__isnull=False).update(supersedes=None)
    Decision.objects.all().delete()
    GateReview.objects.all().delete()
    Meeting.objects.all().delete()
    Committee.objects.all().delete()
    ReferenceCounter.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    from governance.demo.records import Seeder

    Seeder(ctx).run()


def seed_history(ctx: DemoContext) -> None:
    from governance.demo.history import seed_history as seed_governance_history

    seed_governance_history(ctx)
