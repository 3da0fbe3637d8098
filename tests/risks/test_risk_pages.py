import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.models import Action
from risks.models import Escalation, Issue, Risk, RiskAssessment
from risks.services import risk_escalate
from tests.factories import CommitteeFactory, ProjectFactory, make_risk

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def project(world):
    return ProjectFactory(code="PRJ-0100", project_manager=world.pm, directorate=world.it)


@pytest.fixture
def risk(world, project):
    return make_risk(project=project, probability=3, impact=4, by=world.pm, title="Retard du fournisseur")


def url(name: str, risk: Risk) -> str:
    return reverse(f"risks:{name}", args=[risk.reference])


def risk_fields(**changes) -> dict:
    fields = {
        "kind": "threat",
        "title": "Indisponibilité de l'équipe d'intégration",
        "description": "L'équipe est partagée avec un autre programme.",
        "cause": "Deux programmes dans le même trimestre",
        "effect": "Recette décalée d'un mois",
        "owner": "",
        "probability": "4",
        "impact": "5",
        "proximity": "",
        "response": "reduce",
        "mitigation_plan": "Réserver l'équipe dès maintenant.",
        "residual_probability": "",
        "residual_impact": "",
        "residual_reason": "",
        "next_review_on": (date.today() + timedelta(days=14)).isoformat(),
    }
    fields.update(changes)
    return fields


def test_a_project_manager_records_a_risk_and_sees_score_20_and_critical(client, world, project):
    client.force_login(world.pm)
    create = reverse("risks:risk_create") + f"?project={project.code}"

    form_page = client.get(create, **EN)
    assert form_page.status_code == 200
    assert "autofocus" in form_page.content.decode()
    response = client.post(create, risk_fields(owner=world.pm.pk), follow=True, **EN)

    risk = Risk.objects.get()
    assert risk.project == project and risk.created_by == world.pm
    assert response.redirect_chain[-1][0] == risk.get_absolute_url()
    html = response.content.decode()
    assert f"Risk {risk.reference} recorded: score 20, critical." in html
    assert (
        '<span class="risk-level risk-level-critical"><span class="risk-score">20</span> Critical</span>'
        in html
    )
    assert risk.assessments.count() == 1


def test_re_scoring_adds_a_line_to_the_history(client, world, risk):
    client.force_login(world.pm)

    response = client.post(
        url("risk_reassess", risk),
        {
            "probability": "2",
            "impact": "4",
            "note": "Second fournisseur qualifié",
            "next_review_on": "2031-01-15",
        },
        follow=True,
        **EN,
    )

    assert list(risk.assessments.order_by("assessed_at", "pk").values_list("score", flat=True)) == [12, 8]
    risk.refresh_from_db()
    assert risk.score == 8 and risk.next_review_on == date(2031, 1, 15)
    html = response.content.decode()
    assert "re-assessed: score 8, medium." in html
    assert "Second fournisseur qualifié" in html
    assert "First assessment" in html
    assert response.context["score_chart"]["data"][0]["y"] == [12, 8]


def test_the_reassess_form_proposes_the_next_review_from_the_policy(client, world, risk):
    client.force_login(world.pm)
    form = client.get(risk.get_absolute_url()).context["reassess_form"]
    assert form.initial["next_review_on"] == timezone.localdate() + timedelta(days=30)


@pytest.mark.parametrize("field", ["probability", "impact"])
def test_a_score_outside_1_to_5_posted_by_hand_is_refused_with_a_clear_message(client, world, project, field):
    client.force_login(world.pm)
    create = reverse("risks:risk_create") + f"?project={project.code}"

    response = client.post(create, risk_fields(owner=world.pm.pk, **{field: "6"}), **EN)

    assert response.status_code == 200
    assert f"{field.capitalize()} must be between 1 and 5." in response.content.decode()
    assert not Risk.objects.exists() and not RiskAssessment.objects.exists()


def test_a_reassessment_outside_1_to_5_is_refused_and_nothing_is_saved(client, world, risk):
    client.force_login(world.pm)

    response = client.post(url("risk_reassess", risk), {"probability": "0", "impact": "4"}, **EN)

    assert "Probability must be between 1 and 5." in response.content.decode()
    assert risk.assessments.count() == 1
    assert response.context["bound"] == "reassess"


