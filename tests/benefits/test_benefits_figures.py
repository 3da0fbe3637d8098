"""Benefits realisation's figures: planned and realised, at risk, the value KPI and the overview's totals,
which are the same figure, in the reporting currency with no rate summed raw."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from benefits.selectors import at_risk, planned_at, realised_at, value_realisation
from portfolio.models import ExchangeRate, Project
from reporting.selectors import PortfolioFigures
from reporting.tiles import tiles
from tests.benefits.benefit_helpers import make_profile
from tests.factories import ProjectFactory
from tests.reporting.builders import computed_kpi

ON = date(2026, 7, 2)  # half way (182 of 365 days) through 2026


def test_planned_is_the_baseline_then_a_straight_line_then_the_target(world):
    profile = make_profile(ProjectFactory(), baseline=100, target=465)
    assert planned_at(profile, date(2025, 12, 1)) == Decimal(100)
    assert planned_at(profile, date(2026, 1, 1)) == Decimal(100)
    assert planned_at(profile, ON) == Decimal("282.00")  # 100 + 365 x 182 / 365
    assert planned_at(profile, date(2027, 1, 1)) == Decimal(465)
    assert planned_at(profile, date(2028, 6, 1)) == Decimal(465)


def test_realised_is_the_latest_actual_up_to_the_day_less_the_baseline_and_unknown_before_any(world):
    profile = make_profile(
        ProjectFactory(), baseline=100, actuals=[(date(2026, 3, 1), 250), (date(2026, 6, 1), 400)]
    )
    assert realised_at(profile, date(2026, 2, 1)) is None
    assert realised_at(profile, date(2026, 5, 31)) == Decimal(150)
    assert realised_at(profile, ON) == Decimal(300)


def test_at_risk_under_80_percent_of_plan_or_unmeasured_sixty_days_after_the_start(world):
    # Planned gain on ON: 1200 x 182 / 365 = 598.36; 80 % of it: 478.69.
    behind = make_profile(ProjectFactory(), actuals=[(date(2026, 6, 30), 470)])
    on_track = make_profile(ProjectFactory(), actuals=[(date(2026, 6, 30), 480)])
    unmeasured = make_profile(ProjectFactory())
    assert at_risk(behind, ON) and not at_risk(on_track, ON)
    assert not at_risk(unmeasured, date(2026, 3, 1))  # 59 days after the start
    assert at_risk(unmeasured, date(2026, 3, 2))


def test_value_kpi_sums_in_the_reporting_currency_and_lists_a_currency_without_rate(world, settings):
    ExchangeRate.objects.create(currency="EUR", valid_from=date(2026, 1, 1), rate=Decimal("10.8"))
    make_profile(ProjectFactory(), target=365, actuals=[(date(2026, 7, 1), 91)])  # MAD: 182 planned
    make_profile(ProjectFactory(), target=365, currency="EUR", actuals=[(date(2026, 7, 1), 182)])
    no_rate = make_profile(ProjectFactory(), target=365, currency="USD", actuals=[(date(2026, 7, 1), 500)])
    make_profile(ProjectFactory(), target=365, approved=False, actuals=[(date(2026, 7, 1), 9999)])

    result = value_realisation(Project.objects.all(), on=ON)

    assert result.planned == Decimal("182") + Decimal("1965.60")  # 182 EUR at 10.8
    assert result.realised == Decimal("91") + Decimal("1965.60")
    assert [row.profile for row in result.not_converted] == [no_rate]
    assert result.share == Decimal("95.8")  # 2056.60 / 2147.60 = 95.76 %
    assert result.counts["summed"] == 2 and result.counts["profiles"] == 3


def _tile(user, on):
    """The dashboard's tile of the value KPI as at `on` (a past day: its link carries the date)."""
    kpi = computed_kpi("benefits_realised") if not hasattr(user, "_kpi") else user._kpi
    user._kpi = kpi
    today = date.today()
    return tiles([kpi], figures=PortfolioFigures.for_user(user, today=today), as_at=on, today=today)[0]


def test_tile_overview_and_kpi_say_the_same_and_an_actual_after_closure_moves_them(client, world):
    closed = ProjectFactory(state=Project.State.CLOSED, project_manager=world.pm)
    profile = make_profile(closed, target=365, actuals=[(date(2026, 6, 1), 91)], owner=world.member)
    make_profile(ProjectFactory(), target=365, actuals=[(date(2026, 6, 1), 182)])
    tile = _tile(world.pmo, ON)
    assert f"as_at={ON.isoformat()}" in tile.url
    assert tile.value == Decimal("75.0")  # 273 of 364 planned
    client.force_login(world.pmo)
    page = client.get(tile.url)
    assert page.status_code == 200
    assert page.context["totals"].share == tile.value
    assert len(page.context["rows"]) == page.context["totals"].counts["profiles"] == 2

    # The owner records what the closed project's benefit reached: the KPI moves.
    client.force_login(world.member)
    response = client.post(
        reverse("benefits:actual_new", args=[profile.pk]), {"measured_on": "2026-07-01", "value": "182"}
    )
    assert response.status_code == 302
    assert _tile(world.pmo, ON).value == Decimal("100.0")


def test_overview_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    client.force_login(world.pmo)
    for _n in range(2):
        make_profile(ProjectFactory(), actuals=[(date(2026, 6, 1), 300)])
    url = reverse("benefits:overview") + f"?as_at={ON.isoformat()}"
    client.get(url)
    # session, user, user's roles, profiles (with project, directorate, owner and KPI), their actuals,
    # the directorates of the filter.
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    for _n in range(5):
        make_profile(ProjectFactory(), actuals=[(date(2026, 6, 1), 300)])
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert len(response.context["rows"]) == 7


QUERIES = 6
