"""Demo exception reports: three projects of the first project manager (pm1) whose forecast broke their
tolerance, one at each step. A requested one (the PM has yet to write it; a confidential project when pm1
manages one, so that the confidentiality sweep meets it), a submitted one taken up on the agenda of its
committee's next meeting, and a decided one whose chosen option's recovery actions are governance actions
under way. Money in the project's currency, as Decimal; deterministic (the app's own random stream)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Project

OPTIONS = [
    ("Renégocier le contrat du fournisseur", Decimal("-0.08"), 21, True),
    ("Réduire le périmètre du lot 2", Decimal("-0.12"), 0, False),
    ("Accepter le dépassement et re-baseliner", Decimal("0"), 45, False),
]
ACTIONS = [
    ("Lancer la renégociation avec le fournisseur", 0),
    ("Présenter le périmètre réduit aux métiers", 1),
    ("Mettre à jour le plan et la prévision", None),
]


def _breach(ctx: DemoContext, project: Project, share: Decimal) -> dict:
    budget = project.budget or Decimal("1000000")
    return {
        "budget": budget,
        "forecast_cost": (budget * (1 + share)).quantize(Decimal("1")),
        "cost_tolerance_percent": Decimal(10),
        "cost_breached": True,
        "slip_days": project.slip_days,
        "schedule_tolerance_days": 28,
        "schedule_breached": bool(project.slip_days and project.slip_days > 28),
    }


def has_data() -> bool:
    from standards.models import ExceptionReport

    return ExceptionReport.objects.exists()


def reset() -> None:
    from standards.models import ExceptionReport, RecoveryAction

    RecoveryAction.objects.all().delete()
    ExceptionReport.objects.update(chosen_option=None, decision=None)
    ExceptionReport.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    from governance import services as governance
    from governance.models import Decision, Meeting, next_reference
    from standards.meetings_exception import exception_proposals
    from standards.models import ExceptionOption, ExceptionReport, RecoveryAction
    from standards.services_exception import default_committee, exception_decide

    if not ctx.project_managers:
        return
    pm = ctx.project_managers[0]
    candidates = [
        p
        for p in ctx.projects
        if p.project_manager_id == pm.pk and p.state == Project.State.ACTIVE and p.budget
    ]
    confidential = [p for p in candidates if p.confidential]
    open_ones = [p for p in candidates if not p.confidential]
    picked = (confidential[:1] or open_ones[:1]) + [p for p in open_ones if p not in confidential][:3]
    picked = list(dict.fromkeys(picked))
    if len(picked) < 3:
        return
    rng, today = ctx.rng, ctx.today
    year = today.year
    steps = ("requested", "submitted", "decided")
    ctx.created.append((ExceptionReport, len(steps)))
    for step, project in zip(steps, picked, strict=False):
        committee = default_committee(project)
        share = Decimal(rng.randint(14, 30)) / 100
        report = ExceptionReport.objects.create(
            reference=next_reference(f"EX-{year}"),
            project=project,
            state=ExceptionReport.State.REQUESTED,
            source=ExceptionReport.Source.STATUS,
            detected_on=today - timedelta(days=rng.randint(3, 20)),
            committee=committee,
            **_breach(ctx, project, share),
        )
        if step == "requested" or committee is None:
            continue
        report.cause = (
            "Hausse des tarifs du fournisseur principal et reprise de données plus longue que prévu."
        )
        report.consequences = (
            "Dépassement du budget au-delà de la tolérance et glissement de la mise en service."
        )
        report.recommendation = "Renégocier le contrat et décaler la mise en service de trois semaines."
        report.state = ExceptionReport.State.SUBMITTED
        report.submitted_by = pm
        report.submitted_on = report.detected_on + timedelta(days=2)
        report.save()
        options = [
            ExceptionOption.objects.create(
                report=report,
                order=n,
                title=title,
                cost_effect=(report.budget * effect).quantize(Decimal("1")),
                schedule_effect_days=days,
                recommended=recommended,
            )
            for n, (title, effect, days, recommended) in enumerate(OPTIONS)
        ]
        for title, position in ACTIONS:
            RecoveryAction.objects.create(
                report=report,
                option=options[position] if position is not None else None,
                title=title,
                owner=pm,
                due_date=today + timedelta(days=rng.randint(14, 45)),
            )
        if step == "submitted":
            meeting = (
                Meeting.objects.filter(
                    committee=committee, state=Meeting.State.PLANNED, starts_at__gte=timezone.now()
                )
                .order_by("starts_at")
                .first()
            )
            if meeting is None:  # the committee's next meeting, planned for the coming week
                meeting = governance.meeting_plan(
                    committee=committee,
                    starts_at=ctx.morning + timedelta(days=6, hours=6),
                    by=ctx.demo_users.get(Role.PMO),
                )
            if meeting is not None:
                for proposal in exception_proposals(meeting, today=today, items=[]):
                    if proposal.subject_key == f"exception-{report.pk}":
                        governance.agenda_accept(meeting=meeting, proposal=proposal)
            continue
        chosen = options[0]
        decision = governance.decision_record(
            committee=committee,
            title=f"{report.reference} : option retenue, {chosen.title}",
            by=ctx.demo_users.get(Role.PMO, pm),
            project=project,
            outcome=Decision.Outcome.APPROVED,
            decided_on=today - timedelta(days=1),
        )
        if ExceptionReport.objects.filter(pk=report.pk, state=ExceptionReport.State.SUBMITTED).exists():
            exception_decide(report=report, option=chosen, decision=decision, by=pm)
