"""Broken dependencies on committee agendas, and the dependency map: a graph of the dependencies between the
reader's projects, the same edges as a table and as CSV; a project the reader may not see is an anonymous
"Confidential project" (no code, no name, no milestone, no id)."""

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance import services as governance
from governance.models import AgendaItem
from governance.selectors import agenda_proposals
from portfolio.models import Milestone, ProjectDependency
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
MAP = reverse("planning:dependency_map")


def milestone(project, name: str, forecast: date) -> Milestone:
    return Milestone.objects.create(
        project=project, name=name, baseline_date=forecast, forecast_date=forecast
    )


def depend(
    consumer, provider_milestone, *, needed_by, consumer_milestone=None, **fields
) -> ProjectDependency:
    return ProjectDependency.objects.create(
        from_project=consumer,
        to_project=provider_milestone.project,
        provider_milestone=provider_milestone,
        consumer_milestone=consumer_milestone,
        needed_by=needed_by,
        **fields,
    )


@pytest.fixture
def consumer(world):
    return ProjectFactory(code="DSI-010", name="Portail RH", project_manager=world.pm, directorate=world.it)


@pytest.fixture
def provider(world):
    return ProjectFactory(
        code="DF-020", name="Socle d'identité", project_manager=world.other_pm, directorate=world.finance
    )


@pytest.fixture
def broken(consumer, provider):
    """DF-020's SSO expected 12 days after DSI-010 needs it."""
    sso = milestone(provider, "SSO livré", TODAY + timedelta(days=42))
    go_live = milestone(consumer, "Mise en production", TODAY + timedelta(days=30))
    return depend(consumer, sso, needed_by=TODAY + timedelta(days=30), consumer_milestone=go_live)


# --- The agenda -------------------------------------------------------------------------------------------


@pytest.fixture
def committee(world, provider):
    """A committee of the provider's directorate: it covers the provider, not the consumer."""
    return CommitteeFactory(scope_directorate=world.finance, secretary=world.pmo)


def dependency_proposals(meeting):
    return [p for p in agenda_proposals(meeting, today=TODAY) if p.key.startswith("dependency-")]


def test_a_broken_dependency_is_proposed_to_a_committee_covering_either_project(world, committee, broken):
    meeting = planned_meeting(committee=committee, by=world.pmo)
    elsewhere = planned_meeting(committee=CommitteeFactory(), by=world.pmo)

    with translation.override("en"):
        [proposal] = dependency_proposals(meeting)

    assert proposal.key == f"dependency-{broken.pk}"
    assert proposal.title == "Broken dependency: DSI-010 Portail RH needs DF-020 Socle d'identité"
    with translation.override("en"):
        expected = date_format(TODAY + timedelta(days=42), "SHORT_DATE_FORMAT")
        needed = date_format(TODAY + timedelta(days=30), "SHORT_DATE_FORMAT")
    assert proposal.reason == f"12 days late: milestone SSO livré expected {expected}, needed by {needed}."
    assert dependency_proposals(elsewhere) == []
    consumers_committee = CommitteeFactory()
    consumers_committee.scope_projects.set([broken.from_project])
    [same] = dependency_proposals(planned_meeting(committee=consumers_committee, by=world.pmo))
    assert same.key == proposal.key


def test_a_confidential_project_outside_the_committees_scope_is_not_named_on_its_agenda(
    world, committee, broken, consumer
):
    # The provider's committee covers the provider, not the consumer: its members may not see a confidential
    # consumer, so the proposal (and the item that takes it up) says "a confidential project".
    consumer.confidential = True
    consumer.save()
    meeting = planned_meeting(committee=committee, by=world.pmo)

    with translation.override("en"):
        [proposal] = dependency_proposals(meeting)

    assert proposal.title == "Broken dependency: a confidential project needs DF-020 Socle d'identité"
    assert "DSI-010" not in proposal.reason and "Portail RH" not in proposal.reason
    assert proposal.project == broken.to_project  # the item is about the project the committee covers


def test_a_dependency_met_in_time_is_not_proposed(world, committee, consumer, provider):
    on_time = milestone(provider, "À l'heure", TODAY + timedelta(days=5))
    depend(consumer, on_time, needed_by=TODAY + timedelta(days=5))

    assert dependency_proposals(planned_meeting(committee=committee, by=world.pmo)) == []


def test_the_preparation_page_proposes_it_and_once_taken_up_it_is_not_proposed_again(
    client, world, committee, broken
):
    meeting = planned_meeting(committee=committee, by=world.pmo)
    client.force_login(world.pmo)
    page = client.get(meeting.get_absolute_url(), **EN).content.decode()
    assert f'value="dependency-{broken.pk}"' in page
    assert "Broken dependency: DSI-010 Portail RH needs DF-020" in page

    response = client.post(
        reverse("governance:agenda_accept", args=[meeting.pk]), {"key": f"dependency-{broken.pk}"}
    )
    later = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=21))

    assert response.status_code == 302
    item = meeting.items.get(kind=AgendaItem.Kind.DECISION_REQUEST)
    with translation.override("fr"):
        assert (
            item.display_title == "Dépendance rompue : DSI-010 Portail RH a besoin de DF-020 Socle d'identité"
        )
    with translation.override("en"):
        assert item.display_title.startswith("Broken dependency: DSI-010")
    assert dependency_proposals(meeting) == []
    assert dependency_proposals(later) == []  # it waits for the meeting that took it up


