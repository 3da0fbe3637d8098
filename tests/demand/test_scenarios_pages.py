"""Reading scenarios: who reads, who changes, a confidential project kept unnamed, the comparison, and
pages whose query counts do not grow with the candidates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from demand import scenarios as services
from governance.models import Committee
from tests.demand.scenario_world import NEXT_YEAR, criteria, give_score, make_request
from tests.factories import CommitteeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def portfolio_member(world):
    CommitteeFactory(kind=Committee.Kind.PORTFOLIO, members=[world.member])
    return world.member


def a_scenario(world, version, *, name="Base", cap=100):
    scenario = services.scenario_create(name=name, first_year=NEXT_YEAR, years=1, criteria_set=version,
                                        by=world.pmo)  # fmt: skip
    services.scenario_set_budgets(scenario=scenario, caps={NEXT_YEAR: Decimal(cap)})
    return services.scenario_compute(scenario=scenario)


def test_a_portfolio_committee_member_reads_a_scenario_but_cannot_compute_it(client, world, portfolio_member):
    version = criteria()
    make_request("DEM-A", directorate=world.it, version=version, scorer=world.pmo, score=90, cost=60)
    scenario = a_scenario(world, version)
    client.force_login(portfolio_member)

    page = client.get(reverse("demand:scenario_detail", args=[scenario.pk]))
    computing = client.post(reverse("demand:scenario_compute", args=[scenario.pk]))
    forcing = client.post(reverse("demand:scenario_force", args=[scenario.pk]), {"key": "r1", "forced": "in"})

    assert page.status_code == 200
    assert "DEM-A" in page.content.decode()
    assert ">Compute<" not in page.content.decode()
    assert (computing.status_code, forcing.status_code) == (403, 403)


def test_someone_outside_the_portfolio_committees_gets_403(client, world):
    scenario = a_scenario(world, criteria())
    client.force_login(world.pm)

    assert client.get(reverse("demand:scenario_detail", args=[scenario.pk])).status_code == 403
    assert client.get(reverse("demand:scenario_list")).status_code == 403


def test_a_confidential_project_is_not_named_to_a_member_who_may_not_see_it_but_is_counted(
    client, world, portfolio_member
):
    version = criteria()
    secret = ProjectFactory(code="SEC-001", name="Fusion secrète", confidential=True, directorate=world.it)
    give_score(version, 80, scorer=world.pmo, project=secret)
    scenario = a_scenario(world, version)
    assert f"p{secret.pk}" in scenario.result["selected"]

    client.force_login(portfolio_member)
    member_page = client.get(reverse("demand:scenario_detail", args=[scenario.pk])).content.decode()
    client.force_login(world.executive)
    executive_page = client.get(reverse("demand:scenario_detail", args=[scenario.pk])).content.decode()

    assert "SEC-001" not in member_page and "Fusion secrète" not in member_page
    assert "a confidential project" in member_page
    assert "80.0" in member_page  # its score counts in the total all the same
    assert "SEC-001" in executive_page


def test_the_comparison_shows_what_differs_between_two_scenarios(client, world):
    version = criteria()
    for code, score, cost in (("DEM-A", 90, 60), ("DEM-B", 70, 50), ("DEM-C", 40, 40)):
        make_request(code, directorate=world.it, version=version, scorer=world.pmo, score=score, cost=cost)
    tight = a_scenario(world, version, name="Serré", cap=100)
    loose = a_scenario(world, version, name="Large", cap=200)
    client.force_login(world.executive)

    page = client.get(reverse("demand:scenario_compare"), {"ids": [tight.pk, loose.pk]}).content.decode()

    assert "Serré" in page and "Large" in page
    assert page.count('class="table-warning differs"') == 1  # DEM-B: out when tight, in when loose
    differs = page.split('class="table-warning differs"')[1].split("</tr>")[0]
    assert "DEM-B" in differs
    assert "130.0" in page and "200.0" in page


def candidates_and_scenarios(world, count: int, version):
    for index in range(count):
        make_request(
            f"DEM-{index:03}", directorate=world.it, version=version, scorer=world.pmo, score=50, cost=10
        )


@pytest.mark.parametrize("count", [3, 12])
def test_the_pages_read_a_fixed_number_of_queries(client, world, django_assert_num_queries, count):
    version = criteria()
    candidates_and_scenarios(world, count, version)
    first, second = a_scenario(world, version, name="Un"), a_scenario(world, version, name="Deux", cap=50)
    client.force_login(world.pmo)

    # list: session, user, roles (one read, kept on the user), the scenarios (their figures are in their
    # stored result; the PMO sees every project, so no query for the hidden ones)
    with django_assert_num_queries(4):
        assert client.get(reverse("demand:scenario_list")).status_code == 200
    # detail: session, user, roles, the scenario, its forced choices, its budget caps (for the form)
    with django_assert_num_queries(6):
        assert client.get(reverse("demand:scenario_detail", args=[first.pk])).status_code == 200
    # compare: session, user, roles, the scenarios compared, the open ones for the picker
    with django_assert_num_queries(5):
        response = client.get(reverse("demand:scenario_compare"), {"ids": [first.pk, second.pk]})
        assert response.status_code == 200
