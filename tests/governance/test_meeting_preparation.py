import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from governance import services
from governance.models import Action, AgendaItem, Attendance, Meeting, Membership
from governance.selectors import agenda_proposals
from portfolio.models import Milestone, Phase, Project, Rag
from tests.factories import (
    CommitteeFactory,
    ProjectFactory,
    StatusReportFactory,
    UserFactory,
    planned_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def copil(world):
    """The IT directorate's steering committee: `member` votes, `pm` is its secretary."""
    return CommitteeFactory(
        code="copil-dsi",
        name="COPIL DSI",
        secretary=world.pm,
        chair=world.executive,
        scope_directorate=world.it,
        members=[world.member, (UserFactory(username="guest", email=""), Membership.Role.GUEST)],
        quorum=1,
    )


@pytest.fixture
def meeting(copil, world):
    return planned_meeting(committee=copil, by=world.pmo)


def project(world, code: str, **fields) -> Project:
    return ProjectFactory(code=code, name=f"Projet {code}", directorate=world.it, **fields)


def proposals(meeting) -> dict[str, str]:
    """{title or project code: reason} of what the page proposes."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    with translation.override("en"):
        return {
            (p.project.code if p.project and p.kind == AgendaItem.Kind.PROJECT_REVIEW else p.title): p.reason
            for p in agenda_proposals(meeting, today=timezone.localdate())
        }


def page_url(meeting) -> str:
    return reverse("governance:meeting_detail", args=[meeting.pk])


def htmx(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")


# --- Planning --------------------------------------------------------------------------------------------


def test_planning_a_meeting_creates_an_attendance_line_per_member_and_the_chair(client, world, copil):
    client.force_login(world.pm)  # the secretary
    url = reverse("governance:meeting_create", args=[copil.code])

    response = client.post(
        url,
        {
            "starts_at": "2031-03-02T09:30",
            "planned_minutes": 120,
            "location": "Salle du conseil",
            "video_link": "https://visio.example/copil",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == page_url(meeting)
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2031-03-02 09:30"
    assert meeting.created_by == world.pm and meeting.location == "Salle du conseil"
    assert {(a.user.username, a.role) for a in meeting.attendances.all()} == {
        ("member", Membership.Role.VOTING),
        ("guest", Membership.Role.GUEST),
        ("executive", Membership.Role.VOTING),
    }


def test_a_bad_date_keeps_what_was_typed(client, world, copil):
    client.force_login(world.pmo)

    response = client.post(
        reverse("governance:meeting_create", args=[copil.code]),
        {"starts_at": "demain", "planned_minutes": 5, "location": "Salle 4"},
    )

    assert response.status_code == 200 and not Meeting.objects.exists()
    assert set(response.context["form"].errors) == {"starts_at", "planned_minutes"}
    assert 'value="Salle 4"' in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_meeting_forms_labels_are_capitalised_like_one_another(client, world, copil, language):
    client.force_login(world.pmo)

    html = client.get(reverse("governance:meeting_create", args=[copil.code]), HTTP_ACCEPT_LANGUAGE=language)
    labels = {
        name: " ".join(re.sub(r"<[^>]+>", "", text).split())
        for name, text in re.findall(
            r'<label\s+for="id_(\w+)"[^>]*>(.*?)</label>', html.content.decode(), re.S
        )
    }

    assert set(labels) >= {"starts_at", "planned_minutes", "location", "video_link", "title"}
    assert all(label[0].isupper() for label in labels.values()), labels
    with translation.override(language):
        assert labels["video_link"] == gettext("video link")[0].upper() + gettext("video link")[1:]


def test_a_planned_meeting_is_edited_a_closed_one_is_not(client, world, meeting):
    client.force_login(world.pmo)
    edit = reverse("governance:meeting_edit", args=[meeting.pk])

    response = client.post(edit, {"starts_at": "2031-04-01T14:00", "planned_minutes": 60, "location": "B12"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.location == "B12" and meeting.planned_minutes == 60

    services.meeting_start(meeting=meeting, by=world.pmo)
    response = client.post(edit, {"starts_at": "2031-04-01T14:00", "planned_minutes": 30, "location": "C"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.location == "B12"


@pytest.mark.parametrize(
    ("who", "status"),
    [("pmo", 200), ("pm", 200), ("member", 403), ("executive", 403), ("other_pm", 404)],
)
def test_who_may_plan_a_meeting(client, world, copil, who, status):
    client.force_login(getattr(world, who))

    assert client.get(reverse("governance:meeting_create", args=[copil.code])).status_code == status


# --- Access to the meeting's page and its agenda ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "name", "method", "status"),
    [
        ("other_pm", "meeting_detail", "get", 404),
        ("other_pm", "agenda_add", "post", 404),
        ("other_pm", "meeting_edit", "get", 404),
        ("member", "meeting_detail", "get", 200),
        ("member", "meeting_edit", "get", 403),
        ("member", "agenda_add", "post", 403),
        ("member", "agenda_accept", "post", 403),
        ("executive", "agenda_accept", "post", 403),
        ("member", "agenda_add", "get", 405),
        ("pm", "meeting_edit", "get", 200),
    ],
)
def test_access_to_the_meeting_and_its_agenda(client, world, meeting, who, name, method, status):
    client.force_login(getattr(world, who))

    response = getattr(client, method)(reverse(f"governance:{name}", args=[meeting.pk]), {"key": "all"})

    assert response.status_code == status


def test_a_member_reads_the_agenda_without_the_controls(client, world, meeting):
    services.agenda_add(meeting=meeting, title="Budget 2027", kind=AgendaItem.Kind.DECISION_REQUEST)
    client.force_login(world.member)

    page = client.get(page_url(meeting), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Budget 2027" in page
    assert "Add to agenda" not in page and "Move up" not in page and "Start the meeting" not in page


def test_member_moves_and_removes_are_refused(client, world, meeting):
    item = services.agenda_add(meeting=meeting, title="Budget 2027")
    client.force_login(world.member)

    for name in ("agenda_move", "agenda_remove"):
        url = reverse(f"governance:{name}", args=[meeting.pk, item.pk])
        assert client.post(url, {"direction": "up"}).status_code == 403
    assert meeting.items.count() == 1


# --- Proposals from exceptions ---------------------------------------------------------------------------


def test_red_and_amber_projects_are_proposed_green_ones_are_not(world, meeting):
    StatusReportFactory(project=project(world, "PRJ-0001"), rag=Rag.RED)
    StatusReportFactory(project=project(world, "PRJ-0002"), rag=Rag.AMBER)
    StatusReportFactory(project=project(world, "PRJ-0003"), rag=Rag.GREEN)
    # Not live; out of scope; stale (not this period's colour).
    StatusReportFactory(project=project(world, "PRJ-0004", state=Project.State.CLOSED), rag=Rag.RED)
    StatusReportFactory(project=ProjectFactory(code="PRJ-0005", directorate=world.finance), rag=Rag.RED)
    StatusReportFactory(project=project(world, "PRJ-0006"), rag=Rag.RED, weeks_ago=5)

    assert proposals(meeting) == {"PRJ-0001": "Red", "PRJ-0002": "Amber"}


def test_a_project_that_worsened_since_the_last_meeting_says_so(world, copil, meeting):
    earlier = planned_meeting(committee=copil, starts_at=timezone.now() - timedelta(weeks=3))
    assert meeting.previous() == earlier
    crm = project(world, "PRJ-0001")
    StatusReportFactory(project=crm, rag=Rag.GREEN, weeks_ago=4)
    StatusReportFactory(project=crm, rag=Rag.RED)
    steady = project(world, "PRJ-0002")
    StatusReportFactory(project=steady, rag=Rag.AMBER, weeks_ago=4)
    StatusReportFactory(project=steady, rag=Rag.AMBER)

    assert proposals(meeting) == {
        "PRJ-0001": "Red; worsened since last meeting (green → red)",
        "PRJ-0002": "Amber",
    }


def test_slipped_and_overdue_milestones_make_a_project_proposed(world, meeting):
    today = timezone.localdate()
    late = project(world, "PRJ-0001")
    StatusReportFactory(project=late, rag=Rag.AMBER)
    Milestone.objects.create(
        project=late,
        name="Recette",
        baseline_date=today + timedelta(days=10),
        forecast_date=today + timedelta(40),
    )
    Milestone.objects.create(
        project=late,
        name="Pilote",
        baseline_date=today - timedelta(days=9),
        forecast_date=today - timedelta(2),
    )
    on_time = project(world, "PRJ-0002")
    Milestone.objects.create(
        project=on_time, name="Met late", baseline_date=today - timedelta(30), forecast_date=today,
        actual_date=today - timedelta(1),
    )  # fmt: skip
    overdue = project(world, "PRJ-0003")
    Milestone.objects.create(
        project=overdue,
        name="Go-live",
        baseline_date=today - timedelta(3),
        forecast_date=today - timedelta(3),
    )

    assert proposals(meeting) == {
        "PRJ-0001": "Amber; 2 milestones slipped",
        "PRJ-0003": "1 milestone slipped",
    }


def test_a_pending_stage_gate_is_proposed_with_its_review(world, copil, meeting):
    crm = project(world, "PRJ-0001", phase=Phase.objects.get(name_en="Build"))
    review = services.gate_review_request(project=crm, committee=copil, by=world.pm)
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)

    with translation.override("en"):
        (gate,) = agenda_proposals(meeting, today=timezone.localdate())

    assert gate.kind == AgendaItem.Kind.STAGE_GATE and gate.gate_review == review and gate.project == crm
    assert gate.title.startswith("Stage gate PRJ-0001: ")


def test_open_actions_of_the_committee_make_one_follow_up_item(world, copil):
    earlier = planned_meeting(committee=copil, starts_at=timezone.now() - timedelta(weeks=3))
    for title, due in (("Chiffrer le lot 2", -5), ("Relancer le fournisseur", 10)):
        services.action_create(
            title=title, owner=world.member, due_date=timezone.localdate() + timedelta(days=due),
            meeting=earlier, by=world.pmo,
        )  # fmt: skip
    done = services.action_create(
        title="Fait", owner=world.member, due_date=timezone.localdate(), meeting=earlier, by=None
    )
    done.state = Action.State.DONE
    done.save()
    meeting = planned_meeting(committee=copil)

    assert proposals(meeting) == {"Follow-up of the previous meeting's actions": "2 open actions, 1 overdue"}


def test_several_reasons_for_one_project_merge_and_the_worst_comes_first(world, copil, meeting):
    planned_meeting(committee=copil, starts_at=timezone.now() - timedelta(weeks=3))
    today = timezone.localdate()
    crm = project(world, "PRJ-0009")
    StatusReportFactory(project=crm, rag=Rag.GREEN, weeks_ago=4)
    StatusReportFactory(project=crm, rag=Rag.RED)
    Milestone.objects.create(project=crm, name="A", baseline_date=today, forecast_date=today + timedelta(9))
    Milestone.objects.create(project=crm, name="B", baseline_date=today, forecast_date=today + timedelta(9))
    StatusReportFactory(project=project(world, "PRJ-0001"), rag=Rag.AMBER)

    assert list(proposals(meeting).items()) == [
        ("PRJ-0009", "Red; worsened since last meeting (green → red); 2 milestones slipped"),
        ("PRJ-0001", "Amber"),
    ]


def test_accepting_puts_the_proposal_on_the_agenda_once(client, world, meeting):
    crm = project(world, "PRJ-0001", project_manager=world.other_pm)
    StatusReportFactory(project=crm, rag=Rag.RED)
    client.force_login(world.pmo)

    response = htmx(
        client, reverse("governance:agenda_accept", args=[meeting.pk]), {"key": f"project-{crm.pk}"}
    )

    assert response.status_code == 200
    assert "governance/_agenda.html" in [t.name for t in response.templates]
    item = meeting.items.get()
    assert (item.project, item.kind, item.reason, item.presenter) == (
        crm,
        "project_review",
        "Red",
        world.other_pm,
    )
    assert item.planned_minutes == 15
    assert proposals(meeting) == {}
    # Posting the same proposal again (a double click) adds nothing.
    htmx(client, reverse("governance:agenda_accept", args=[meeting.pk]), {"key": f"project-{crm.pk}"})
    assert meeting.items.count() == 1


def test_add_all_puts_every_proposal_on_the_agenda_worst_first(client, world, copil, meeting):
    StatusReportFactory(project=project(world, "PRJ-0001"), rag=Rag.AMBER)
    StatusReportFactory(project=project(world, "PRJ-0002"), rag=Rag.RED)
    gate = services.gate_review_request(
        project=project(world, "PRJ-0003", phase=Phase.objects.get(name_en="Build")), committee=copil, by=None
    )
    client.force_login(world.pm)

    htmx(client, reverse("governance:agenda_accept", args=[meeting.pk]), {"key": "all"})

    items = list(meeting.items.order_by("order"))
    assert [i.kind for i in items] == ["stage_gate", "project_review", "project_review"]
    assert items[0].gate_review == gate
    assert [i.project.code for i in items[1:]] == ["PRJ-0002", "PRJ-0001"]
    assert proposals(meeting) == {}


def test_an_own_item_is_added_with_a_project_of_the_scope_only(client, world, meeting):
    crm = project(world, "PRJ-0001")
    elsewhere = ProjectFactory(directorate=world.finance)
    client.force_login(world.pmo)
    url = reverse("governance:agenda_add", args=[meeting.pk])
    item = {
        "kind": "decision_request",
        "title": "Budget 2027",
        "planned_minutes": 20,
        "presenter": world.pm.pk,
    }

    refused = htmx(client, url, {**item, "project": elsewhere.pk})
    assert refused.status_code == 200 and not meeting.items.exists()
    assert "Budget 2027" in refused.content.decode()  # what was typed is still there

    htmx(client, url, {**item, "project": crm.pk})
    added = meeting.items.get()
    assert (added.title, added.project, added.presenter, added.planned_minutes) == (
        "Budget 2027",
        crm,
        world.pm,
        20,
    )


def test_items_move_up_and_down_and_are_removed(client, world, meeting):
    first, second, third = (services.agenda_add(meeting=meeting, title=t) for t in ("Un", "Deux", "Trois"))
    client.force_login(world.pmo)

    def move(item, direction):
        return htmx(
            client, reverse("governance:agenda_move", args=[meeting.pk, item.pk]), {"direction": direction}
        )

    def titles():
        return list(meeting.items.order_by("order").values_list("title", flat=True))

    move(third, "up")
    assert titles() == ["Un", "Trois", "Deux"]
    response = move(first, "down")
    assert titles() == ["Trois", "Un", "Deux"]
    assert f'data-focus="item-{first.pk}-down"' in response.content.decode()
    move(first, "down")
    move(first, "down")  # already last: stays
    assert titles() == ["Trois", "Deux", "Un"]

    htmx(client, reverse("governance:agenda_remove", args=[meeting.pk, second.pk]))
    assert titles() == ["Trois", "Un"]


def test_without_htmx_the_agenda_buttons_come_back_to_the_page(client, world, meeting):
    item = services.agenda_add(meeting=meeting, title="Un")
    client.force_login(world.pmo)

    response = client.post(reverse("governance:agenda_remove", args=[meeting.pk, item.pk]))

    assert response.status_code == 302 and response.url == page_url(meeting)
    assert not meeting.items.exists()


def test_the_page_shows_the_agenda_total_against_the_meetings_duration(client, world, meeting):
    meeting.planned_minutes = 30
    meeting.save()
    services.agenda_add(meeting=meeting, title="Un", planned_minutes=20)
    services.agenda_add(meeting=meeting, title="Deux", planned_minutes=25)
    client.force_login(world.pmo)

    page = client.get(page_url(meeting), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "45 of 30 min planned" in page and "Over time" in page


def test_preparation_page_query_count_does_not_grow_with_projects(client, world, copil, meeting):
    client.force_login(world.pmo)
    planned_meeting(committee=copil, starts_at=timezone.now() - timedelta(weeks=3))

    def exceptions(count, first):
        for number in range(first, first + count):
            crm = project(world, f"PRJ-{number:04d}")
            StatusReportFactory(project=crm, rag=Rag.RED)
            services.agenda_add(meeting=meeting, title=crm.name, project=crm, presenter=world.pm)
            StatusReportFactory(project=project(world, f"PRJ-{number + 500:04d}"), rag=Rag.AMBER)

    exceptions(2, 1)
    few = queries_for(client, page_url(meeting))
    exceptions(20, 100)

    # 1 session, 2 user, 3 groups (roles), 4 the meeting with its committee, secretary, chair and creator,
    # 5 is the user running it?, 6 the agenda items with presenter, project, last report and gate,
    # then the proposals: 7 the items earlier meetings did not discuss, 8 the previous meeting, 9 pending
    # gates, 10 the projects in scope with their colour then and now and late milestones, 11 open actions
    # (the agenda is already loaded), 12 the risks escalated to the committee (the risks app's agenda
    # source; the risk policy only when there are some: see tests/risks/test_meetings.py), 13 the change
    # requests routed to the committee (planning's agenda source); planning's dependencies: 14 the
    # committee's items already about a dependency, 15 the broken dependencies touching its scope
    # (tests/planning/test_dependency_map.py); the follow-up reviews of delivery confidence assessments
    # (governance.follow_ups): 16 the committee's items already about one, 17 those due in its scope;
    # benefits at risk (benefits.meetings): 18 the approved profiles of its scope (their actuals and the
    # waiting items only when there are some: tests/benefits/test_benefits_meetings.py);
    # 19 the exception reports submitted to the committee (standards.meetings_exception; the waiting items
    # only when there are some); 20 the governance documents' versions proposed for the committee's
    # approval (standards.document_integration; the waiting items only when there are some); 21 the
    # attendance lines with their users; the add form's choices: 22 projects, 23 presenters.
    assert queries_for(client, page_url(meeting)) == few == 23


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# --- During and after the meeting ------------------------------------------------------------------------


def test_a_meeting_in_progress_shows_a_banner(client, world, meeting):
    services.meeting_start(meeting=meeting, by=world.pmo)
    client.force_login(world.member)

    page = client.get(page_url(meeting), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "The meeting is in progress." in page


def test_a_closed_meeting_shows_its_minutes(client, world, meeting):
    crm = project(world, "PRJ-0001")
    item = services.agenda_add(meeting=meeting, title="Revue PRJ-0001", project=crm, kind="project_review")
    services.meeting_start(meeting=meeting, by=world.pmo)
    item.minutes = "Le lot 2 est décalé d'un mois."
    item.save()
    decision = services.decision_record(
        committee=meeting.committee, meeting=meeting, agenda_item=item, title="Décaler le lot 2", by=world.pmo
    )
    action = services.action_create(
        title="Replanifier le lot 2", owner=world.pm, due_date=timezone.localdate() + timedelta(days=14),
        meeting=meeting, decision=decision, by=world.pmo,
    )  # fmt: skip
    Action.objects.filter(pk=action.pk).update(agenda_item=item)
    attendance = meeting.attendances.get(user=world.member)
    services.attendance_set(attendance=attendance, status=Attendance.Status.PRESENT)
    services.meeting_close(meeting=meeting, by=world.pmo)
    client.force_login(world.member)

    page = client.get(page_url(meeting), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Minutes" in page and "Le lot 2 est décalé d&#x27;un mois." in page
    assert decision.reference in page and "Décaler le lot 2" in page and "Approved" in page
    assert action.reference in page and "Replanifier le lot 2" in page and str(world.pm) in page
    assert "Present" in page
    assert "Add to agenda" not in page


def test_a_secretary_is_neither_shown_nor_given_a_project_they_may_not_see(client, world, meeting):
    """The committee reaches the confidential project through its directorate only: its secretary
    (`pm`, who does not manage it) may not see it, so it is not proposed to them, nor added by "all"."""
    StatusReportFactory(project=project(world, "PRJ-0001"), rag=Rag.RED)
    StatusReportFactory(
        project=project(world, "PRJ-0009", project_manager=world.other_pm, confidential=True), rag=Rag.RED
    )
    client.force_login(world.pm)

    page = client.get(page_url(meeting)).content.decode()
    htmx(client, reverse("governance:agenda_accept", args=[meeting.pk]), {"key": "all"})

    assert "PRJ-0001" in page and "PRJ-0009" not in page
    assert list(meeting.items.values_list("project__code", flat=True)) == ["PRJ-0001"]
    assert set(proposals(meeting)) == {"PRJ-0009"}, "still proposed to whoever may see it"
