"""Tolerances and exception reports: a forecast beyond its tolerance asks the PM for a report, the PM
writes it, the committee picks an option in the live meeting and the recovery actions are followed on My
actions; the project page shows the exception until it is closed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from governance import services
from governance.models import Action, Decision
from governance.selectors import agenda_proposals
from portfolio.models import Project
from standards.models import ExceptionReport, Methodology, Tolerance
from standards.tolerances import breaches
from tests.factories import (
    CommitteeFactory,
    ProjectFactory,
    StatusReportFactory,
    UserFactory,
    planned_meeting,
)
from tests.portfolio.test_status_form import status_data

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
BUDGET = Decimal("2000000")
COST_PERCENT = Decimal(10)
SCHEDULE_DAYS = 28
PANEL = 'id="exception-panel-title"'


@pytest.fixture
def standard(db):
    """The classic default methodology, with a band of +10 % cost and 4 weeks' slip for every size."""
    methodology = Methodology.objects.get(approach="classic", is_default=True)
    methodology.tolerances.all().delete()
    return Tolerance.objects.create(
        methodology=methodology, cost_percent=COST_PERCENT, schedule_days=SCHEDULE_DAYS
    )


@pytest.fixture
def committee(world):
    return CommitteeFactory(code="copil-dsi", scope_directorate=world.it, secretary=world.pmo)


@pytest.fixture
def project(world, standard, committee):
    project = ProjectFactory(
        code="DSI-042", name="Refonte CRM", project_manager=world.pm, directorate=world.it, budget=BUDGET
    )
    StatusReportFactory(project=project, weeks_ago=1, forecast_at_completion=BUDGET)
    project.refresh_from_db()
    return project


def over(percent) -> Decimal:
    """A forecast at completion `percent` % above the budget."""
    return (BUDGET * (100 + Decimal(percent)) / 100).quantize(Decimal("1"))


def submit_status(client, project, forecast: Decimal):
    project.refresh_from_db()
    return client.post(
        reverse("portfolio:status_update", args=[project.code]),
        status_data(based_on=project.last_report_id, forecast_at_completion=str(forecast)),
        follow=True,
        **EN,
    )


