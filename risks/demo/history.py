"""The demo's audit trail for risks and issues (see pmo.demo, `seed_history`).

A risk's trail follows its assessments, which the demo already dates: recorded with its first
scores, then re-assessed by its owner at each later one, with the residual scores at the last; a
closed or occurred risk then changes state on the day it did. An issue has its created record.
"""

from __future__ import annotations

import copy
from collections import defaultdict

from django.utils.translation import gettext_noop

from pmo import audit
from pmo.demo import DemoContext
from risks.models import Issue, Risk, RiskAssessment
from risks.services import REASSESSED

SCORES = ("probability", "impact", "score", "residual_probability", "residual_impact", "residual_score")
ENDED = {
    Risk.State.CLOSED: gettext_noop("risk closed"),
    Risk.State.OCCURRED: gettext_noop("the risk occurred: it is followed as an issue"),
}


def seed_history(ctx: DemoContext) -> None:
    ctx.history_records += audit.record(Risk, _risks(ctx))
    ctx.history_records += audit.record_created(
        Issue,
        Issue.objects.order_by("pk"),
        when=lambda issue: ctx.dated(issue["created_at"]),
        who=lambda issue: issue["created_by_id"],
    )


def _risks(ctx: DemoContext):
    morning = ctx.morning
    assessments = defaultdict(list)
    for assessment in RiskAssessment.objects.order_by("assessed_at", "pk").values(
        "risk_id", "assessed_by_id", "assessed_at", *SCORES
    ):
        assessments[assessment["risk_id"]].append(assessment)
    for risk in Risk.objects.order_by("pk"):
        steps = assessments.get(risk.pk) or [
            {"assessed_at": risk.created_at, "assessed_by_id": risk.created_by_id}
        ]
        for number, step in enumerate(steps):
            version = copy.copy(risk)
            for name in SCORES:
                if name in step:
                    setattr(version, name, step[name])
            if not risk.is_open:
                version.state, version.closing_note, version.closed_on = Risk.State.OPEN, "", None
            who = risk.created_by_id if number == 0 else step["assessed_by_id"]
            yield (
                version,
                "+" if number == 0 else "~",
                step["assessed_at"],
                who,
                "" if number == 0 else REASSESSED,
            )
        if not risk.is_open:
            ended = audit.local(risk.closed_on, 17) if risk.closed_on else morning
            ended = max(min(ended, morning), steps[-1]["assessed_at"])
            yield risk, "~", ended, risk.owner_id, ENDED.get(risk.state, "")