def test_a_residual_above_the_inherent_score_needs_a_reason(client, world, risk):
    client.force_login(world.pm)
    fields = {
        "probability": "2", "impact": "2", "residual_probability": "3", "residual_impact": "3",
        "next_review_on": "2031-01-15",
    }  # fmt: skip

    refused = client.post(url("risk_reassess", risk), fields, **EN)

    assert "The residual score (9) is above the inherent score (4): say why, or lower it." in (
        refused.content.decode()
    )
    risk.refresh_from_db()
    assert (risk.score, risk.residual_score) == (12, None)
    assert risk.assessments.count() == 1

    accepted = client.post(url("risk_reassess", risk), {**fields, "residual_reason": "Contrat plus risqué"})
    assert accepted.status_code == 302
    risk.refresh_from_db()
    assert (risk.score, risk.residual_score) == (4, 9)


def test_recording_a_risk_with_a_residual_above_the_inherent_without_reason_is_refused(
    client, world, project
):
    client.force_login(world.pm)
    create = reverse("risks:risk_create") + f"?project={project.code}"
    fields = risk_fields(owner=world.pm.pk, probability="1", impact="2", residual_probability="2",
                         residual_impact="2")  # fmt: skip

    response = client.post(create, fields, **EN)

    assert "say why, or lower it" in response.content.decode()
    assert not Risk.objects.exists()


def test_closing_without_a_note_is_refused_and_the_risk_stays_open(client, world, risk):
    client.force_login(world.pm)

    response = client.post(url("risk_close", risk), {"closing_note": "   "}, **EN)

    assert "Say why the risk is closed: the closing note is required." in response.content.decode()
    risk.refresh_from_db()
    assert risk.state == Risk.State.OPEN


def test_closing_with_a_note_then_reopening(client, world, risk):
    client.force_login(world.pm)

    client.post(url("risk_close", risk), {"closing_note": "Fournisseur livré"})
    risk.refresh_from_db()
    assert risk.state == Risk.State.CLOSED and risk.closing_note == "Fournisseur livré"
    assert "Fournisseur livré" in client.get(risk.get_absolute_url(), **EN).content.decode()

    client.post(url("risk_reopen", risk))
    risk.refresh_from_db()
    assert risk.state == Risk.State.OPEN


def test_state_changes_are_post_only(client, world, risk):
    client.force_login(world.pm)
    for name in (
        "risk_reassess",
        "risk_close",
        "risk_reopen",
        "risk_occurred",
        "risk_escalate",
        "risk_action_add",
    ):
        assert client.get(url(name, risk)).status_code == 405


def test_marking_a_risk_occurred_creates_the_linked_issue_both_ways(client, world, risk):
    client.force_login(world.pm)
    form = client.get(risk.get_absolute_url()).context["occurred_form"]
    assert form.initial["title"] == risk.title and form.initial["severity"] == "high"

    response = client.post(
        url("risk_occurred", risk),
        {"title": "Fournisseur en retard", "severity": "critical", "owner": world.pm.pk, "due_date": ""},
        follow=True,
        **EN,
    )

    issue = Issue.objects.get()
    risk.refresh_from_db()
    assert issue.risk == risk and risk.issue == issue and risk.state == Risk.State.OCCURRED
    assert response.redirect_chain[-1][0] == issue.get_absolute_url()
    assert f"Risk {risk.reference} occurred: it is now issue {issue.reference}." in response.content.decode()
    assert risk.get_absolute_url() in response.content.decode()
    risk_page = client.get(risk.get_absolute_url(), **EN).content.decode()
    assert issue.get_absolute_url() in risk_page and "This risk occurred" in risk_page


def test_an_escalation_is_recorded_and_shown_waiting_for_an_agenda(client, world, risk, project):
    in_scope = CommitteeFactory(name="COPIL Digital", scope_directorate=world.it)
    elsewhere = CommitteeFactory(name="Comité achats")
    client.force_login(world.pmo)
    choices = list(client.get(risk.get_absolute_url()).context["escalate_form"].fields["committee"].queryset)
    assert choices == [in_scope, elsewhere]  # the committee whose scope holds the project first

    response = client.post(
        url("risk_escalate", risk),
        {"committee": in_scope.pk, "reason": "Arbitrer le budget"},
        follow=True,
        **EN,
    )

    escalation = Escalation.objects.get()
    assert (escalation.committee, escalation.escalated_by) == (in_scope, world.pmo)
    html = response.content.decode()
    assert "escalated to COPIL Digital: it is proposed on its next agenda." in html
    assert "Waiting for an agenda" in html and "Arbitrer le budget" in html


