import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance import services
from governance.models import Action
from pmo.roles import Role
from tests.factories import CommitteeFactory, ProjectFactory, UserFactory
from tests.governance.test_decisions import (
    csv_rows,
    gov_world,  # noqa: F401 (the fixture `gov`)
    queries,
    user_named,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

TRACKER = reverse("governance:action_tracker")
MINE = reverse("governance:my_actions")


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def acts(world, gov):
    """`pm` owns an action of the committee, overdue; `member` owns one due next week; another
    committee (not the secretary's) has one owned by `other_pm`, done this month."""
    late = services.action_create(
        title="Chiffrer la phase 2",
        owner=world.pm,
        due_date=today() - timedelta(days=3),
        by=world.pmo,
        decision=gov.decision,
    )
    upcoming = services.action_create(
        title="Relire le contrat",
        owner=world.member,
        due_date=today() + timedelta(days=10),
        by=world.pmo,
        committee=gov.committee,
    )
    elsewhere = CommitteeFactory(name="Comité technique")
    done = services.action_create(
        title="Migrer la base",
        owner=world.other_pm,
        due_date=today() - timedelta(days=1),
        by=world.pmo,
        committee=elsewhere,
    )
    services.action_set_state(action=done, state=Action.State.DONE, by=world.pmo, note="Migrée le week-end.")
    return SimpleNamespace(late=late, upcoming=upcoming, done=done, elsewhere=elsewhere)


def detail(action: Action) -> str:
    return reverse("governance:action_detail", args=[action.reference])


def update(action: Action) -> str:
    return reverse("governance:action_update", args=[action.reference])


# --- Who may do what ------------------------------------------------------------------------------------

# user -> (tracker, my actions, detail of pm's action, state update of pm's action)
MATRIX = {
    "pmo": (200, 200, 200, 302),
    "admin": (200, 200, 200, 302),
    "secretary": (200, 200, 200, 302),
    "pm": (403, 200, 200, 302),
    "member": (403, 200, 200, 403),
    "executive": (
        200,
        200,
        200,
        403,
    ),  # reads the tracker (the dashboard's tile leads there), changes nothing
    "other_pm": (403, 200, 200, 403),  # the project is not confidential: read, not change
}


@pytest.mark.parametrize(("who", "expected"), MATRIX.items())
def test_action_urls_answer_each_role_as_the_rules_say(client, world, gov, acts, who, expected):
    client.force_login(user_named(world, gov, who))

    got = (
        client.get(TRACKER).status_code,
        client.get(MINE).status_code,
        client.get(detail(acts.late)).status_code,
        client.post(update(acts.late), {"state": "in_progress"}).status_code,
    )

    assert got == expected
    acts.late.refresh_from_db()
    assert acts.late.state == ("in_progress" if expected[3] == 302 else "open")


def test_the_state_update_refuses_get(client, world, acts):
    client.force_login(world.pm)

    assert client.get(update(acts.late)).status_code == 405


def test_a_secretary_tracks_only_their_committees_actions(client, gov, acts):
    client.force_login(gov.secretary)

    page = client.get(TRACKER).content.decode()

    assert "Chiffrer la phase 2" in page and "Relire le contrat" in page
    assert "Migrer la base" not in page and "Comité technique" not in page


# --- Changing an action's state ----------------------------------------------------------------------


def test_the_owner_marks_an_action_done_with_a_note(client, world, acts):
    client.force_login(world.pm)

    response = client.post(update(acts.late), {"state": "done", "note": "Chiffrage envoyé au COPIL."})

    assert response.status_code == 302 and response["Location"] == acts.late.get_absolute_url()
    acts.late.refresh_from_db()
    assert acts.late.state == "done" and acts.late.completed_on == today()
    assert acts.late.completion_note == "Chiffrage envoyé au COPIL."


def test_marking_done_without_a_note_is_refused_and_keeps_the_state(client, world, acts):
    client.force_login(world.pm)

    response = client.post(update(acts.late), {"state": "done", "note": "  "}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Say in a few words what was done." in response.content.decode()
    acts.late.refresh_from_db()
    assert acts.late.state == "open"


def test_my_actions_changes_a_state_inline_and_gets_the_row_back(client, world, acts):
    client.force_login(world.pm)

    response = client.post(
        update(acts.late),
        {"state": "done", "note": "Fait."},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    row = response.content.decode()
    assert row.strip().startswith("<tr") and f'id="action-{acts.late.pk}"' in row
    assert "Saved" in row and "Overdue" not in row, "a done action is no longer overdue"
    acts.late.refresh_from_db()
    assert acts.late.state == "done"


def counters(html: str) -> str:
    """The counters above My actions, without the out-of-band marker an inline change adds."""
    block = re.search(r'<div [^>]*id="my-action-counts".*?</div>', html, re.S).group(0)
    return block.replace(' hx-swap-oob="true"', "")


def test_closing_an_action_inline_brings_the_updated_counters_out_of_band(client, world, acts):
    client.force_login(world.pm)
    before = counters(client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode())

    response = client.post(
        update(acts.late),
        {"state": "done", "note": "Fait."},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    swapped = response.content.decode()
    # In a <template>: htmx swaps it out of band wherever the row's table would have misplaced a <div>.
    assert re.search(r'<template>\s*<div [^>]*id="my-action-counts" hx-swap-oob="true"', swapped)
    after = counters(client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert counters(swapped) == after != before, "the counters a reload would show"
    assert "1 open" in before and "1 overdue" in before
    assert "0 open" in after and "overdue" not in after


def test_a_refused_inline_change_leaves_the_counters_alone(client, world, acts):
    client.force_login(world.pm)

    response = client.post(update(acts.late), {"state": "done"}, HTTP_HX_REQUEST="true")

    assert "my-action-counts" not in response.content.decode()


def test_an_inline_change_with_a_missing_note_shows_the_error_in_the_row(client, world, acts):
    client.force_login(world.pm)

    response = client.post(
        update(acts.late), {"state": "done"}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "Say in a few words what was done." in response.content.decode()
    acts.late.refresh_from_db()
    assert acts.late.state == "open"


def test_the_update_returns_to_the_page_it_came_from_but_never_elsewhere(client, world, acts):
    client.force_login(world.pm)

    back = client.post(update(acts.late), {"state": "in_progress", "next": MINE})
    away = client.post(update(acts.late), {"state": "open", "next": "https://evil.example/"})

    assert back["Location"] == MINE
    assert away["Location"] == acts.late.get_absolute_url()


# --- Overdue, derived -----------------------------------------------------------------------------------


def test_overdue_is_derived_from_state_and_due_date_not_stored(client, world, acts):
    client.force_login(world.pmo)
    assert not hasattr(Action, "overdue_flag") and "overdue" not in {f.name for f in Action._meta.fields}

    before = client.get(TRACKER, {"overdue": "true"}).content.decode()
    Action.objects.filter(pk=acts.upcoming.pk).update(due_date=today() - timedelta(days=1))
    after = client.get(TRACKER, {"overdue": "true"}).content.decode()

    assert "Chiffrer la phase 2" in before and "Relire le contrat" not in before
    assert "Relire le contrat" in after, "the same row becomes overdue once its date has passed"
    assert "Migrer la base" not in after, "a done action past its date is not overdue"


def test_the_tracker_counts_actions_by_state(client, world, acts):
    services.action_set_state(action=acts.upcoming, state="in_progress", by=world.pmo)
    client.force_login(world.pmo)

    response = client.get(TRACKER)

    assert response.context["counts"] == {"open": 1, "in_progress": 1, "overdue": 1, "done_this_month": 1}


def test_my_actions_lists_open_ones_first_flags_overdue_and_due_this_week(client, world, acts):
    soon = services.action_create(
        title="Valider le planning",
        owner=world.pm,
        due_date=today() + timedelta(days=6 - today().weekday()),
        by=world.pmo,
    )
    finished = services.action_create(title="Ancienne action", owner=world.pm, due_date=today(), by=world.pmo)
    services.action_set_state(action=finished, state="done", by=world.pm, note="Terminé.")
    client.force_login(world.pm)

    page = client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (
        page.index("Chiffrer la phase 2") < page.index("Valider le planning") < page.index("Ancienne action")
    )
    late_row = page[page.index(f'id="action-{acts.late.pk}"') :][:3000]
    soon_row = page[page.index(f'id="action-{soon.pk}"') :][:3000]
    assert "action-overdue" in page and "Overdue" in late_row.split("</tr>")[0]
    assert "Due this week" in soon_row.split("</tr>")[0]
    assert "Relire le contrat" not in page, "only the user's own actions"


# --- Filters, sorting, exports, queries ----------------------------------------------------------------


def tracker(client, **params) -> str:
    return client.get(TRACKER, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_tracker_filters(client, world, gov, acts):
    project_action = services.action_create(
        title="Audit sécurité",
        owner=world.executive,
        due_date=today() + timedelta(days=40),
        by=world.pmo,
        project=ProjectFactory(code="PRJ-0200"),
    )
    client.force_login(world.pmo)

    assert "Migrer" in tracker(client, committee=acts.elsewhere.pk) and "Chiffrer" not in tracker(
        client, committee=acts.elsewhere.pk
    )
    assert "Relire" in tracker(client, owner=world.member.pk) and "Chiffrer" not in tracker(
        client, owner=world.member.pk
    )
    assert "Migrer" in tracker(client, state="done") and "Relire" not in tracker(client, state="done")
    assert "Chiffrer" in tracker(client, origin="decision") and "Relire" not in tracker(
        client, origin="decision"
    )
    assert "Audit" in tracker(client, project=project_action.project_id)
    assert "Chiffrer" not in tracker(client, project=project_action.project_id)
    window = tracker(
        client, due_after=today().isoformat(), due_before=(today() + timedelta(days=30)).isoformat()
    )
    assert "Relire" in window and "Audit" not in window and "Chiffrer" not in window
    assert "Audit" in tracker(client, q="audit") and "Relire" not in tracker(client, q="audit")
    assert "Chiffrer" in tracker(client, q=acts.late.reference)


def test_the_tracker_sorts_by_due_date_both_ways(client, world, acts):
    client.force_login(world.pmo)

    up = tracker(client, sort="due")
    down = tracker(client, sort="-due")

    assert up.index("Chiffrer") < up.index("Migrer") < up.index("Relire")
    assert down.index("Relire") < down.index("Migrer") < down.index("Chiffrer")


def test_the_tracker_exports_csv_and_xlsx_with_typed_cells_and_neutralised_text(client, world, acts):
    Action.objects.filter(pk=acts.upcoming.pk).update(title="@SUM(A1:A9)")
    client.force_login(world.pmo)
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}

    header, *rows = csv_rows(client.get(TRACKER, {"export": "csv", "sort": "due"}, **english))
    response = client.get(TRACKER, {"export": "xlsx", "sort": "due"}, **english)
    xlsx_header, *cells = xlsx_rows(response)

    assert header == xlsx_header and header[:4] == ["Reference", "Title", "Owner", "Due date"]
    assert (
        [row[0] for row in rows]
        == [row[0] for row in cells]
        == [
            acts.late.reference,
            acts.done.reference,
            acts.upcoming.reference,
        ]
    )
    late, done, upcoming = (dict(zip(header, row, strict=True)) for row in rows)
    assert late["Overdue"] == "Yes" and done["Overdue"] == "No" and upcoming["Overdue"] == "No"
    assert late["Decision"] == acts.late.decision.reference and late["State"] == "Open"
    assert done["Completion note"] == "Migrée le week-end." and done["Completed on"] == today().isoformat()
    assert upcoming["Title"] == "'@SUM(A1:A9)"
    xlsx_late, _done, xlsx_upcoming = (dict(zip(header, row, strict=True)) for row in cells)
    assert xlsx_late["Due date"].date() == acts.late.due_date
    assert xlsx_upcoming["Title"] == "'@SUM(A1:A9)"
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M4"
    assert sheet["D2"].number_format == "yyyy-mm-dd" and sheet["A1"].font.bold


def test_a_secretarys_export_holds_only_their_committees_actions(client, gov, acts):
    client.force_login(gov.secretary)

    _header, *rows = csv_rows(client.get(TRACKER, {"export": "csv"}))

    assert sorted(row[0] for row in rows) == sorted([acts.late.reference, acts.upcoming.reference])


def many_actions(count: int, *, owner, committee, by) -> None:
    project = ProjectFactory()
    for n in range(count):
        action = services.action_create(
            title=f"Action {n}",
            owner=owner,
            due_date=today() + timedelta(days=n - count // 2),
            by=by,
            committee=committee,
            project=project,
        )
        if n % 3 == 0:
            services.action_set_state(action=action, state="done", by=by, note="ok")


def test_the_tracker_query_count_does_not_grow_with_actions(client, world, gov, acts):
    client.force_login(world.pmo)
    few = queries(client, TRACKER)
    many_actions(30, owner=UserFactory(roles=[Role.PROJECT_MANAGER]), committee=gov.committee, by=world.pmo)

    # 1 session, 2 user, 3 groups (roles), 4 count for the paginator, 5 the page of actions with owner,
    # committee, meeting, decision and project in one join, 6 the counts by state in one aggregate;
    # then the filter form's choice lists: 7 committees, 8 owners, 9 projects.
    assert queries(client, TRACKER) == few == 9


def test_a_secretarys_tracker_costs_one_more_query_whatever_the_rows(client, gov, acts, world):
    client.force_login(gov.secretary)
    few = queries(client, TRACKER)
    many_actions(30, owner=world.member, committee=gov.committee, by=world.pmo)

    # as for the PMO, plus: does the user run any committee?
    assert queries(client, TRACKER) == few == 10


def test_the_tracker_export_query_count_does_not_grow_with_actions(client, world, gov, acts):
    client.force_login(world.pmo)
    few = queries(client, TRACKER, {"export": "csv"}), queries(client, TRACKER, {"export": "xlsx"})
    many_actions(30, owner=world.pm, committee=gov.committee, by=world.pmo)

    # session, user, groups (roles), the actions with every joined relation in one query.
    assert (
        (queries(client, TRACKER, {"export": "csv"}), queries(client, TRACKER, {"export": "xlsx"}))
        == few
        == (4, 4)
    )


def test_my_actions_query_count_does_not_grow_with_actions(client, world, gov, acts):
    client.force_login(world.pm)
    few = queries(client, MINE)
    many_actions(30, owner=world.pm, committee=gov.committee, by=world.pmo)

    # 1 session, 2 user, 3 groups (roles, for the menu), 4 the open actions and 5 the recently closed
    # ones, each with owner, committee, meeting, decision and project in one join.
    assert queries(client, MINE) == few == 5
