"""Demo risks and issues (see pmo.demo for how seed_demo runs the seeders).

The risk categories and the default policy; two to six risks per live project across every level, each
with one to four assessments over the past months (score over time and exposure have a history), some
with a residual score, some with mitigation actions, some overdue for review, some closed with a note,
some occurred as issues; a few transverse risks; escalations to committees, a few decided in closed
meetings with the decision linked, a few awaiting the main COPIL's next meeting; a few standalone issues.
Risks and assessments are bulk-inserted; the services record the few that must go through them.
"""

from __future__ import annotations

from governance.models import ReferenceCounter
from pmo.audit import forget_history
from pmo.demo import DemoContext
from risks.models import Escalation, Issue, Risk, RiskAssessment, RiskCategory, RiskPolicy


def has_data() -> bool:
    return Risk.objects.exists() or RiskCategory.objects.exists()


def reset() -> None:
    # Issues protect their risks, risks their categories; escalations, assessments and the mitigation
    # links go with their risk (the actions and decisions themselves are governance's to delete). Their
    # audit trail goes with the demo.
    forget_history(Risk, Issue)
    Escalation.objects.all().delete()
    Issue.objects.all().delete()
    RiskAssessment.objects.all().delete()
    Risk.objects.all().delete()
    RiskCategory.objects.all().delete()
    RiskPolicy.objects.all().delete()
    ReferenceCounter.objects.filter(series__in=["RSK", "ISS"]).delete()


def seed(ctx: DemoContext) -> None:
    from risks.demo.seeder import Seeder

    Seeder(ctx).run()


def seed_history(ctx: DemoContext) -> None:
    from risks.demo.history import seed_history as seed_risk_history

    seed_risk_history(ctx)
