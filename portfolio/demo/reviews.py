"""The PMO's review of the latest statuses (`portfolio.models.assurance.StatusReview`): about a quarter
validated, a few challenged, one of them a status of the demo project manager's own (`pm1` sees it on *My
projects* and answers it with the next revision). Drawn from a stream of its own, so everything else the
seed makes stays as it was; the rest is left for the PMO's review queue."""

from __future__ import annotations

import random

from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Project, StatusReport, StatusReview

VALIDATED_SHARE = 0.25
CHALLENGES = [
    (StatusReview.Request.QUESTION, "Le vert est-il tenable avec deux jalons en retard ce mois-ci ?"),
    (
        StatusReview.Request.REVISION,
        "Le coût réel n'intègre pas la facture du lot 2 : merci de réviser le statut.",
    ),
    (StatusReview.Request.COMMENT, "Préciser l'aide attendue du comité dans la rubrique dédiée."),
]


def seed_reviews(ctx: DemoContext, rng: random.Random) -> None:
    reviewer = ctx.demo_users.get(Role.PMO)
    manager = ctx.demo_users.get(Role.PROJECT_MANAGER)
    reports = list(
        StatusReport.objects.filter(
            project__in=[p for p in ctx.projects if p.state == Project.State.ACTIVE and p.last_report_id],
            pk__in=[p.last_report_id for p in ctx.projects],
        )
        .select_related("project")
        .order_by("project__code")
    )
    if not reports:
        return
    # The demo project manager's own status is challenged first, so that their home page shows it.
    own = [r for r in reports if manager is not None and r.project.project_manager_id == manager.pk]
    challenged = own[:1] + rng.sample(
        [r for r in reports if r not in own], min(2, len(reports) - len(own[:1]))
    )
    rows = []
    for index, report in enumerate(challenged):
        request, message = CHALLENGES[index % len(CHALLENGES)]
        rows.append(
            _entry(report, reviewer, StatusReview.Verdict.CHALLENGED, request=request, message=message)
        )
    for report in reports:
        if report not in challenged and rng.random() < VALIDATED_SHARE:
            rows.append(_entry(report, reviewer, StatusReview.Verdict.VALIDATED))
    StatusReview.objects.bulk_create(rows)
    ctx.count(StatusReview, len(rows))


def _entry(
    report: StatusReport, reviewer, verdict: str, *, request: str = "", message: str = ""
) -> StatusReview:
    return StatusReview(
        report=report,
        project_id=report.project_id,
        period=report.period,
        verdict=verdict,
        request=request,
        message=message,
        author=reviewer,
    )