def test_a_status_beyond_the_cost_tolerance_asks_the_pm_for_one_exception_report(
    client, world, project, mailoutbox, django_capture_on_commit_callbacks
):
    world.pm.email = "pm@example.org"
    world.pm.save()
    client.force_login(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_status(client, project, over(COST_PERCENT + 2))

    report = ExceptionReport.objects.get(project=project)
    assert report.state == ExceptionReport.State.REQUESTED and report.source == "status"
    assert report.cost_breached and not report.schedule_breached
    assert report.forecast_cost == over(COST_PERCENT + 2) and report.budget == BUDGET
    assert report.reference == f"EX-{timezone.localdate().year}-0001"
    page = response.content.decode()
    assert "Your forecast breaks the tolerance: an exception report is requested." in page
    assert reverse("standards:exception_edit", args=[report.reference]) in page
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["pm@example.org"]
    assert report.reference in mailoutbox[0].body and project.code in mailoutbox[0].subject

    # A later status still beyond tolerance: the open report is not duplicated, nobody is emailed again.
    with django_capture_on_commit_callbacks(execute=True):
        submit_status(client, project, over(COST_PERCENT + 5))
    assert ExceptionReport.objects.filter(project=project).count() == 1
    assert len(mailoutbox) == 1


def test_the_email_is_in_the_managers_language(
    client, world, project, mailoutbox, django_capture_on_commit_callbacks
):
    world.pm.email, world.pm.language = "pm@example.org", "fr"
    world.pm.save()
    client.force_login(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        submit_status(client, project, over(30))
    assert mailoutbox[0].subject.startswith("Rapport d'exception demandé")


def test_a_status_within_tolerance_asks_for_nothing(client, world, project, mailoutbox):
    client.force_login(world.pm)
    response = submit_status(client, project, over(COST_PERCENT))  # exactly at the limit: within it
    assert response.status_code == 200
    assert not ExceptionReport.objects.exists()
    assert "breaks the tolerance" not in response.content.decode()
    assert not mailoutbox


def test_a_forecast_end_moved_beyond_the_schedule_tolerance_on_the_plan_asks_for_one(client, world, project):
    client.force_login(world.pmo)
    response = client.get(reverse("portfolio:project_edit", args=[project.code]))
    data = {k: v for k, v in response.context["form"].initial.items() if v is not None}
    data = {**{k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}}
    data["forecast_end"] = (project.baseline_end + timedelta(days=SCHEDULE_DAYS + 14)).isoformat()
    data["version"] = project.version
    for name in ("baseline_start", "baseline_end", "forecast_start"):
        data[name] = getattr(project, name).isoformat()
    data.pop("team_members", None)
    response = client.post(reverse("portfolio:project_edit", args=[project.code]), data, follow=True, **EN)
    assert response.status_code == 200, response.context["form"].errors if response.context else ""

    report = ExceptionReport.objects.get(project=project)
    assert report.source == "plan" and report.schedule_breached and not report.cost_breached
    assert report.slip_days == SCHEDULE_DAYS + 14 and report.schedule_tolerance_days == SCHEDULE_DAYS


def test_breaches_read_a_fixed_number_of_queries_for_any_number_of_projects(
    world, standard, django_assert_num_queries
):
    projects = []
    for n in range(6):
        project = ProjectFactory(directorate=world.it, budget=BUDGET)
        StatusReportFactory(project=project, forecast_at_completion=over(5 * n))
        projects.append(project)
    today = timezone.localdate()
    # methodologies chosen, defaults, bands (3); the latest statuses (1); no agile project: no release plan
    with django_assert_num_queries(4):
        result = breaches(projects[:2], on=today)
    with django_assert_num_queries(4):
        result = breaches(projects, on=today)
    assert [result[p.pk].cost_breached for p in projects] == [(5 * n) > COST_PERCENT for n in range(6)]


# --- The PM writes it -------------------------------------------------------------------------------------


def requested(project) -> ExceptionReport:
    from standards.services_exception import exception_detect

    StatusReportFactory(project=project, forecast_at_completion=over(25))
    return exception_detect(project=project, source="status")


def report_data(committee, owner, *, second_recommended=False, **more) -> dict:
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "cause": "Le fournisseur a relevé ses tarifs.",
        "consequences": "Dépassement de 25 %.",
        "recommendation": "Renégocier le contrat.",
        "committee": committee.pk,
        "option-TOTAL_FORMS": "3", "option-INITIAL_FORMS": "0",
        "option-0-title": "Renégocier", "option-0-cost_effect": "-300000",
        "option-0-schedule_effect_days": "20", "option-0-recommended": "on",
        "option-1-title": "Réduire le périmètre", "option-1-cost_effect": "-450000",
        "option-1-schedule_effect_days": "0",
        "option-2-title": "",
        "action-TOTAL_FORMS": "4", "action-INITIAL_FORMS": "0",
        "action-0-title": "Lancer la renégociation", "action-0-owner": owner.pk, "action-0-due_date": due,
        "action-0-option": "0",
        "action-1-title": "Retirer le module B", "action-1-owner": owner.pk, "action-1-due_date": due,
        "action-1-option": "1",
        "action-2-title": "Informer les métiers", "action-2-owner": owner.pk, "action-2-due_date": due,
        "action-2-option": "",
        "action-3-title": "",
    }  # fmt: skip
    if second_recommended:
        data["option-1-recommended"] = "on"
    data.update(more)
    return data


def test_the_pm_writes_the_report_with_two_options_and_submits_it(client, world, project, committee):
    report = requested(project)
    url = reverse("standards:exception_edit", args=[report.reference])
    client.force_login(world.pm)
    page = client.get(url, **EN)
    assert page.status_code == 200
    assert page.context["form"]["committee"].value() == committee.pk  # the project's steering committee

    # Two options recommended: refused, nothing typed is lost.
    refused = client.post(
        url, {**report_data(committee, world.pm, second_recommended=True), "submit": ""}, **EN
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Recommend exactly one option." in html
    assert "Réduire le périmètre" in html and "Lancer la renégociation" in html and "Le fournisseur" in html

    draft = client.post(url, {**report_data(committee, world.pm), "draft": ""}, **EN)
    assert draft.status_code == 302
    report.refresh_from_db()
    assert report.state == ExceptionReport.State.REQUESTED
    assert [o.title for o in report.options.all()] == ["Renégocier", "Réduire le périmètre"]

    submitted = client.post(url, {**report_data(committee, world.pm), "submit": ""}, **EN)
    assert submitted.status_code == 302
    report.refresh_from_db()
    assert report.state == ExceptionReport.State.SUBMITTED and report.submitted_by == world.pm
    options = list(report.options.all())
    assert [o.recommended for o in options] == [True, False]
    assert {(a.title, a.option.title if a.option else None) for a in report.recovery_actions.all()} == {
        ("Lancer la renégociation", "Renégocier"),
        ("Retirer le module B", "Réduire le périmètre"),
        ("Informer les métiers", None),
    }


def written(project, committee, owner) -> ExceptionReport:
    from standards.services_exception import exception_save

    report = requested(project)
    due = timezone.localdate() + timedelta(days=30)
    return exception_save(
        report=report,
        fields={
            "cause": "Tarifs",
            "consequences": "",
            "recommendation": "Renégocier",
            "committee": committee,
        },
        options=[
            {
                "title": "Renégocier",
                "description": "",
                "cost_effect": Decimal(-300000),
                "schedule_effect_days": 20,
                "recommended": True,
            },
            {
                "title": "Réduire le périmètre",
                "description": "",
                "cost_effect": Decimal(-450000),
                "schedule_effect_days": 0,
                "recommended": False,
            },
        ],
        actions=[
            {"title": "Lancer la renégociation", "owner": owner, "due_date": due, "option_position": 0},
            {"title": "Retirer le module B", "owner": owner, "due_date": due, "option_position": 1},
            {"title": "Informer les métiers", "owner": owner, "due_date": due, "option_position": None},
        ],
        submit=True,
        by=owner,
    )


def test_a_submitted_report_is_proposed_on_its_committees_next_meeting(world, project, committee):
    report = written(project, committee, world.pm)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    with translation.override("en"):
        proposals = {p.subject_key: p for p in agenda_proposals(meeting, today=timezone.localdate())}
    proposal = proposals[f"exception-{report.pk}"]
    assert proposal.title == f"Exception report {report.reference}: DSI-042 Refonte CRM"
    assert "forecast cost 500,000 MAD (+25.0 %) above budget" in proposal.reason
    assert proposal.presenter == world.pm

    # Taken up: not proposed again to this meeting nor to a later one while it waits.
    services.agenda_accept(meeting=meeting, proposal=proposal)
    later = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=30))
    for each in (meeting, later):
        assert f"exception-{report.pk}" not in {
            p.subject_key for p in agenda_proposals(each, today=timezone.localdate())
        }