def test_an_escalation_without_reason_is_refused(client, world, risk):
    committee = CommitteeFactory()
    client.force_login(world.pm)
    response = client.post(url("risk_escalate", risk), {"committee": committee.pk, "reason": ""}, **EN)
    assert "Say what the committee must decide." in response.content.decode()
    assert not Escalation.objects.exists()


def test_a_mitigation_action_is_a_governance_action_from_the_risk(client, world, risk):
    client.force_login(world.pm)
    due = timezone.localdate() + timedelta(days=10)

    response = client.post(
        url("risk_action_add", risk),
        {"title": "Qualifier un second fournisseur", "owner": world.pm.pk, "due_date": due.isoformat()},
        follow=True,
        **EN,
    )

    action = Action.objects.get()
    assert action.origin == Action.Origin.RISK and action.project == risk.project
    assert list(risk.actions.all()) == [action]
    html = response.content.decode()
    assert action.get_absolute_url() in html and "Qualifier un second fournisseur" in html


def test_another_project_manager_reads_but_may_not_change_the_risk(client, world, risk):
    client.force_login(world.other_pm)
    page = client.get(risk.get_absolute_url(), **EN)
    assert page.status_code == 200
    assert url("risk_edit", risk) not in page.content.decode()
    assert client.get(url("risk_edit", risk)).status_code == 403
    assert client.post(url("risk_close", risk), {"closing_note": "x"}).status_code == 403
    assert client.get(reverse("risks:risk_create") + f"?project={risk.project.code}").status_code == 403


def test_a_confidential_projects_risk_does_not_exist_for_outsiders(client, world):
    secret = ProjectFactory(confidential=True, project_manager=world.pm, directorate=world.it)
    risk = make_risk(project=secret, by=world.pm)
    client.force_login(world.other_pm)
    assert client.get(risk.get_absolute_url()).status_code == 404
    assert client.post(url("risk_close", risk), {"closing_note": "x"}).status_code == 404
    assert client.get(reverse("risks:project_risks", args=[secret.code])).status_code == 404


def test_an_executive_reads_the_risk_without_any_form(client, world, risk):
    client.force_login(world.executive)
    page = client.get(risk.get_absolute_url(), **EN)
    assert page.status_code == 200
    assert "reassess_form" not in page.context and "Re-assess" not in page.content.decode()
    assert client.post(url("risk_reassess", risk), {"probability": 1, "impact": 1}).status_code == 403
    assert client.get(reverse("risks:risk_create")).status_code == 403


def test_the_pmo_records_a_transverse_risk_on_a_directorate(client, world):
    client.force_login(world.pmo)
    fields = risk_fields(owner=world.pmo.pk, directorate=world.it.pk, project="", portfolio="")

    response = client.post(reverse("risks:risk_create"), fields)

    risk = Risk.objects.get()
    assert response.status_code == 302
    assert risk.directorate == world.it and risk.project is None


def test_a_risk_needs_one_home(client, world, project):
    client.force_login(world.pmo)
    fields = risk_fields(owner=world.pmo.pk, directorate=world.it.pk, project=project.pk, portfolio="")
    response = client.post(reverse("risks:risk_create"), fields, **EN)
    assert "A risk belongs to one project" in response.content.decode()
    assert not Risk.objects.exists()


def test_editing_the_scores_adds_an_assessment(client, world, risk):
    client.force_login(world.pm)
    fields = risk_fields(owner=world.pm.pk, title=risk.title, probability="5", impact="5")
    response = client.post(url("risk_edit", risk), fields)
    assert response.status_code == 302
    assert list(risk.assessments.values_list("score", flat=True)) == [12, 25]


def risk_page_queries(client, risk) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(risk.get_absolute_url()).status_code == 200
    return len(captured)


