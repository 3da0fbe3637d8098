"""Pinned query counts of the demand forms: submitting and editing a request (its cost and people grids),
the criteria draft, scoring a project and a new scenario each read a fixed number of queries, whatever
the number of roles, years, criteria, earlier scores or versions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demand.forms import grid_years
from demand.models import CriteriaSet, Criterion
from demand.scoring_services import criteria_draft
from resources.models import ResourceRole
from tests.demand.intake_world import _in_english, submit  # noqa: F401
from tests.demand.scoring_world import portfolio_committee, score
from tests.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_in_english")]


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def more_roles(count: int) -> list[ResourceRole]:
    made = []
    for i in range(count):
        values = {"name": f"Rôle {i}", "name_en": f"Role {i}", "order": 10 + i}
        made.append(ResourceRole.objects.get_or_create(code=f"R{i:02}", defaults=values)[0])
    return made


def a_version(criteria: int, *, number: int, published=True) -> CriteriaSet:
    version = CriteriaSet.objects.create(number=number, published_at=timezone.now() if published else None)
    for i in range(criteria):
        Criterion.objects.create(criteria_set=version, code=f"c{i}", name=f"Critère {i}",
                                 name_en=f"Criterion {i}", weight=1 + i, scale_max=5, order=i)  # fmt: skip
    return version


def test_the_new_request_form_does_not_grow_with_roles(client, world, django_assert_num_queries):
    client.force_login(world.pm)
    url = reverse("demand:request_new")
    small = queries(client, url)
    more_roles(6)
    ProjectFactory(strategic_objective="Expérience client", directorate=world.it, project_manager=world.pm)
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the user's groups (the roles); the active roles of the people grid; the
    # strategic objectives suggested (the projects the user sees); the people for the sponsor and the
    # proposed manager (a list each). A requester does not choose the directorate: no list of them.
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert "Role 5" in page  # the grid has a row per role


def test_the_request_edit_form_does_not_grow_with_its_costs_and_people(
    client, world, django_assert_num_queries
):
    client.force_login(world.pm)
    few = submit(world.pm, costs={}, needs={})
    small = queries(client, reverse("demand:request_edit", kwargs={"code": few.code}))
    years = grid_years(timezone.localdate())
    roles = more_roles(6)
    many = submit(
        world.pm,
        costs={year: Decimal(1000 + year) for year in years},
        needs={(role, year): Decimal(2) for role in roles for year in years},
    )
    url = reverse("demand:request_edit", kwargs={"code": many.code})
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups; the request with its people; its costs, its needs with their
    # roles, its attachments (three prefetches, whose costs and needs fill the grids); may the user edit
    # it; the active roles of the people grid; the strategic objectives; the sponsors, the managers.
    with django_assert_num_queries(12):
        page = client.get(url).content.decode()
    assert "Role 5" in page


def test_the_criteria_draft_does_not_grow_with_its_criteria(client, world, django_assert_num_queries):
    client.force_login(world.pmo)
    url = reverse("demand:criteria_edit")
    draft = criteria_draft(by=world.pmo)
    small = queries(client, url)
    for i in range(1, 9):
        Criterion.objects.create(criteria_set=draft, code=f"n{i}", name=f"Nouveau {i}", weight=2, scale_max=5,
                                 order=i)  # fmt: skip
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups; the draft; the draft's criteria for the formset; its criteria
    # again for the weights beside it (as shares of the total).
    with django_assert_num_queries(6):
        client.get(url)


def test_the_score_form_does_not_grow_with_criteria_and_earlier_scores(
    client, world, django_assert_num_queries
):
    members = [UserFactory(username=f"juge{i}", roles=[], directorate=world.it) for i in range(4)]
    portfolio_committee(members=[world.member, *members])
    project = ProjectFactory(code="PRJ-0100", directorate=world.it, project_manager=world.pm)
    client.force_login(world.pmo)
    url = reverse("demand:project_score", kwargs={"code": project.code})
    a_version(2, number=91)
    score(project, world.pmo, 3, 4)
    small = queries(client, url)
    version = a_version(9, number=92)
    for scorer in [world.pmo, world.member, *members]:
        score(project, scorer, *([4] * 9), criteria_set=version)
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups (the PMO scores: no committee to read); the project (its
    # visibility rule in the same query); the current version; its criteria; the user's own score on it
    # with its values (a prefetch). The other scorers' scores are not read.
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    assert "Criterion 8" in page  # the ninth criterion of the current version


def test_a_new_scenario_does_not_grow_with_the_versions(client, world, django_assert_num_queries):
    client.force_login(world.pmo)
    url = reverse("demand:scenario_new")
    a_version(2, number=91)
    small = queries(client, url)
    for number in range(92, 98):
        a_version(2, number=number)
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups; the current version (the field's initial choice); the published
    # versions (the field's choices).
    with django_assert_num_queries(5):
        client.get(url)
