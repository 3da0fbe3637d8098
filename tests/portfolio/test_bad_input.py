"""Bad input on the portfolio's forms (the weekly status with its milestones' dates, the project sheet,
closing a project): a form error or a saved value shown, never an error page, never half a save.
How the input is drawn and what the answer must be: tests/bad_input.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given

from portfolio.models import Milestone, Project
from tests.bad_input import (
    answer,
    bounded,
    changes,
    choice,
    day,
    form_errors,
    many,
    number,
    over,
    rolled_back,
    text,
    values,
)
from tests.factories import PortfolioFactory, ProjectFactory
from tests.portfolio.test_status_form import report_for, status_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world):
    portfolio = PortfolioFactory(code="PF-DIG", directorate=world.it)
    project = ProjectFactory(
        code="PRJ-0042",
        name="Migration ERP",
        project_manager=world.pm,
        directorate=world.it,
        portfolio=portfolio,
    )
    Milestone.objects.create(
        project=project, name="Go-live", baseline_date=date(2030, 1, 10), forecast_date=date(2030, 1, 10)
    )
    report_for(project, percent_complete=Decimal("40"))  # last week's, which the form starts from
    return project


def refs(world, project: Project) -> dict:
    return {
        "@pm": world.pm.pk,
        "@other_pm": world.other_pm.pk,
        "@pmo": world.pmo.pk,
        "@it": world.it.pk,
        "@finance": world.finance.pk,
        "@portfolio": project.portfolio_id,
        "@milestone": project.milestones.get().pk,
    }


# --- The weekly status ------------------------------------------------------------------------------------

STATUS = {
    **{name: choice("green", "amber", "red") for name in ("overall_rag", "schedule_rag", "cost_rag")},
    "percent_complete": number,
    "actual_cost": number,
    "forecast_at_completion": number,
    **dict.fromkeys(("summary", "achievements", "next_steps", "help_needed", "explanation"), text),
    "based_on": number,
    "milestones-0-milestone": choice("@milestone"),
    "milestones-0-forecast_date": day,
    "milestones-0-actual_date": day,
    "milestones-TOTAL_FORMS": number,
}


def told_or_stale(response) -> bool:
    """The form's errors, or the page that says someone submitted a newer status (based_on)."""
    return bool(form_errors(response)) or response.context.get("conflict") is not None


@bounded(40)
@given(drawn=changes(STATUS))
@example(drawn={"based_on": "987654"})  # another report than the latest: told, not silently refused
def test_the_weekly_status_answers_any_input_with_an_error_or_a_saved_status(client, world, project, drawn):
    client.force_login(world.pm)
    milestone = project.milestones.get()
    form = over(
        status_data(based_on=project.last_report_id, milestones=[milestone]), drawn, refs(world, project)
    )
    with rolled_back():
        answer(
            client,
            f"/portfolio/projects/{project.code}/status/",
            form,
            state=lambda: (values(Project, project.pk), values(Milestone, milestone.pk)),
            told=told_or_stale,
        )


def test_the_first_status_of_a_project_is_saved_whatever_report_its_form_names(client, world, project):
    # Nothing can be overwritten yet: refusing it as stale would show no newer status to compare with.
    project.status_reports.all().delete()
    client.force_login(world.pm)

    response = client.post(f"/portfolio/projects/{project.code}/status/", status_data(based_on=987654))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert project.status_reports.get().summary == "Pilot live."


# --- The project sheet --------------------------------------------------------------------------------------

NEW_SHEET = {
    "code": "PRJ-0900",
    "name": "Dématérialisation des factures",
    "description": "",
    "directorate": "@it",
    "portfolio": "",
    "phase": "",
    "methodology": "classic",
    "priority": "3",
    "strategic_objective": "",
    "state": "proposed",
    "project_manager": "@pm",
    "sponsor": "",
    "team_members": [],
    "baseline_start": "2026-01-05",
    "baseline_end": "2026-12-18",
    "forecast_start": "",
    "forecast_end": "",
    "budget": "1500000.00",
    "currency": "MAD",
    "version": "",
}
PEOPLE = ("@pm", "@other_pm", "@pmo")
SHEET = {
    **dict.fromkeys(("code", "name", "description", "strategic_objective", "currency"), text),
    "directorate": choice("@it", "@finance"),
    "portfolio": choice("@portfolio"),
    "methodology": choice("classic", "agile", "hybrid"),
    "priority": choice(1, 2, 3, 4),
    "state": choice("proposed", "active", "on_hold", "closed", "cancelled"),
    "project_manager": choice(*PEOPLE),
    "sponsor": choice(*PEOPLE),
    "team_members": many(*PEOPLE),
    **dict.fromkeys(("baseline_start", "baseline_end", "forecast_start", "forecast_end"), day),
    "budget": number,
    "confidential": choice("on"),
}


@bounded(40)
@given(drawn=changes(SHEET))
@example(drawn={"code": "PRJ/0042"})  # was a 500: a code with a slash has no link (NoReverseMatch)
@example(drawn={"code": ".."})
def test_a_new_project_sheet_answers_any_input_with_an_error_or_a_created_project(
    client, world, project, drawn
):
    client.force_login(world.pmo)
    with rolled_back():
        answer(client, "/portfolio/new/", over(NEW_SHEET, drawn, refs(world, project)))


@bounded(30)
@given(drawn=changes({**SHEET, "version": number}))
@example(drawn={"code": "../../etc/passwd"})  # was a 500: the refused code was drawn in the page's links
def test_an_edited_project_sheet_answers_any_input_with_an_error_or_a_saved_project(
    client, world, project, drawn
):
    client.force_login(world.pmo)
    current = {
        **NEW_SHEET,
        "code": project.code,
        "name": project.name,
        "directorate": "@it",
        "portfolio": "@portfolio",
        "state": project.state,
        "version": str(project.version),
    }
    with rolled_back():
        answer(
            client,
            f"/portfolio/projects/{project.code}/edit/",
            over(current, drawn, refs(world, project)),
            state=lambda: values(Project, project.pk),
            # Another version than the stored one: the sheet is shown as it now is, saying so.
            told=lambda response: bool(form_errors(response)) or response.context["stale"],
        )


@bounded(20)
@given(drawn=changes({"final_state": choice("closed", "cancelled"), "note": text}))
def test_closing_a_project_answers_any_input_with_an_error_or_a_closed_project(client, world, project, drawn):
    client.force_login(world.pmo)
    with rolled_back():
        answer(
            client,
            f"/portfolio/projects/{project.code}/close/",
            over({"final_state": "closed", "note": ""}, drawn),
            state=lambda: values(Project, project.pk),
        )
