"""Demo exception reports: three projects of the first project manager (pm1) whose forecast broke their
tolerance, one at each step. A requested one (the PM has yet to write it; a confidential project when pm1
manages one, so that the confidentiality sweep meets it), a submitted one taken up on the agenda of its
committee's next meeting, and a decided one whose chosen option's recovery actions are governance actions
under way. Money in the project's currency, as Decimal; deterministic (the app's own random stream)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pmo import audit
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

    audit.forget_history(ExceptionReport)
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
    committees = {project.pk: default_committee(project) for project in picked}  # three or four projects
    # The committees' next meetings, as the governance demo planned them (never a second one here).
    upcoming = {}
    for meeting in Meeting.objects.filter(
        committee__in={c.pk for c in committees.values() if c is not None},
        state=Meeting.State.PLANNED,
        starts_at__gte=ctx.morning,
    ).order_by("-starts_at"):
        upcoming[meeting.committee_id] = meeting
    # The submitted report goes to a committee that meets next: one of the projects after the first
    # (the requested one) whose committee has a meeting planned, when there is one.
    meets = [p for p in picked[1:] if committees[p.pk] is not None and committees[p.pk].pk in upcoming]
    if meets:
        picked = [picked[0], meets[0], *[p for p in picked[1:] if p != meets[0]]]
    steps = ("requested", "submitted", "decided")
    ctx.created.append((ExceptionReport, len(steps)))
    for step, project in zip(steps, picked, strict=False):
        committee = committees[project.pk]
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
        # Created the day it was detected (the demo's clock, not the seeding's: same seed, same trail).
        report.created_at = audit.local(report.detected_on, 9)
        ExceptionReport.objects.filter(pk=report.pk).update(created_at=report.created_at)
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
            meeting = upcoming.get(committee.pk)  # its committee's next meeting, if one is planned
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
        # Recorded yesterday afternoon (the demo's clock, not the seeding's: its history is dated by it).
        decision.recorded_at = audit.local(today - timedelta(days=1), 16)
        Decision.objects.filter(pk=decision.pk).update(recorded_at=decision.recorded_at)
        if ExceptionReport.objects.filter(pk=report.pk, state=ExceptionReport.State.SUBMITTED).exists():
            exception_decide(report=report, option=chosen, decision=decision, by=pm)


def seed_history(ctx: DemoContext) -> None:
    from standards.models import ExceptionReport

    managers = dict(ExceptionReport.objects.values_list("pk", "project__project_manager_id"))
    ctx.history_records += audit.record_created(
        ExceptionReport,
        ExceptionReport.objects.order_by("pk"),
        when=lambda row: row["created_at"],
        who=lambda row: row["submitted_by_id"] or managers.get(row["id"]),
    )
