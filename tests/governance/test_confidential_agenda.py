"""A committee's meetings, for a member who may not see a confidential project on their agenda.

The committee oversees a portfolio (not naming the project), so its member gets 404 on the project;
its agenda holds an item about the project and a free-text item that spells out the project's name.
Wherever the member reads the meeting (its page, the live page, the invitation, the calendar feed,
the API, the pack and the minutes) both items are a "Confidential item", with nothing of the project.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import AgendaItem, CalendarFeed, Membership
from portfolio.models import Project
from reporting.models import Report
from reporting.reports import report_build, report_request
from tests.factories import CommitteeFactory, PortfolioFactory, ProjectFactory

pytestmark = pytest.mark.django_db

CODE, NAME = "PRJ-0083", "Fusion des filiales Sahel"


@pytest.fixture(autouse=True)
def _in_english(settings):
    # The placeholders are asserted in English, the source language (French is the app's default).
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agenda(world):
    portfolio = PortfolioFactory(code="PF-STRAT", directorate=world.it)
    open_project = ProjectFactory(code="PRJ-0001", name="Portail clients", portfolio=portfolio)
    secret = ProjectFactory(
        code=CODE, name=NAME, portfolio=portfolio, project_manager=world.pm, confidential=True
    )
    committee = CommitteeFactory(code="comite-portefeuille", scope_portfolio=portfolio, secretary=world.pmo)
    Membership.objects.create(committee=committee, user=world.member)
    meeting = services.meeting_plan(
        committee=committee, starts_at=timezone.now() + timedelta(days=2), by=world.pmo
    )
    services.agenda_add(meeting=meeting, title="Revue du portail", project=open_project)
    about = services.agenda_add(
        meeting=meeting, title=f"{CODE} {NAME}", kind=AgendaItem.Kind.PROJECT_REVIEW, project=secret
    )
    services.agenda_add(
        meeting=meeting, title=f"Point d'étape {NAME}", kind=AgendaItem.Kind.INFORMATION, project=None
    )
    return meeting, secret, about


def member_client(world) -> Client:
    client = Client()
    client.force_login(world.member)
    return client


def test_a_committee_that_names_a_confidential_project_opens_it_to_its_people(client, world, agenda):
    meeting, secret, _about = agenda
    client.force_login(world.member)
    assert client.get(secret.get_absolute_url()).status_code == 404, "a portfolio scope does not open it"

    meeting.committee.scope_projects.add(secret)

    assert client.get(secret.get_absolute_url()).status_code == 200
    assert Project.objects.visible_to(world.member).filter(pk=secret.pk).exists()
    chair = meeting.committee.chair
    assert Project.objects.visible_to(chair).filter(pk=secret.pk).exists(), "the chair sits on it too"
    assert not Project.objects.visible_to(world.other_pm).filter(pk=secret.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda m: reverse("governance:meeting_detail", args=[m.pk]),
        lambda m: reverse("governance:meeting_live", args=[m.pk]),
        lambda m: reverse("governance:meeting_ics", args=[m.pk]),
        lambda m: reverse("api:meeting-detail", args=[m.pk]),
        lambda m: reverse("api:meeting-list"),
        lambda m: reverse("governance:committee_detail", args=[m.committee.code]),
    ],
    ids=["meeting page", "live page", "invitation.ics", "API meeting", "API meetings", "committee page"],
)
def test_an_agenda_item_about_a_project_the_reader_may_not_see_is_a_confidential_item(world, agenda, url):
    meeting, _secret, _about = agenda
    response = member_client(world).get(url(meeting))

    text = response.content.decode()
    assert response.status_code == 200
    assert CODE not in text and NAME not in text
    if "committee" not in response.request["PATH_INFO"]:
        assert "Confidential item" in text and "Revue du portail" in text


def test_the_pmo_reads_the_agenda_as_it_is(client, world, agenda):
    meeting, _secret, _about = agenda
    client.force_login(world.pmo)

    text = client.get(reverse("governance:meeting_detail", args=[meeting.pk])).content.decode()

    assert CODE in text and NAME in text and "Confidential item" not in text


def test_the_calendar_feed_does_not_name_it(world, agenda):
    feed = CalendarFeed.of(world.member)

    ics = Client().get(reverse("governance:calendar_feed", args=[feed.token])).content.decode()

    assert "Confidential item" in ics.replace("\r\n ", "")
    assert CODE not in ics and "Sahel" not in ics


def test_the_live_page_shows_the_item_on_the_screen_without_its_project(client, world, agenda):
    meeting, _secret, about = agenda
    services.meeting_start(meeting=meeting, by=world.pmo)
    services.meeting_show_item(meeting=meeting, item=about)

    text = member_client(world).get(reverse("governance:live_poll", args=[meeting.pk])).content.decode()

    assert "Confidential item" in text
    assert CODE not in text and NAME not in text


def pdf_text(report: Report) -> str:
    pdf = report.file.read()
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_pack_built_for_the_committee_leaves_the_project_out_and_says_so(
    world, agenda, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting, _secret, _about = agenda
    meeting.items.filter(title="Revue du portail").update(project=None)  # a page needs a status report
    report, _created = report_request(kind=Report.Kind.PACK, meeting=meeting, language="en", queue=False)

    report = report_build(report.pk)

    text = " ".join(pdf_text(report).split())
    assert CODE not in text and NAME not in text
    assert "2 confidential items" in text and "Revue du portail" in text


def test_the_minutes_leave_out_the_decisions_about_it(world, agenda, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, secret, about = agenda
    services.meeting_start(meeting=meeting, by=world.pmo)
    services.decision_record(
        committee=meeting.committee,
        meeting=meeting,
        agenda_item=about,
        title="Fusion reportée au T3",
        project=secret,
        by=world.pmo,
    )
    services.meeting_close(meeting=meeting, by=world.pmo)

    page = member_client(world).get(reverse("governance:meeting_detail", args=[meeting.pk])).content.decode()
    report, _created = report_request(kind=Report.Kind.MINUTES, meeting=meeting, language="en", queue=False)
    minutes = " ".join(pdf_text(report_build(report.pk)).split())

    for text in (page, minutes):
        assert CODE not in text and NAME not in text and "Fusion reportée" not in text
        assert "confidential items" in text


def test_an_owner_reads_their_action_without_the_project_it_is_about(client, world, agenda):
    _meeting, secret, _about = agenda
    action = services.action_create(
        title="Chiffrer le scénario",
        owner=world.member,
        due_date=timezone.localdate(),
        by=world.pmo,
        project=secret,
    )
    client.force_login(world.member)

    for url in (reverse("governance:my_actions"), action.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "Chiffrer le scénario" in response.content.decode()
        assert CODE not in response.content.decode()
