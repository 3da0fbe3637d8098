"""One object of every kind the application's URLs name, around the `world` of users per role.

The project manager `pm` manages an open project and a confidential one, both in the DSI directorate
and under the committee `member` sits on; `other_member` sits on another committee. Each kind of
object (meeting, agenda item, decision, action, gate review, risk, issue, change request, KPI,
report) exists once for
the open project and, where its rule depends on the project, once for the confidential one.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from governance import services as governance
from governance.models import AgendaItem, Membership
from imports.models import ColumnMapping
from imports.uploads import store_upload
from planning.services import change_request_create
from pmo.roles import Role
from portfolio.models import ExchangeRate, Milestone, Phase, ProjectDependency
from reporting.models import Kpi, Report, SlideTemplate
from reporting.periods import Period
from reporting.reports import report_request
from risks.models import Issue
from risks.services import issue_create
from tests.factories import (
    CommitteeFactory,
    PortfolioFactory,
    ProjectFactory,
    StatusReportFactory,
    UserFactory,
    make_risk,
)


def build(world) -> SimpleNamespace:
    today = timezone.localdate()
    design = Phase.objects.order_by("order")[1]
    portfolio = PortfolioFactory(code="PF-DIG", directorate=world.it)
    project = ProjectFactory(
        code="DSI-001", project_manager=world.pm, directorate=world.it, portfolio=portfolio, phase=design
    )
    secret = ProjectFactory(
        code="DSI-007",
        project_manager=world.pm,
        directorate=world.it,
        portfolio=portfolio,
        phase=design,
        confidential=True,
    )
    for each in (project, secret):
        StatusReportFactory(project=each, percent_complete=Decimal(30), submitted_by=world.pm)

    committee = CommitteeFactory(
        code="copil-dig", scope_portfolio=portfolio, secretary=world.pmo, chair=UserFactory(), members=[]
    )
    Membership.objects.create(committee=committee, user=world.member, role=Membership.Role.VOTING)
    world.other_member = UserFactory(
        username="other_member", roles=[Role.COMMITTEE_MEMBER], directorate=world.finance
    )
    other_committee = CommitteeFactory(code="copil-fin", scope_directorate=world.finance)
    Membership.objects.create(committee=other_committee, user=world.other_member)

    meeting = governance.meeting_plan(
        committee=committee, starts_at=timezone.now() + timedelta(days=2), by=world.pmo
    )
    item = governance.agenda_add(
        meeting=meeting, title="Revue DSI-001", kind=AgendaItem.Kind.PROJECT_REVIEW, project=project
    )
    decision = governance.decision_record(
        committee=committee,
        meeting=meeting,
        agenda_item=item,
        title="Lot 2 validé",
        project=project,
        by=world.pmo,
    )
    secret_decision = governance.decision_record(
        committee=committee, meeting=meeting, title="Décision confidentielle", project=secret, by=world.pmo
    )
    action = governance.action_create(
        title="Chiffrer le lot 3",
        owner=world.pm,
        due_date=today + timedelta(days=14),
        by=world.pmo,
        meeting=meeting,
        decision=decision,
        project=project,
    )
    member_action = governance.action_create(
        title="Relire le cahier des charges",
        owner=world.member,
        due_date=today + timedelta(days=7),
        by=world.pmo,
        meeting=meeting,
    )
    secret_action = governance.action_create(
        title="Action confidentielle",
        owner=world.pm,
        due_date=today + timedelta(days=7),
        by=world.pmo,
        project=secret,
    )
    gate = governance.gate_review_request(project=project, committee=committee, by=world.pm)

    risk = make_risk(project=project, by=world.pm, title="Retard du fournisseur")
    secret_risk = make_risk(project=secret, by=world.pm, title="Risque confidentiel")
    issue = issue_create(
        issue=Issue(project=project, owner=world.pm, title="Serveur indisponible"), by=world.pm
    )
    secret_issue = issue_create(
        issue=Issue(project=secret, owner=world.pm, title="Incident confidentiel"), by=world.pm
    )
    # Draft change requests, raised by the manager (planning): their project has no baseline yet.
    change_request = change_request_create(
        project=project, by=world.pm, title="Décaler le lot 2", reason="Retard"
    )
    secret_change_request = change_request_create(
        project=secret, by=world.pm, title="Changement confidentiel", reason="Retard"
    )
    rate = ExchangeRate.objects.create(currency="EUR", valid_from=today - timedelta(days=30), rate="10.85")
    kpi = Kpi.objects.create(
        code="red-share",
        name="Projets rouges",
        name_en="Red projects",
        source=Kpi.Source.COMPUTED,
        function="rag_red_share",
        unit=Kpi.Unit.PERCENT,
    )
    last_week = Period.containing(Report.PERIODIC[Report.Kind.WEEKLY], today).previous()
    report, _ = report_request(
        kind=Report.Kind.WEEKLY, language="fr", by=world.pmo, period=last_week, queue=False
    )
    report.file.save("weekly.pdf", ContentFile(b"%PDF-1.4 planted"), save=False)
    report.slides.save("weekly.pptx", ContentFile(b"PK planted"), save=False)
    report.state, report.pages, report.size = Report.State.DONE, 1, report.file.size
    report.save()
    slide_template = SlideTemplate(name="Charte", uploaded_by=world.pmo)
    slide_template.file.save("charte.pptx", ContentFile(b"PK planted"))
    # An import in progress, the PMO's own (an import is its author's), and a saved mapping.
    upload = store_upload(
        data=b"Code,Name,Directorate\nDSI-101,Portail RH,DSI\n",
        kind="csv",
        original_name="portefeuille.csv",
        user=world.pmo,
        start_from=None,
    )
    mapping = ColumnMapping.objects.create(
        name="Portefeuille DSI", definition=upload.mapping, created_by=world.pmo
    )
    # A dependency of the open project on another directorate's project, whose manager (none of the roles
    # asked) accepts it; and one of the confidential project on the open one (`pm` manages both ends).
    provider = ProjectFactory(code="DF-001", directorate=world.finance)
    provider_milestone = Milestone.objects.create(
        project=provider, name="Socle livré", baseline_date=today, forecast_date=today
    )
    dependency = ProjectDependency.objects.create(
        from_project=project, to_project=provider, provider_milestone=provider_milestone, needed_by=today
    )
    open_milestone = Milestone.objects.create(
        project=project, name="Lot 1", baseline_date=today, forecast_date=today
    )
    secret_dependency = ProjectDependency.objects.create(
        from_project=secret, to_project=project, provider_milestone=open_milestone, needed_by=today
    )
    scenario = _scenario(world, project, secret, today)
    lessons = _lessons(world, project, secret)
    return SimpleNamespace(
        **_exceptions(project, secret, today),
        g0_request=_g0_request(world),
        **lessons,
        scenario=scenario,
        dependency=dependency,
        secret_dependency=secret_dependency,
        rate=rate,
        project=project,
        secret=secret,
        committee=committee,
        other_committee=other_committee,
        meeting=meeting,
        item=item,
        attendance=meeting.attendances.get(user=world.member),
        decision=decision,
        secret_decision=secret_decision,
        action=action,
        member_action=member_action,
        secret_action=secret_action,
        gate=gate,
        risk=risk,
        secret_risk=secret_risk,
        issue=issue,
        secret_issue=secret_issue,
        change_request=change_request,
        secret_change_request=secret_change_request,
        kpi=kpi,
        report=report,
        slide_template=slide_template,
        upload=upload,
        mapping=mapping,
    )


def _exceptions(project, secret, today) -> dict:
    """An exception report requested from the manager of each project (standards)."""
    from governance.models import next_reference
    from standards.models import ExceptionReport

    return {
        name: ExceptionReport.objects.create(
            reference=next_reference(f"EX-{today.year}"),
            project=each,
            detected_on=today,
            cost_breached=True,
            budget=each.budget,
            forecast_cost=each.budget * 2,
            cost_tolerance_percent=10,
        )
        for name, each in (("exception", project), ("secret_exception", secret))
    }


def _g0_request(world):
    """A qualified request of the DSI, by the project manager, sponsored by the executive: the member of
    the portfolio committee reads it, the other committee's member does not (demand)."""
    from demand.models import ProjectRequest
    from governance.models import Committee

    CommitteeFactory(code="cp-g0", kind=Committee.Kind.PORTFOLIO, members=[world.member])
    return ProjectRequest.objects.create(
        code="DEM-2026-0001", title="Signature électronique", objectives="Signer en ligne.",
        directorate=world.it, requested_by=world.pm, sponsor=world.executive,
        state=ProjectRequest.State.QUALIFIED,
    )  # fmt: skip


def _scenario(world, project, secret, today):
    """A what-if scenario moving the open project and pausing the confidential one (resources)."""
    from pmo.months import add_months, month_of
    from portfolio.adjustments import Adjustment
    from resources.scenarios import scenario_create

    return scenario_create(
        name="Scénario de charge",
        from_month=add_months(month_of(today), 1),
        changes={project.pk: Adjustment(shift_months=2), secret.pk: Adjustment(pause=True)},
        by=world.pmo,
    )


def _lessons(world, project, secret) -> dict:
    """A lesson the pm recorded on each project, and each project's closure report (benefits)."""
    from benefits.models import ClosureReport, Lesson

    made = {}
    for name, each in (("lesson", project), ("secret_lesson", secret)):
        made[name] = Lesson.objects.create(
            project=each, title="Leçon", what_happened="Arrivé", recommendation="À faire",
            category=Lesson.Category.PLANNING, phase=each.phase, recorded_by=world.pm,
        )  # fmt: skip
        ClosureReport.objects.create(
            project=each, objectives_met="met", objectives_comment="Atteints", currency=each.currency
        )
    return made