def test_a_dependency_discussed_and_still_broken_comes_back_to_the_next_meeting(world, committee, broken):
    meeting = planned_meeting(committee=committee, by=world.pmo)
    [proposal] = dependency_proposals(meeting)
    item = governance.agenda_accept(meeting=meeting, proposal=proposal)
    governance.meeting_start(meeting=meeting, by=world.pmo)
    AgendaItem.objects.filter(pk=item.pk).update(minutes="Le fournisseur accélère.")
    governance.meeting_close(meeting=meeting, by=world.pmo)
    later = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=21))

    assert [p.key for p in dependency_proposals(later)] == [f"dependency-{broken.pk}"]


# --- The map ----------------------------------------------------------------------------------------------


def graph_of(response) -> dict:
    found = re.search(
        r'<script id="dependency-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


def test_the_map_draws_broken_edges_red_and_awaiting_ones_dashed(client, world, broken, consumer, provider):
    accepted = depend(
        provider,
        milestone(consumer, "API RH", TODAY),
        needed_by=TODAY + timedelta(days=3),
        accepted_by=world.pm,
        accepted_at=timezone.now(),
    )
    client.force_login(world.pmo)

    response = client.get(MAP, **EN)
    data = graph_of(response)

    assert response.status_code == 200
    assert {n["label"] for n in data["nodes"]} == {"DSI-010", "DF-020"}
    edges = {e["id"]: e for e in data["edges"]}
    assert edges[f"d{broken.pk}"]["broken"] and not edges[f"d{broken.pk}"]["accepted"]
    assert not edges[f"d{accepted.pk}"]["broken"] and edges[f"d{accepted.pk}"]["accepted"]
    assert edges[f"d{broken.pk}"]["from"] == f"p{provider.pk}"  # from the provider to the consumer
    html = response.content.decode()
    assert "BROKEN" in html and "12 days late" in html and "Awaiting acceptance" in html
    assert "planning/dependency_map.js" in html and "vis-network.min.js" in html


def test_the_map_filters_by_directorate_portfolio_and_broken_only(client, world, broken, consumer):
    other = ProjectFactory(code="DSI-030", directorate=world.it)
    fine = depend(other, milestone(consumer, "Référentiel", TODAY), needed_by=TODAY + timedelta(days=9))
    client.force_login(world.pmo)

    def edge_ids(**query) -> set[str]:
        return {e["id"] for e in graph_of(client.get(MAP, query))["edges"]}

    assert edge_ids() == {f"d{broken.pk}", f"d{fine.pk}"}
    assert edge_ids(broken="on") == {f"d{broken.pk}"}
    assert edge_ids(directorate=world.finance.pk) == {f"d{broken.pk}"}
    assert edge_ids(portfolio=other.portfolio_id) == {f"d{fine.pk}"}


def test_the_csv_lists_the_same_edges(client, world, broken):
    client.force_login(world.pmo)

    response = client.get(MAP, {"format": "csv"}, **EN)

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Consumer", "Consumer milestone", "Provider", "Provider milestone"]
    assert rows[1][:4] == ["DSI-010 Portail RH", "Mise en production", "DF-020 Socle d'identité", "SSO livré"]
    assert rows[1][-3:] == ["yes", "12", "no"]


def test_the_map_says_when_there_is_nothing_to_draw_in_both_languages(client, world):
    client.force_login(world.pm)

    english = client.get(MAP, **EN).content.decode()
    french = client.get(MAP, **FR).content.decode()

    assert "No dependency between the projects you may see yet." in english
    assert "Aucune dépendance entre les projets que vous pouvez voir" in french
    assert "dependency-map-data" not in english


def test_a_confidential_provider_is_an_anonymous_node_in_the_page_the_json_and_the_csv(
    client, world, consumer
):
    secret = ProjectFactory(
        code="DF-666", name="Fusion secrète", project_manager=world.other_pm, confidential=True
    )
    hidden = milestone(secret, "Jalon secret", TODAY + timedelta(days=40))
    dependency = depend(consumer, hidden, needed_by=TODAY)
    client.force_login(world.pm)

    page = client.get(MAP, **EN)
    export = client.get(MAP, {"format": "csv"}, **EN).content.decode("utf-8-sig")
    data = graph_of(page)

    for text in (page.content.decode(), json.dumps(data), export):
        assert "DF-666" not in text and "Fusion secrète" not in text and "Jalon secret" not in text
    assert f"p{secret.pk}" not in json.dumps(data)
    assert [n["label"] for n in data["nodes"] if n.get("hidden")] == ["Confidential project"]
    assert data["edges"][0]["id"] == f"d{dependency.pk}" and data["edges"][0]["broken"]
    assert "Confidential project" in export


def test_a_dependency_between_two_hidden_projects_is_not_on_the_map(client, world):
    secrets = [ProjectFactory(confidential=True) for _ in range(2)]
    depend(secrets[0], milestone(secrets[1], "Caché", TODAY), needed_by=TODAY)
    client.force_login(world.pm)

    assert "dependency-map-data" not in client.get(MAP).content.decode()


def test_the_map_costs_the_same_queries_for_ten_and_a_hundred_projects(client, world):
    def grow(to: int) -> None:
        while ProjectDependency.objects.count() < to // 2:
            n = ProjectDependency.objects.count()
            consumer, provider = (
                ProjectFactory(project_manager=world.pm),
                ProjectFactory(confidential=n % 3 == 0),
            )
            depend(consumer, milestone(provider, f"J{n}", TODAY + timedelta(days=n % 7)), needed_by=TODAY)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MAP).status_code == 200
        return len(captured)

    client.force_login(world.pm)
    grow(10)
    ten = queries()
    grow(100)

    # session, user, groups (roles); the dependencies touching the reader's projects with both projects,
    # both milestones and whether the reader sees each end; the directorates and portfolios of the
    # filters (6)
    assert ten == queries() == 6
