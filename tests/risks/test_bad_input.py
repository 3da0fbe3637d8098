"""Bad input on the risks' and issues' forms (recording and editing a risk, re-assessing, closing it,
marking it occurred, escalating it, planning a mitigation action; recording and editing an issue): a
form error or a saved value shown, never an error page, never half a save.
How the input is drawn and what the answer must be: tests/bad_input.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from risks.models import Issue, Risk, RiskCategory
from risks.services import issue_create
from tests.bad_input import answer, bounded, changes, choice, day, over, rolled_back, text, values
from tests.factories import CommitteeFactory, ProjectFactory, make_risk
from tests.risks.test_risk_pages import risk_fields

pytestmark = pytest.mark.django_db

SCORE = choice(1, 2, 3, 4, 5)
RESPONSES = ("avoid", "reduce", "transfer", "accept", "exploit", "enhance", "share")


@pytest.fixture
def setting(world):
    project = ProjectFactory(code="PRJ-0100", project_manager=world.pm, directorate=world.it)
    risk = make_risk(project=project, probability=3, impact=4, by=world.pm, title="Retard du fournisseur")
    issue = issue_create(
        issue=Issue(project=project, owner=world.pm, title="Serveur indisponible"), by=world.pm
    )
    committee = CommitteeFactory(code="copil-si", scope_directorate=world.it)
    refs = {
        "@pm": world.pm.pk,
        "@other_pm": world.other_pm.pk,
        "@category": RiskCategory.objects.values_list("pk", flat=True).first() or "",
        "@committee": committee.pk,
    }
    return project, risk, issue, refs


RISK = {
    "kind": choice("threat", "opportunity"),
    **dict.fromkeys(("title", "description", "cause", "effect", "mitigation_plan", "residual_reason"), text),
    "category": choice("@category"),
    "owner": choice("@pm", "@other_pm"),
    "probability": SCORE,
    "impact": SCORE,
    "residual_probability": SCORE,
    "residual_impact": SCORE,
    "response": choice(*RESPONSES),
    "proximity": day,
    "next_review_on": day,
}


@bounded(35)
@given(drawn=changes(RISK))
def test_recording_a_risk_answers_any_input_with_an_error_or_a_recorded_risk(client, world, setting, drawn):
    project, _risk, _issue, refs = setting
    client.force_login(world.pm)
    with rolled_back():
        answer(client, f"/risks/new/?project={project.code}", over(risk_fields(owner="@pm"), drawn, refs))


@bounded(30)
@given(drawn=changes(RISK))
def test_editing_a_risk_answers_any_input_with_an_error_or_a_saved_risk(client, world, setting, drawn):
    _project, risk, _issue, refs = setting
    client.force_login(world.pm)
    with rolled_back():
        answer(
            client,
            f"/risks/{risk.reference}/edit/",
            over(risk_fields(owner="@pm"), drawn, refs),
            state=lambda: values(Risk, risk.pk),
        )


def in_two_weeks() -> str:
    return (date.today() + timedelta(days=14)).isoformat()


# Each of the risk page's tools: its URL, a valid form, and what may be drawn for each field.
TOOLS = {
    "reassess": (
        {"probability": "2", "impact": "4", "note": "Fournisseur relancé.", "next_review_on": in_two_weeks()},
        {
            "probability": SCORE,
            "impact": SCORE,
            "residual_probability": SCORE,
            "residual_impact": SCORE,
            "residual_reason": text,
            "note": text,
            "next_review_on": day,
        },
    ),
    "close": ({"closing_note": "Le fournisseur a livré."}, {"closing_note": text}),
    "occurred": (
        {"title": "Livraison en retard", "severity": "high", "owner": "@pm", "due_date": ""},
        {
            "title": text,
            "severity": choice("low", "medium", "high", "critical"),
            "owner": choice("@pm", "@other_pm"),
            "due_date": day,
        },
    ),
    "escalate": (
        {"committee": "@committee", "reason": "Arbitrer le budget."},
        {"committee": choice("@committee"), "reason": text},
    ),
    "actions/new": (
        {"title": "Relancer le fournisseur", "owner": "@pm", "due_date": in_two_weeks()},
        {"title": text, "owner": choice("@pm", "@other_pm"), "due_date": day},
    ),
}
TOOL_CHANGES = st.sampled_from(sorted(TOOLS)).flatmap(
    lambda tool: changes(TOOLS[tool][1]).map(lambda drawn: (tool, drawn))
)


@bounded(60)
@given(tool_and_changes=TOOL_CHANGES)
def test_the_risk_page_tools_answer_any_input_with_an_error_or_a_change(
    client, world, setting, tool_and_changes
):
    tool, drawn = tool_and_changes
    _project, risk, _issue, refs = setting
    client.force_login(world.pm)
    with rolled_back():
        answer(
            client,
            f"/risks/{risk.reference}/{tool}/",
            over(TOOLS[tool][0], drawn, refs),
            state=lambda: values(Risk, risk.pk),
        )


ISSUE_FORM = {
    "title": "Panne du serveur de recette",
    "description": "",
    "severity": "high",
    "owner": "@pm",
    "state": "open",
    "due_date": "",
    "resolution": "",
}
ISSUE = {
    **dict.fromkeys(("title", "description", "resolution"), text),
    "severity": choice("low", "medium", "high", "critical"),
    "owner": choice("@pm", "@other_pm"),
    "state": choice("open", "in_progress", "resolved", "closed"),
    "due_date": day,
}


@bounded(30)
@given(drawn=changes(ISSUE))
def test_recording_an_issue_answers_any_input_with_an_error_or_a_recorded_issue(
    client, world, setting, drawn
):
    project, _risk, _issue, refs = setting
    client.force_login(world.pm)
    with rolled_back():
        answer(client, f"/risks/issues/new/?project={project.code}", over(ISSUE_FORM, drawn, refs))


@bounded(30)
@given(drawn=changes(ISSUE))
def test_editing_an_issue_answers_any_input_with_an_error_or_a_saved_issue(client, world, setting, drawn):
    _project, _risk, issue, refs = setting
    client.force_login(world.pm)
    with rolled_back():
        answer(
            client,
            f"/risks/issues/{issue.reference}/edit/",
            over(ISSUE_FORM, drawn, refs),
            state=lambda: values(Issue, issue.pk),
        )
