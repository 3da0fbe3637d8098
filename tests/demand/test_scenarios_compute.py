"""Computing a scenario: the best score within the caps, the PMO's forced choices, an impossible forced
set explained, and at most four open scenarios."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from demand import scenarios as services
from demand.models import PortfolioScenario
from tests.demand.scenario_world import NEXT_YEAR, criteria, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def three(world):
    """Three requests for next year: A (score 90, 60), B (70, 50), C (40, 40); a cap of 100 funds two."""
    version = criteria()
    requests = {
        code: make_request(
            code, directorate=world.it, version=version, scorer=world.pmo, score=score, cost=cost
        )
        for code, score, cost in (("DEM-A", 90, 60), ("DEM-B", 70, 50), ("DEM-C", 40, 40))
    }
    scenario = services.scenario_create(
        name="Budget serré", first_year=NEXT_YEAR, years=1, criteria_set=version, by=world.pmo
    )
    services.scenario_set_budgets(scenario=scenario, caps={NEXT_YEAR: Decimal(100)})
    return scenario, requests


def selected_codes(scenario) -> set[str]:
    scenario.refresh_from_db()
    keys = set(scenario.result["selected"])
    return {c["code"] for c in scenario.result["candidates"] if c["key"] in keys}


def test_compute_selects_the_best_score_that_fits_the_cap(three):
    scenario, _ = three

    services.scenario_compute(scenario=scenario)

    # A + C: 130 for a cost of 100; A + B costs 110, B + C scores 110.
    assert selected_codes(scenario) == {"DEM-A", "DEM-C"}
    assert scenario.result["status"] == "optimal"
    assert scenario.result["score"] == "130.0"
    assert scenario.result["cost"] == {str(NEXT_YEAR): "100.00"}


def test_forced_out_and_forced_in_are_respected(three):
    scenario, requests = three

    services.scenario_force(scenario=scenario, key=f"r{requests['DEM-A'].pk}", forced="out")
    services.scenario_compute(scenario=scenario)
    assert selected_codes(scenario) == {"DEM-B", "DEM-C"}

    services.scenario_force(scenario=scenario, key=f"r{requests['DEM-A'].pk}", forced="auto")
    services.scenario_force(scenario=scenario, key=f"r{requests['DEM-B'].pk}", forced="in")
    services.scenario_compute(scenario=scenario)
    assert selected_codes(scenario) == {"DEM-B", "DEM-C"}  # B leaves no room for A


def test_a_forced_set_over_the_cap_is_infeasible_and_the_page_names_the_cap(client, world, three):
    scenario, requests = three
    for code in ("DEM-A", "DEM-B"):
        services.scenario_force(scenario=scenario, key=f"r{requests[code].pk}", forced="in")
    client.force_login(world.pmo)

    client.post(reverse("demand:scenario_compute", args=[scenario.pk]))
    page = client.get(reverse("demand:scenario_detail", args=[scenario.pk])).content.decode()

    scenario.refresh_from_db()
    assert scenario.result["status"] == "infeasible"
    assert "Infeasible" in page
    assert f"Budget {NEXT_YEAR}: the projects forced in cost 110" in page


def test_a_fifth_open_scenario_is_refused_with_a_message(client, world, three):
    scenario, _ = three
    for name in ("B", "C", "D"):
        services.scenario_create(name=name, first_year=NEXT_YEAR, years=1, criteria_set=scenario.criteria_set,
                                 by=world.pmo)  # fmt: skip
    client.force_login(world.pmo)

    listing = client.get(reverse("demand:scenario_list")).content.decode()
    response = client.post(
        reverse("demand:scenario_new"),
        {"name": "Cinquième", "first_year": NEXT_YEAR, "years": 1, "criteria_set": scenario.criteria_set.pk},
    )

    assert "4 scenarios are open: archive one to create another." in listing
    assert response.status_code == 400
    assert "4 scenarios are open already: archive one before creating another." in response.content.decode()
    assert PortfolioScenario.objects.count() == 4


def test_the_pmo_creates_a_scenario_computed_at_once_and_caps_it_from_its_page(client, world):
    version = criteria()
    make_request("DEM-A", directorate=world.it, version=version, scorer=world.pmo, score=90, cost=60)
    client.force_login(world.pmo)

    response = client.post(
        reverse("demand:scenario_new"),
        {
            "name": "Base",
            "first_year": NEXT_YEAR,
            "years": 2,
            "criteria_set": version.pk,
            "use_capacity": "on",
        },
    )
    scenario = PortfolioScenario.objects.get()
    assert response["Location"] == reverse("demand:scenario_detail", args=[scenario.pk])
    assert scenario.result["selected"]

    client.post(reverse("demand:scenario_detail", args=[scenario.pk]), {f"cap_{NEXT_YEAR}": "50"})
    client.post(reverse("demand:scenario_compute", args=[scenario.pk]))
    scenario.refresh_from_db()
    assert scenario.result["selected"] == []
    assert scenario.result["caps"] == {str(NEXT_YEAR): "50.00"}


def test_forcing_from_the_page_swaps_the_row_in_place(client, world, three):
    scenario, requests = three
    services.scenario_compute(scenario=scenario)
    client.force_login(world.pmo)
    key = f"r{requests['DEM-B'].pk}"

    response = client.post(
        reverse("demand:scenario_force", args=[scenario.pk]),
        {"key": key, "forced": "in"},
        HTTP_HX_REQUEST="true",
    )

    row = response.content.decode()
    assert response.status_code == 200
    assert row.lstrip().startswith(f'<tr id="row-{key}"')
    assert "compute again" in row
    scenario.refresh_from_db()
    assert scenario.result["stale"] is True


def test_the_export_lists_the_candidates_and_what_is_selected(client, world, three):
    scenario, _ = three
    services.scenario_compute(scenario=scenario)
    client.force_login(world.executive)

    csv = client.get(
        reverse("demand:scenario_export", args=[scenario.pk]), {"export": "csv"}
    ).content.decode()

    assert "DEM-A" in csv and "DEM-B" in csv and "DEM-C" in csv
    rows = {line.split(",")[0].lstrip("\ufeff"): line.split(",")[2] for line in csv.splitlines()}
    assert (rows["DEM-A"], rows["DEM-B"], rows["DEM-C"]) == ("yes", "no", "yes")


def test_the_capacity_of_a_role_limits_the_set_and_the_page_shows_its_use(client, world):
    from datetime import date

    from demand.models import RequestCapacity
    from resources.models import Capacity, ResourceRole

    version = criteria()
    developer = ResourceRole.objects.create(code="DEVX", name="Développeur", name_en="Developer")
    for code, score, months in (("DEM-A", 90, 10), ("DEM-B", 50, 5)):
        request = make_request(
            code, directorate=world.it, version=version, scorer=world.pmo, score=score, cost=1
        )
        RequestCapacity.objects.create(request=request, role=developer, year=NEXT_YEAR, person_months=months)
    for month in range(1, 13):  # one developer all year: 12 person-months
        Capacity.objects.create(directorate=world.it, role=developer, month=date(NEXT_YEAR, month, 1), fte=1)
    scenario = services.scenario_create(name="Capacité", first_year=NEXT_YEAR, years=1, criteria_set=version,
                                        by=world.pmo)  # fmt: skip

    services.scenario_compute(scenario=scenario)
    client.force_login(world.pmo)
    page = client.get(reverse("demand:scenario_detail", args=[scenario.pk])).content.decode()

    assert selected_codes(scenario) == {"DEM-A"}  # A and B need 15 person-months, 12 are available
    assert "Developer" in page
    assert "10.0 / 12.0" in page