def test_the_committee_picks_an_option_in_the_live_meeting_and_its_recovery_actions_follow(
    client, world, project, committee
):
    owner = UserFactory(username="owner")
    report = written(project, committee, owner)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    proposal = {p.subject_key: p for p in agenda_proposals(meeting, today=timezone.localdate())}[
        f"exception-{report.pk}"
    ]
    item = services.agenda_accept(meeting=meeting, proposal=proposal)
    services.meeting_start(meeting=meeting, by=world.pmo)
    services.meeting_show_item(meeting=meeting, item=item)
    client.force_login(world.pmo)

    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "Réduire le périmètre" in live and "-450,000" in live and "Recommended" in live
    assert reverse("standards:exception_decide", args=[report.reference]) in live

    scope_cut = report.options.get(title="Réduire le périmètre")
    response = client.post(
        reverse("standards:exception_decide", args=[report.reference]),
        {"item": item.pk, "option": scope_cut.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204

    report.refresh_from_db()
    assert report.state == ExceptionReport.State.DECIDED and report.chosen_option == scope_cut
    decision = report.decision
    assert decision.meeting == meeting and decision.agenda_item == item and decision.project == project
    actions = Action.objects.filter(decision=decision).order_by("title")
    assert [(a.title, a.owner, a.project, a.meeting) for a in actions] == [
        ("Informer les métiers", owner, project, meeting),
        ("Retirer le module B", owner, project, meeting),
    ]
    assert report.recovery_actions.get(title="Retirer le module B").action in actions

    client.force_login(owner)
    mine = client.get(reverse("governance:my_actions"), **EN).content.decode()
    assert "Retirer le module B" in mine and "Informer les métiers" in mine
    assert "Lancer la renégociation" not in mine


def test_approving_the_item_with_the_ordinary_decision_form_picks_the_recommended_option(
    world, project, committee
):
    report = written(project, committee, world.pm)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    proposal = {p.subject_key: p for p in agenda_proposals(meeting, today=timezone.localdate())}[
        f"exception-{report.pk}"
    ]
    item = services.agenda_accept(meeting=meeting, proposal=proposal)
    services.meeting_start(meeting=meeting, by=world.pmo)
    services.decision_record(
        committee=committee, meeting=meeting, agenda_item=item, by=world.pmo, title="Reporté",
        outcome=Decision.Outcome.DEFERRED,
    )  # fmt: skip
    report.refresh_from_db()
    assert report.state == ExceptionReport.State.SUBMITTED
    services.decision_record(
        committee=committee, meeting=meeting, agenda_item=item, by=world.pmo, title="Validé"
    )
    report.refresh_from_db()
    assert report.state == ExceptionReport.State.DECIDED and report.chosen_option.recommended


def test_the_project_page_shows_the_open_exception_until_the_pmo_closes_it(client, world, project, committee):
    report = requested(project)
    client.force_login(world.pm)
    page = client.get(project.get_absolute_url(), **EN).content.decode()
    assert PANEL in page and report.reference in page and "Write it" in page
    assert reverse("standards:exception_edit", args=[report.reference]) in page

    client.force_login(world.executive)
    page = client.get(project.get_absolute_url(), **EN).content.decode()
    assert report.reference in page and "Write it" not in page

    client.force_login(world.pmo)
    withdrawn = client.post(
        reverse("standards:exception_withdraw", args=[report.reference]), {"note": "Revenu"}
    )
    assert withdrawn.status_code == 302
    assert PANEL not in client.get(project.get_absolute_url()).content.decode()


def test_the_pmo_closes_a_decided_exception(client, world, project, committee):
    report = written(project, committee, world.pm)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    proposal = {p.subject_key: p for p in agenda_proposals(meeting, today=timezone.localdate())}[
        f"exception-{report.pk}"
    ]
    item = services.agenda_accept(meeting=meeting, proposal=proposal)
    services.meeting_start(meeting=meeting, by=world.pmo)
    services.decision_record(
        committee=committee, meeting=meeting, agenda_item=item, by=world.pmo, title="Validé"
    )
    client.force_login(world.pm)
    assert (
        client.post(reverse("standards:exception_close", args=[report.reference]), {"note": "x"}).status_code
        == 403
    )
    client.force_login(world.pmo)
    client.post(reverse("standards:exception_close", args=[report.reference]), {"note": "Rebaseliné"})
    report.refresh_from_db()
    assert report.state == ExceptionReport.State.CLOSED and report.closing_note == "Rebaseliné"
    assert PANEL not in client.get(project.get_absolute_url()).content.decode()


# --- Confidentiality, lists and counts --------------------------------------------------------------------


def test_a_confidential_projects_report_does_not_exist_for_an_outsider_nor_on_the_agenda(
    client, world, standard, committee
):
    secret = ProjectFactory(
        code="DSI-777", name="Projet Secret", confidential=True, project_manager=world.pm,
        directorate=world.it, budget=BUDGET,
    )  # fmt: skip
    report = written(secret, committee, world.pm)
    for user in (world.other_pm, world.member):
        client.force_login(user)
        assert client.get(reverse("standards:exception_detail", args=[report.reference])).status_code == 404
    client.force_login(world.pmo)
    assert client.get(reverse("standards:exception_detail", args=[report.reference])).status_code == 200

    # On the agenda of a committee that covers it through its directorate only: its member may not see it.
    committee.memberships.create(user=world.member)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    proposal = {p.subject_key: p for p in agenda_proposals(meeting, today=timezone.localdate())}[
        f"exception-{report.pk}"
    ]
    services.agenda_accept(meeting=meeting, proposal=proposal)
    client.force_login(world.member)
    page = client.get(reverse("governance:meeting_detail", args=[meeting.pk]), **EN).content.decode()
    assert "DSI-777" not in page and "Projet Secret" not in page and report.reference not in page
    assert "Confidential item" in page


def test_the_list_shows_each_reader_what_they_may_see_in_a_fixed_number_of_queries(
    client, world, standard, committee, django_assert_num_queries
):
    mine = ProjectFactory(project_manager=world.pm, directorate=world.it, budget=BUDGET)
    others = [ProjectFactory(directorate=world.finance, budget=BUDGET) for _ in range(4)]
    for each in [mine, *others]:
        requested(each)
    client.force_login(world.pm)
    page = client.get(reverse("standards:exception_list"), **EN)
    assert [r.project for r in page.context["reports"]] == [mine]
    client.force_login(world.member)
    assert client.get(reverse("standards:exception_list")).status_code == 403

    client.force_login(world.pmo)
    # session, user, groups; the directorates of the filter; the reports with their project, directorate,
    # manager and committee.
    with django_assert_num_queries(5):
        page = client.get(reverse("standards:exception_list"), **EN)
    assert len(page.context["reports"]) == 5
    for _ in range(3):
        requested(ProjectFactory(directorate=world.finance, budget=BUDGET))
    with django_assert_num_queries(5):
        page = client.get(reverse("standards:exception_list"), **EN)
    assert len(page.context["reports"]) == 8
    csv = client.get(reverse("standards:exception_export"), **EN)
    assert csv.status_code == 200 and mine.code in csv.content.decode()


def test_the_project_panel_costs_one_query_without_an_exception_and_two_with_one(
    world, project, django_assert_num_queries
):
    from standards.exception_integration import project_panel

    today = timezone.localdate()
    world.pm.roles  # noqa: B018 (the page has read the roles already)
    with django_assert_num_queries(1):
        assert project_panel(project=project, user=world.pm, today=today) is None
    requested(project)
    project = Project.objects.get(pk=project.pk)
    with django_assert_num_queries(2):
        panel = project_panel(project=project, user=world.pm, today=today)
    assert panel["may_write"]


@pytest.mark.parametrize("kind", ["monthly", "quarterly"])
def test_the_monthly_and_quarterly_reports_list_the_open_exceptions(world, project, committee, kind):
    from reporting.models import Report
    from reporting.pdf.content import monthly, quarterly
    from reporting.pdf.render import html_of
    from tests.reporting.test_report_content import report_of

    report = requested(project)
    closed = requested(ProjectFactory(code="DSI-043", directorate=world.it, budget=BUDGET))
    ExceptionReport.objects.filter(pk=closed.pk).update(
        state=ExceptionReport.State.WITHDRAWN, closed_on=timezone.localdate() - timedelta(days=1)
    )
    content = {"monthly": monthly, "quarterly": quarterly}[kind]
    with translation.override("en"):
        html = html_of(
            f"reporting/pdf/{kind}.html", content.context(report_of(Report.Kind(kind), "en")), language="en"
        )
    section = html.split("Exceptions: projects beyond their tolerance")[1]
    assert report.reference in section and "DSI-042" in section
    assert closed.reference not in html
