import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance import services
from governance.models import Decision, Meeting
from pmo.roles import Role
from tests.factories import CommitteeFactory, ProjectFactory, UserFactory, planned_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(name="gov")
def gov_world(world):
    """A committee run by its secretary, with `member` sitting on it; a meeting in progress with a
    decision about a public project; a decision about a confidential project of `pm`'s; one about no
    project. `other_pm` sits on no committee."""
    secretary = UserFactory(username="secretary", roles=[Role.COMMITTEE_MEMBER])
    committee = CommitteeFactory(name="COPIL Finance", secretary=secretary, members=[world.member])
    project = ProjectFactory(code="PRJ-0101", name="Refonte du SI RH", project_manager=world.pm)
    secret = ProjectFactory(
        code="PRJ-0102", name="Projet Fusion", project_manager=world.pm, confidential=True
    )
    meeting = planned_meeting(
        committee=committee, by=world.pmo, starts_at=timezone.now() - timedelta(hours=1)
    )
    services.meeting_start(meeting=meeting, by=world.pmo)
    decision = services.decision_record(
        committee=committee, meeting=meeting, title="Lancer la phase 2", by=secretary, project=project
    )
    secret_decision = services.decision_record(
        committee=committee, title="Racheter la filiale", by=world.pmo, project=secret
    )
    internal = services.decision_record(committee=committee, title="Réunion mensuelle", by=world.pmo)
    return SimpleNamespace(
        secretary=secretary,
        committee=committee,
        project=project,
        secret=secret,
        meeting=meeting,
        decision=decision,
        secret_decision=secret_decision,
        internal=internal,
    )


def close(meeting: Meeting, by) -> None:
    services.meeting_close(meeting=meeting, by=by)


def url(name: str, decision: Decision) -> str:
    return reverse(f"governance:{name}", args=[decision.reference])


# --- Who may do what ------------------------------------------------------------------------------------

# user -> (detail, edit, correction, implementation POST) on the public project's decision
MATRIX = {
    "pmo": (200, 200, 200, 302),
    "admin": (200, 200, 200, 302),
    "secretary": (200, 200, 200, 302),
    "member": (200, 403, 403, 403),
    "pm": (200, 403, 403, 403),
    "other_pm": (200, 403, 403, 403),
    "executive": (200, 403, 403, 403),
}


def user_named(world, gov, name: str):
    return gov.secretary if name == "secretary" else getattr(world, name)


@pytest.mark.parametrize(("who", "expected"), MATRIX.items())
def test_decision_urls_answer_each_role_as_the_rules_say(client, world, gov, who, expected):
    client.force_login(user_named(world, gov, who))
    decision = gov.decision

    got = (
        client.get(url("decision_detail", decision)).status_code,
        client.get(url("decision_edit", decision)).status_code,
        client.get(url("decision_supersede", decision)).status_code,
        client.post(url("decision_implementation", decision), {"implementation": "in_progress"}).status_code,
    )

    assert got == expected
    decision.refresh_from_db()
    assert decision.implementation == ("in_progress" if expected[3] == 302 else "not_started")


# user -> status of the confidential project's decision page, and of the one about no project
HIDDEN = {
    "pmo": (200, 200),
    "executive": (200, 200),
    "pm": (200, 404),
    "member": (404, 200),
    "secretary": (404, 200),
    "other_pm": (404, 404),
}


@pytest.mark.parametrize(("who", "expected"), HIDDEN.items())
def test_decisions_of_a_confidential_project_do_not_exist_for_those_who_cannot_see_it(
    client, world, gov, who, expected
):
    client.force_login(user_named(world, gov, who))

    got = tuple(
        client.get(url("decision_detail", decision)).status_code
        for decision in (gov.secret_decision, gov.internal)
    )

    assert got == expected
    log = client.get(reverse("governance:decision_list")).content.decode()
    assert ("Racheter la filiale" in log) == (expected[0] == 200)
    assert ("Réunion mensuelle" in log) == (expected[1] == 200)


def test_an_outsider_gets_404_not_403_when_trying_to_edit_a_hidden_decision(client, world, gov):
    client.force_login(world.other_pm)

    assert client.post(url("decision_edit", gov.secret_decision), {"title": "x"}).status_code == 404
    assert client.post(url("decision_supersede", gov.secret_decision), {"title": "x"}).status_code == 404