def test_the_risk_page_query_count_does_not_grow_with_its_history(client, world, project):
    committees = [CommitteeFactory(scope_directorate=world.it) for _ in range(3)]
    small, large = (make_risk(project=project, by=world.pm) for _ in range(2))
    for n in range(8):
        client.force_login(world.pm)
        client.post(
            url("risk_reassess", large),
            {"probability": 1 + n % 5, "impact": 3, "next_review_on": "2031-01-01"},
        )
        client.post(url("risk_action_add", large),
                    {"title": f"Action {n}", "owner": world.pm.pk, "due_date": "2020-01-01"})  # fmt: skip
    for committee in committees:
        risk_escalate(risk=large, committee=committee, reason="Arbitrage", by=world.pmo)
    client.force_login(world.pm)

    # session, user, groups (roles); the risk with its project (directorate, manager), portfolio,
    # directorate, owner, category and issue in one join; the policy; the assessments with their
    # author, the mitigation actions with their owner, the escalations with committee, author, agenda
    # item's meeting and decision (8); then the editor's forms: committees (in scope first), the
    # owners offered by the occurred and the mitigation forms (11).
    assert risk_page_queries(client, small) == risk_page_queries(client, large) == 11
    client.force_login(world.executive)
    assert risk_page_queries(client, small) == risk_page_queries(client, large) == 8  # no form


def test_the_project_risks_page_lists_open_risks_first_by_score_then_issues(client, world, project):
    low = make_risk(project=project, probability=1, impact=2, by=world.pm, title="Faible")
    high = make_risk(project=project, probability=4, impact=4, by=world.pm, title="Forte")
    closed = make_risk(project=project, probability=5, impact=5, by=world.pm, title="Close")
    client.force_login(world.pm)
    client.post(url("risk_close", closed), {"closing_note": "Levé"})
    client.force_login(world.pm)

    response = client.get(reverse("risks:project_risks", args=[project.code]), **EN)

    assert [r.pk for r in response.context["risks"]] == [high.pk, low.pk, closed.pk]
    html = response.content.decode()
    assert reverse("risks:risk_create") + f"?project={project.code}" in html
    assert "Record an issue" in html


def test_the_project_risks_page_offers_no_recording_to_readers(client, world, project):
    client.force_login(world.other_pm)
    html = client.get(reverse("risks:project_risks", args=[project.code]), **EN).content.decode()
    assert "Record a risk" not in html


def project_risks_queries(client, project) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("risks:project_risks", args=[project.code])).status_code == 200
    return len(captured)


def test_the_project_risks_page_query_count_does_not_grow_with_rows(client, world):
    few, many = (ProjectFactory(project_manager=world.pm, directorate=world.it) for _ in range(2))
    make_risk(project=few, by=world.pm)
    for n in range(12):
        risk = make_risk(project=many, by=world.pm, probability=1 + n % 5)
        if n % 3 == 0:
            Issue.objects.create(
                reference=f"ISS-9{n:03d}", project=many, title="x", owner=world.pm, risk=risk
            )
    client.force_login(world.pm)

    # session, user, groups (roles); the project; the policy; the risks with owner and category; the
    # issues with owner and the risk they came from.
    assert project_risks_queries(client, few) == project_risks_queries(client, many) == 7


def test_the_first_assessment_note_reads_in_the_readers_language(client, world, project):
    """The application writes that note: recorded by a French-speaking manager, it reads in English to an
    English reader, and in French to a French one."""
    with translation.override("fr"):
        risk = make_risk(project=project, probability=3, impact=4, by=world.pm, title="Retard du fournisseur")
    client.force_login(world.pm)

    english = client.get(url("risk_detail", risk), **EN).content.decode()
    french = client.get(url("risk_detail", risk), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "First assessment" in english and "Première évaluation" not in english
    assert "Première évaluation" in french


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("page", ["create", "edit"])
def test_the_risk_forms_subtitle_separates_the_project_from_the_sentence(client, world, risk, page, language):
    client.force_login(world.pm)
    address = (
        reverse("risks:risk_create") + f"?project={risk.project.code}"
        if page == "create"
        else url("risk_edit", risk)
    )

    html = client.get(address, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    subtitle = re.search(r'<p class="text-body-secondary mb-0">(.*?)</p>', html, re.S)[1]
    subtitle = unescape(re.sub(r"<[^>]+>", "", subtitle))
    with translation.override(language):
        sentence = (
            _(
                "Score = probability \N{MULTIPLICATION SIGN} impact, each from 1 to 5; the level follows the "
                "thresholds set by the PMO."
            )
            if page == "create"
            else _("A change of the scores is kept in the risk's assessment history.")
        )
    assert subtitle == f"{risk.project.code} {risk.project.name} · {sentence}"
