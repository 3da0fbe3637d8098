"""The History tabs: who changed what, and when, in plain language, for whoever may see the object."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.html import escape

from governance import services as governance
from portfolio.models import Milestone, Project, StatusReport
from portfolio.models.status import period_of
from risks.models import Risk
from tests.factories import CommitteeFactory, ProjectFactory, StatusReportFactory, make_risk, planned_meeting
from tests.portfolio.test_project_page import edit_form_data
from tests.portfolio.test_status_form import status_data

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"


def history(client, url: str, language: str = "en", **params) -> str:
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def when(record) -> str:
    return date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


def label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name).capitalize()


def amount(value: int) -> str:
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True) + f"{NBSP}MAD"


# --- Projects ----------------------------------------------------------------------------------------


def test_the_pmo_edits_a_project_and_the_history_tab_says_who_what_when_in_english_and_french(client, world):
    project = ProjectFactory(
        project_manager=world.pm,
        directorate=world.it,
        budget=Decimal("1200000"),
        forecast_end=date(2027, 6, 30),
    )
    client.force_login(world.pmo)
    loaded = client.get(reverse("portfolio:project_edit", args=[project.code]))
    changes = {"budget": "1350000", "forecast_end": "2027-09-30", "priority": Project.Priority.HIGH}
    assert client.post(loaded.request["PATH_INFO"], {**edit_form_data(loaded), **changes}).status_code == 302
    record = project.history.latest()
    url = reverse("portfolio:project_history", args=[project.code])

    english = history(client, url, "en")
    assert record.history_user == world.pmo and record.history_type == "~"
    assert when(record) in english
    # In the order of the project's sheet.
    assert (
        f'{world.pmo} changed <span class="history-change">Priority from Medium to High</span>; '
        '<span class="history-change">Forecast end from 30/06/2027 to 30/09/2027</span>; '
        '<span class="history-change">Budget at completion from '
        f"1,200,000{NBSP}MAD to 1,350,000{NBSP}MAD</span>"
    ) in english
    assert "created the project" in english  # the factory's save, older, below

    french = history(client, url, "fr")
    with translation.override("fr"):
        budget, priority = label(Project, "budget"), label(Project, "priority")
        old, new = amount(1200000), amount(1350000)
        medium, high = Project.Priority.MEDIUM.label, Project.Priority.HIGH.label
        stamp = when(record)
        changed = translation.gettext("%(field)s from %(old)s to %(new)s")
    assert (budget, priority, medium) != ("Budget at completion", "Priority", "Medium")  # really French
    assert old != f"1,200,000{NBSP}MAD"
    assert changed != "%(field)s from %(old)s to %(new)s"
    for text in (
        stamp,
        escape(changed % {"field": budget, "old": old, "new": new}),
        escape(changed % {"field": priority, "old": medium, "new": high}),
    ):
        assert text in french


def test_the_weekly_status_is_compared_with_the_week_before_on_the_project_history(client, world):
    project = ProjectFactory(code="PRJ-0042", project_manager=world.pm, directorate=world.it)
    milestone = Milestone.objects.create(
        project=project, name="Go-live", baseline_date=date(2030, 1, 10), forecast_date=date(2030, 1, 10)
    )
    last_week = StatusReportFactory(project=project, weeks_ago=1, actual_cost=Decimal("1000000"))
    client.force_login(world.pm)
    data = status_data(
        based_on=last_week.pk, milestones=[milestone], schedule_rag="amber", explanation="Late."
    )
    data["milestones-0-forecast_date"] = "2030-02-14"
    assert client.post(reverse("portfolio:status_update", args=[project.code]), data).status_code == 302

    html = history(client, reverse("portfolio:project_history", args=[project.code]))
    week = StatusReport.objects.get(
        project=project, is_latest=True, revision=1, period=period_of(timezone.localdate())
    )
    assert f"{world.pm} submitted the status of {week.period_label}: " in html
    for change in (
        "Schedule from Green to Amber",
        f"Completion from 40{NBSP}% to 45{NBSP}%",
        f"Actual cost to date from 1,000,000{NBSP}MAD to 1,100,000{NBSP}MAD",
        f"Forecast at completion set to 2,400,000{NBSP}MAD",
    ):
        assert change in html
    assert (
        f'{world.pm} changed the milestone “Go-live”: <span class="history-change">Forecast date from '
        "10/01/2030 to 14/02/2030</span>"
    ) in html
    assert "with the weekly status" in html
    # The project's lock counter and latest-report cache moved, which is nothing for its own trail.
    assert project.history.count() == 1


def test_the_history_pages_newest_first_and_shows_the_older_changes_on_request(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, name="Nom 0")
    for number in range(1, 25):
        project.name = f"Nom {number}"
        project.save()
    client.force_login(world.pmo)
    url = reverse("portfolio:project_history", args=[project.code])

    first = history(client, url)
    assert first.index("from “Nom 23” to “Nom 24”") < first.index("from “Nom 22” to “Nom 23”")
    assert "from “Nom 4” to “Nom 5”" in first and "from “Nom 3” to “Nom 4”" not in first
    assert f'hx-get="{url}?offset=20"' in first

    more = history(client, url, offset=20)
    assert (
        "from “Nom 3” to “Nom 4”" in more
        and "from “Nom 0” to “Nom 1”" in more
        and "created the project" in more
    )
    assert "offset=" not in more and "<section" not in more  # the entries alone, swapped in place


def test_history_query_count_does_not_grow_with_the_number_of_records(client, world):
    client.force_login(world.pmo)
    small, large = (ProjectFactory(project_manager=world.pm, directorate=world.it) for _ in range(2))
    for project, edits in ((small, 1), (large, 18)):
        for number in range(edits):
            project.name = f"Nom {number}"
            project.sponsor = (world.executive, world.pmo)[number % 2]
            project.save()
            Milestone.objects.create(
                project=project,
                name=f"Jalon {number}",
                baseline_date=date(2030, 1, 1),
                forecast_date=date(2030, 1, 1),
            )

    def queries(project) -> int:
        with CaptureQueriesContext(connection) as captured:
            history(client, reverse("portfolio:project_history", args=[project.code]))
        return len(captured)

    # session, user, the user's roles (the project's rule), the project; a page of each of the three
    # sources (the project, its status reports, its milestones), each with its authors joined and the
    # record before each in a subquery; the users the sponsor changes name, in one query: 8. (The
    # large project's 37 records fill more than a page.)
    assert queries(small) == queries(large) == 8


# --- Risks, decisions --------------------------------------------------------------------------------


def test_a_risk_reassessment_shows_on_its_history_with_its_reason(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    risk = make_risk(project=project, by=world.pm, probability=3, impact=3)
    client.force_login(world.pmo)
    review = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        reverse("risks:risk_reassess", args=[risk.reference]),
        {"probability": 4, "impact": 4, "note": "Fournisseur en retard.", "next_review_on": review},
    )
    assert response.status_code == 302

    html = history(client, reverse("risks:risk_history", args=[risk.reference]))
    assert f"{world.pmo} changed" in html
    for change in (
        "Probability from 3 - Possible to 4 - Likely",
        "Impact from 3 - Moderate to 4 - Major",
        "Score from 9 to 16",
    ):
        assert change in html
    assert '<span class="badge history-reason">risk re-assessed</span>' in html
    assert f"{world.pm} recorded the risk" in html


def test_a_decision_correction_shows_on_the_corrected_decision_and_an_edit_on_the_open_one(client, world):
    committee = CommitteeFactory(secretary=world.pmo)
    decision = governance.decision_record(committee=committee, title="Go pour le pilote", by=world.pmo)
    client.force_login(world.pmo)
    correction_form = client.get(reverse("governance:decision_supersede", args=[decision.reference]))
    data = {k: v for k, v in correction_form.context["form"].initial.items() if v is not None}
    data.update(title="Go pour le pilote, deux agences", outcome="conditional", conditions="Deux agences.")
    data["decided_on"] = data["decided_on"].isoformat()
    response = client.post(reverse("governance:decision_supersede", args=[decision.reference]), data)
    assert response.status_code == 302
    correction = decision.superseded_by

    html = history(client, reverse("governance:decision_history", args=[decision.reference]))
    assert (
        f"{world.pmo} recorded the correction {correction.reference}, which supersedes this decision" in html
    )
    assert f"{world.pmo} recorded the decision" in html
    own = history(client, reverse("governance:decision_history", args=[correction.reference]))
    assert f"{world.pmo} recorded the decision" in own and "supersedes this decision" not in own

    meeting = planned_meeting(committee=committee, by=world.pmo)
    governance.meeting_start(meeting=meeting, by=world.pmo)
    open_one = governance.decision_record(committee=committee, meeting=meeting, title="Budget", by=world.pmo)
    with translation.override("en"):
        governance.decision_update(decision=open_one, outcome="deferred")
    html = history(client, reverse("governance:decision_history", args=[open_one.reference]))
    assert "Outcome from Approved to Deferred" in html


# --- Who may read a history --------------------------------------------------------------------------


def confidential_world(world):
    """A confidential project of `pm`, with a risk, an issue, a decision and an action about it."""
    from risks.models import Issue
    from risks.services import issue_create

    project = ProjectFactory(confidential=True, project_manager=world.pm, directorate=world.it)
    risk = make_risk(project=project, by=world.pm)
    issue = issue_create(issue=Issue(project=project, title="Panne", owner=world.pm), by=world.pm)
    committee = CommitteeFactory(secretary=world.pmo, members=[world.executive])
    meeting = planned_meeting(committee=committee, by=world.pmo)
    decision = governance.decision_record(committee=committee, title="Arrêt", project=project, by=world.pmo)
    action = governance.action_create(
        title="Bilan", owner=world.pm, due_date=date(2030, 1, 1), by=world.pmo, project=project
    )
    return {
        "project": reverse("portfolio:project_history", args=[project.code]),
        "risk": reverse("risks:risk_history", args=[risk.reference]),
        "issue": reverse("risks:issue_history", args=[issue.reference]),
        "committee": reverse("governance:committee_history", args=[committee.code]),
        "meeting": reverse("governance:meeting_history", args=[meeting.pk]),
        "decision": reverse("governance:decision_history", args=[decision.reference]),
        "action": reverse("governance:action_history", args=[action.reference]),
    }


# Each History tab answers as its object's page: the committee is the executive's (oversight) and
# the PMO's, the rest are about pm's confidential project.
READERS = {
    "pmo": dict.fromkeys(["project", "risk", "issue", "committee", "meeting", "decision", "action"], 200),
    "pm": {
        "project": 200,
        "risk": 200,
        "issue": 200,
        "committee": 404,
        "meeting": 404,
        "decision": 200,
        "action": 200,
    },
    "other_pm": dict.fromkeys(
        ["project", "risk", "issue", "committee", "meeting", "decision", "action"], 404
    ),
    "member": dict.fromkeys(["project", "risk", "issue", "committee", "meeting", "decision", "action"], 404),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_a_history_tab_answers_404_to_whoever_may_not_see_its_object(client, world, reader):
    urls = confidential_world(world)
    client.force_login(getattr(world, reader))
    answers = {name: client.get(url).status_code for name, url in urls.items()}
    assert answers == READERS[reader]


def test_the_history_names_a_project_only_to_those_who_may_see_it(client, world):
    hidden = ProjectFactory(confidential=True, name="Projet secret", directorate=world.finance)
    shown = ProjectFactory(name="Projet public", directorate=world.it)
    risk = make_risk(project=hidden, by=world.pmo, owner=world.other_pm)
    risk.project = shown
    risk.save()
    client.force_login(world.other_pm)  # the owner reads the risk, not its former confidential project

    html = history(client, reverse("risks:risk_history", args=[risk.reference]))
    assert "Projet public" in html and "Projet secret" not in html
    assert f"Project from a project you may not see to {shown}" in html
    assert Risk.objects.visible_to(world.other_pm).filter(pk=risk.pk).exists()


def test_a_long_text_change_is_told_in_a_word_with_both_versions_under_a_disclosure(client, world):
    risk = make_risk(by=world.pmo, mitigation_plan="Relancer le fournisseur.")
    risk.mitigation_plan = "Renforcer l'équipe de recette, " * 8
    risk.save()
    client.force_login(world.pmo)

    html = history(client, reverse("risks:risk_history", args=[risk.reference]))
    assert "Mitigation plan rewritten" in html
    assert "<summary>Mitigation plan: before and after</summary>" in html
    assert "Relancer le fournisseur." in html and "Renforcer l&#x27;équipe de recette, Renforcer" in html