def test_the_decision_pages_need_a_signed_in_user(client, gov):
    response = client.get(reverse("governance:decision_list"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_implementation_status_changes_only_by_post(client, world, gov):
    client.force_login(world.pmo)

    assert client.get(url("decision_implementation", gov.decision)).status_code == 405


# --- Editing, freezing, correcting ---------------------------------------------------------------------


def edit_data(decision: Decision, **changes) -> dict:
    data = {
        "title": decision.title,
        "description": decision.description,
        "options_considered": "",
        "rationale": "",
        "outcome": decision.outcome,
        "conditions": "",
        "project": decision.project_id or "",
        "implementation_due": "",
    }
    return {**data, **changes}


def test_the_secretary_edits_a_decision_while_its_meeting_is_open(client, gov):
    client.force_login(gov.secretary)

    response = client.post(
        url("decision_edit", gov.decision), edit_data(gov.decision, title="Lancer la phase 2 bis")
    )

    assert response.status_code == 302 and response["Location"] == gov.decision.get_absolute_url()
    gov.decision.refresh_from_db()
    assert gov.decision.title == "Lancer la phase 2 bis"


def test_a_bad_edit_keeps_what_was_typed_and_says_what_is_wrong(client, gov):
    client.force_login(gov.secretary)

    response = client.post(
        url("decision_edit", gov.decision),
        edit_data(gov.decision, title="Sous conditions", outcome="conditional", rationale="Budget serré"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Say which conditions the approval comes with." in page
    assert "Budget serré" in page and "Sous conditions" in page
    gov.decision.refresh_from_db()
    assert gov.decision.title == "Lancer la phase 2"


def test_a_frozen_decision_cannot_be_edited_by_get_or_post(client, world, gov):
    close(gov.meeting, world.pmo)
    client.force_login(world.pmo)

    shown = client.get(url("decision_edit", gov.decision), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    posted = client.post(url("decision_edit", gov.decision), edit_data(gov.decision, title="Réécrit"))

    assert shown.redirect_chain == [(gov.decision.get_absolute_url(), 302)]
    page = shown.content.decode()
    assert "is frozen" in page and "Record a correction" in page
    assert reverse("governance:decision_edit", args=[gov.decision.reference]) not in page
    assert posted.status_code == 302
    gov.decision.refresh_from_db()
    assert gov.decision.title == "Lancer la phase 2"


def test_a_correction_starts_as_a_copy_and_creates_a_new_decision_that_supersedes_the_old(client, world, gov):
    close(gov.meeting, world.pmo)
    client.force_login(gov.secretary)

    form = client.get(url("decision_supersede", gov.decision), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        url("decision_supersede", gov.decision),
        {
            **edit_data(gov.decision, title="Lancer la phase 2 en mars", outcome="deferred"),
            "decided_on": timezone.localdate().isoformat(),
        },
    )

    assert form.status_code == 200
    assert 'value="Lancer la phase 2"' in form.content.decode()
    correction = Decision.objects.get(supersedes=gov.decision)
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    assert correction.title == "Lancer la phase 2 en mars" and correction.outcome == "deferred"
    assert correction.committee == gov.committee and correction.project == gov.project
    assert correction.recorded_by == gov.secretary
    gov.decision.refresh_from_db()
    assert gov.decision.title == "Lancer la phase 2", "the old decision stays as it was"

    log = client.get(reverse("governance:decision_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert gov.decision.reference in log and correction.reference in log
    assert f"Superseded by {correction.reference}" in log
    assert f"Supersedes {gov.decision.reference}" in log
    assert "decision-superseded" in log
    old_page = client.get(gov.decision.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"superseded by {correction.reference}" in old_page
    new_page = client.get(correction.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Supersedes {gov.decision.reference}" in new_page


def test_a_decision_is_corrected_only_once(client, world, gov):
    first = services.decision_supersede(decision=gov.decision, by=world.pmo, title="Correction 1")
    client.force_login(world.pmo)

    response = client.post(
        url("decision_supersede", gov.decision),
        {**edit_data(gov.decision, title="Correction 2"), "decided_on": "2026-01-05"},
    )

    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    assert Decision.objects.filter(title="Correction 2").count() == 0


def test_the_chain_of_corrections_shows_both_ways(client, world, gov):
    second = services.decision_supersede(decision=gov.decision, by=world.pmo, title="Deuxième version")
    third = services.decision_supersede(decision=second, by=world.pmo, title="Troisième version")
    client.force_login(world.member)

    page = client.get(second.get_absolute_url()).content.decode()

    chain = page[page.index("supersession-chain") :]
    assert chain.index(gov.decision.reference) < chain.index(second.reference) < chain.index(third.reference)


def test_the_implementation_is_followed_after_the_meeting_is_closed(client, world, gov):
    close(gov.meeting, world.pmo)
    client.force_login(gov.secretary)

    response = client.post(
        url("decision_implementation", gov.decision),
        {"implementation": "implemented", "implemented_on": "2026-03-02"},
    )

    assert response.status_code == 302
    gov.decision.refresh_from_db()
    assert gov.decision.implementation == "implemented"
    assert gov.decision.implemented_on == date(2026, 3, 2)


def test_the_decision_page_shows_the_record_and_manager_buttons_only_to_managers(client, world, gov):
    services.action_create(
        title="Préparer le cahier des charges",
        owner=world.pm,
        due_date=date(2026, 1, 1),
        by=world.pmo,
        decision=gov.decision,
    )
    client.force_login(gov.secretary)
    manager = client.get(gov.decision.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(world.member)
    reader = client.get(gov.decision.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for page in (manager, reader):
        assert "Lancer la phase 2" in page and "COPIL Finance" in page
        assert reverse("portfolio:project_detail", args=["PRJ-0101"]) in page
        assert "Préparer le cahier des charges" in page and "Overdue" in page
        assert f"by {gov.secretary}" in page
    assert (
        url("decision_edit", gov.decision) in manager and url("decision_supersede", gov.decision) in manager
    )
    assert url("decision_edit", gov.decision) not in reader
    assert url("decision_supersede", gov.decision) not in reader
    assert url("decision_implementation", gov.decision) not in reader


# --- The log: filters, sorting, exports, queries -------------------------------------------------------


def log(client, **params) -> str:
    return client.get(reverse("governance:decision_list"), params, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_log_filters_by_text_outcome_implementation_project_year_and_superseded(client, world, gov):
    old = services.decision_record(
        committee=gov.committee,
        title="Ancienne décision",
        by=world.pmo,
        decided_on=date(2024, 6, 1),
        outcome=Decision.Outcome.REJECTED,
    )
    services.decision_set_implementation(decision=gov.internal, implementation="implemented")
    services.decision_supersede(
        decision=old, by=world.pmo, title="Nouvelle décision", decided_on=date(2024, 7, 1)
    )
    client.force_login(world.pmo)

    assert "Lancer la phase 2" in log(client, q="phase") and "Réunion" not in log(client, q="phase")
    assert "Lancer" not in log(client, q=old.reference) and "Ancienne" in log(client, q=old.reference)
    assert "Ancienne" in log(client, outcome="rejected") and "Lancer" not in log(client, outcome="rejected")
    assert "Réunion mensuelle" in log(client, implementation="implemented")
    assert "Lancer" not in log(client, implementation="implemented")
    assert "Lancer" in log(client, project=gov.project.pk) and "Racheter" not in log(
        client, project=gov.project.pk
    )
    assert "Ancienne" in log(client, year=2024) and "Lancer" not in log(client, year=2024)
    ranged = log(client, decided_after="2024-06-15", decided_before="2024-12-31")
    assert "Nouvelle" in ranged and "Ancienne" not in ranged
    assert "Ancienne" in log(client) and "Ancienne" not in log(client, hide_superseded="on")
    assert "Nouvelle" in log(client, hide_superseded="on")


def test_the_log_offers_only_the_committees_and_projects_the_user_may_see(client, world, gov):
    CommitteeFactory(name="Comité secret")
    client.force_login(world.member)

    page = log(client)

    assert "COPIL Finance" in page and "Comité secret" not in page
    assert "PRJ-0101" in page and "PRJ-0102" not in page


def test_the_log_sorts_by_reference_and_by_outcome(client, world, gov):
    client.force_login(world.pmo)
    references = sorted(d.reference for d in (gov.decision, gov.secret_decision, gov.internal))

    by_reference = log(client, sort="reference")
    by_reference_desc = log(client, sort="-reference")

    assert [by_reference.index(r) for r in references] == sorted(by_reference.index(r) for r in references)
    assert [by_reference_desc.index(r) for r in references] == sorted(
        (by_reference_desc.index(r) for r in references), reverse=True
    )


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_log_exports_the_whole_filtered_list_as_csv_and_xlsx(client, world, gov):
    services.decision_update(decision=gov.decision, title='=HYPERLINK("http://evil")')
    correction = services.decision_supersede(decision=gov.internal, by=world.pmo, title="Réunion bimensuelle")
    client.force_login(world.member)
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}

    header, *rows = csv_rows(client.get(reverse("governance:decision_list"), {"export": "csv"}, **english))
    xlsx_header, *xlsx = xlsx_rows(
        client.get(reverse("governance:decision_list"), {"export": "xlsx", "sort": "reference"}, **english)
    )

    assert header == xlsx_header
    assert header[:5] == ["Reference", "Date", "Title", "Committee", "Meeting date"]
    assert (
        sorted(row[0] for row in rows)
        == sorted(row[0] for row in xlsx)
        == sorted([gov.decision.reference, gov.internal.reference, correction.reference])
    ), "the confidential project's decision stays out of the member's export"
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_ref[gov.decision.reference]["Title"] == '\'=HYPERLINK("http://evil")'
    assert by_ref[gov.decision.reference]["Project code"] == "PRJ-0101"
    assert by_ref[gov.decision.reference]["Outcome"] == "Approved"
    assert by_ref[gov.decision.reference]["Date"] == timezone.localdate().isoformat()
    assert by_ref[gov.internal.reference]["Superseded by"] == correction.reference
    assert by_ref[correction.reference]["Supersedes"] == gov.internal.reference
    xlsx_by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in xlsx}
    assert xlsx_by_ref[gov.decision.reference]["Date"].date() == timezone.localdate()
    assert xlsx_by_ref[gov.decision.reference]["Title"] == '\'=HYPERLINK("http://evil")'
    assert (
        xlsx_by_ref[gov.decision.reference]["Meeting date"].date()
        == timezone.localtime(gov.meeting.starts_at).date()
    )
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("governance:decision_list"), {"export": "xlsx"}).content)
    ).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:P{len(rows) + 1}"


def test_the_french_csv_export_uses_french_separators(client, world, gov):
    client.force_login(world.pmo)

    response = client.get(reverse("governance:decision_list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")

    header, *rows = csv_rows(response)
    assert response.content.decode("utf-8").splitlines()[0].count(";") == len(header) - 1
    assert len(rows) == 3


def many_decisions(committee, count: int, by) -> None:
    projects = ProjectFactory.create_batch(count)
    for project in projects:
        decision = services.decision_record(
            committee=committee, title=f"Décision {project.code}", by=by, project=project
        )
        services.decision_supersede(decision=decision, by=by, title=f"Correction {project.code}")


def queries(client, path: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params or {}).status_code == 200
    return len(captured)


def test_the_log_query_count_does_not_grow_with_decisions(client, world, gov):
    client.force_login(world.member)
    committee = CommitteeFactory(members=[world.member])
    few = queries(client, reverse("governance:decision_list"))
    many_decisions(committee, 15, world.pmo)

    # 1 session, 2 user, 3 groups (roles), 4 count for the paginator, 5 the page of decisions with
    # committee, meeting, project, the decision it supersedes and the one superseding it in one join;
    # then the filter form's choice lists: 6 committees, 7 projects with decisions.
    assert queries(client, reverse("governance:decision_list")) == few == 7


def test_the_log_export_query_count_does_not_grow_with_decisions(client, world, gov):
    client.force_login(world.pmo)
    path = reverse("governance:decision_list")
    few = queries(client, path, {"export": "csv"}), queries(client, path, {"export": "xlsx"})
    many_decisions(gov.committee, 15, world.pmo)

    # session, user, groups (roles), the decisions with every joined relation in one query.
    assert (
        (queries(client, path, {"export": "csv"}), queries(client, path, {"export": "xlsx"})) == few == (4, 4)
    )
