"""The portfolio dashboard: its tiles, the lists behind them, the "as at" date, the filters, who may read
it, and a query count that does not grow with the portfolio."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portfolio.models import Rag
from portfolio.models.status import period_of
from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period
from reporting.templatetags.reporting_tags import kpi_value
from tests.factories import make_risk
from tests.reporting.builders import build_portfolio, computed_kpi

pytestmark = pytest.mark.django_db


def tile(response, code):
    return next(t for t in response.context["tiles"] if t.kpi.code == code)


def red_this_week_only(every: int):
    """Green throughout, except every `every`-th project, red this week."""
    this_week = period_of(timezone.localdate())

    def rag(index, week):
        return Rag.RED if week == this_week and index % every == 0 else Rag.GREEN

    return rag


def test_the_red_tile_and_the_list_behind_it_count_the_same_projects(client, world):
    today = timezone.localdate()
    build_portfolio(count=12, weeks=3, today=today, directorate=world.it, rag=red_this_week_only(4))
    computed_kpi("rag_red_share")
    client.force_login(world.executive)

    response = client.get("/dashboard/")

    red = tile(response, "rag-red-share")
    assert red.value == Decimal("25.0")  # 3 of the 12 active projects
    assert red.rag == "red"  # 25 % is past the red threshold of 20 %
    assert red.url == "/dashboard/projects/?rag=red"
    assert "25.0\N{NO-BREAK SPACE}%" in response.text
    listing = client.get(red.url)
    assert listing.context["page"].paginator.count == 3 == red.value * 12 / 100
    assert {row.rag for row in listing.context["page"].object_list} == {"red"}


def test_as_at_a_past_week_shows_the_figures_of_that_week(client, world):
    today = timezone.localdate()
    build_portfolio(count=10, weeks=2, today=today, directorate=world.it, rag=red_this_week_only(5))
    computed_kpi("rag_red_share")
    computed_kpi("rag_green_share")
    client.force_login(world.executive)
    last_sunday = period_of(today) - timedelta(days=1)

    now = client.get("/dashboard/")
    then = client.get(f"/dashboard/?as_at={last_sunday.isoformat()}")

    assert (tile(now, "rag-red-share").value, tile(now, "rag-green-share").value) == (20, 80)
    assert (tile(then, "rag-red-share").value, tile(then, "rag-green-share").value) == (0, 100)
    # This week's red share went up from 0 %: worse, since lower is better.
    assert (tile(now, "rag-red-share").previous, tile(now, "rag-red-share").trend) == (0, "up")
    assert tile(now, "rag-red-share").better is False
    assert "Portfolio as at <strong>" in then.text and "as they stand today" in then.text
    red_then = client.get(tile(then, "rag-red-share").url)
    assert f"as_at={last_sunday.isoformat()}" in tile(then, "rag-red-share").url
    assert red_then.context["page"].paginator.count == 0


def test_a_directorate_filter_narrows_the_figures_and_the_lists(client, world):
    today = timezone.localdate()
    build_portfolio(
        count=4, weeks=1, today=today, directorate=world.it, rag=lambda i, w: Rag.RED, prefix="IT"
    )
    build_portfolio(count=6, weeks=1, today=today, directorate=world.finance, prefix="FIN")
    computed_kpi("rag_red_share")
    client.force_login(world.pmo)

    everything = client.get("/dashboard/")
    finance = client.get(f"/dashboard/?directorate={world.finance.pk}")
    it = client.get(f"/dashboard/?directorate={world.it.pk}")

    assert tile(everything, "rag-red-share").value == 40
    assert tile(finance, "rag-red-share").value == 0
    assert tile(it, "rag-red-share").value == 100
    assert tile(it, "rag-red-share").url == f"/dashboard/projects/?rag=red&directorate={world.it.pk}"
    assert it.context["snapshot"].active == 4
    listing = client.get(f"/dashboard/projects/?directorate={world.it.pk}")
    assert [row.code for row in listing.context["page"].object_list] == [
        "IT-0000",
        "IT-0001",
        "IT-0002",
        "IT-0003",
    ]


def test_a_date_not_understood_or_in_the_future_shows_today_with_a_message(client, world):
    client.force_login(world.executive)
    today = timezone.localdate()

    garbage = client.get("/dashboard/?as_at=yesterday-ish")
    future = client.get(f"/dashboard/?as_at={(today + timedelta(days=3)).isoformat()}")

    for response in (garbage, future):
        assert response.status_code == 200
        assert response.context["viewpoint"].as_at == today
        assert "The portfolio is shown as at today." in response.text
    assert "was not understood" in garbage.text
    assert "cannot be shown as at a future date" in future.text
    unknown = client.get("/dashboard/?directorate=999999")
    assert unknown.context["viewpoint"].directorate is None
    assert "does not exist" in unknown.text


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/projects/", "/dashboard/milestones/"])
def test_the_dashboard_and_its_lists_are_for_executives_the_pmo_and_administrators(client, world, path):
    assert re.search(r"/accounts/login/\?next=", client.get(path).url)
    for user, status in (
        (world.pm, 403),
        (world.member, 403),
        (world.executive, 200),
        (world.pmo, 200),
        (world.admin, 200),
    ):
        client.force_login(user)
        assert client.get(path).status_code == status, user.username


def test_without_kpis_the_pmo_is_invited_to_define_them(client, world):
    client.force_login(world.pmo)
    assert "Define the KPIs" in client.get("/dashboard/").text
    client.force_login(world.executive)
    response = client.get("/dashboard/")
    assert "No KPI is defined yet" in response.text and "Define the KPIs" not in response.text


def test_a_manual_kpi_shows_the_value_of_its_period_or_the_latest_before_it(client, world):
    today = timezone.localdate()
    kpi = Kpi.objects.create(
        code="satisfaction",
        name="Satisfaction",
        name_en="Satisfaction",
        unit=Kpi.Unit.PERCENT,
        frequency=Frequency.MONTHLY,
        scope=Kpi.Scope.DIRECTORATE,
        target=80,
        amber_threshold=75,
        red_threshold=50,
    )
    month = Period.containing(Frequency.MONTHLY, today)
    before, long_ago = month.previous(), month.previous().previous()
    Measurement.objects.create(kpi=kpi, directorate=world.it, period=before.start, value=72)
    Measurement.objects.create(kpi=kpi, directorate=world.it, period=long_ago.start, value=65)
    Measurement.objects.create(kpi=kpi, period=month.start, value=81)  # the whole portfolio's
    client.force_login(world.executive)

    whole = tile(client.get("/dashboard/"), "satisfaction")
    it = tile(client.get(f"/dashboard/?directorate={world.it.pk}"), "satisfaction")

    assert (whole.value, whole.period, whole.earlier, whole.previous) == (81, month, False, None)
    assert (it.value, it.period, it.earlier) == (72, before, True)  # the latest, from the month before
    assert (it.previous, it.trend, it.better, it.rag) == (65, "up", True, "amber")
    assert it.url == "/dashboard/kpis/satisfaction/"


def test_the_heatmap_counts_the_risks_open_at_the_date_shown_and_its_cells_list_as_many(client, world):
    projects = build_portfolio(count=2, weeks=1, today=timezone.localdate(), directorate=world.it)
    make_risk(project=projects[0], owner=world.pm, probability=4, impact=5)
    make_risk(project=projects[1], owner=world.pm, probability=2, impact=2)
    client.force_login(world.executive)
    day = timezone.localdate() - timedelta(days=30)

    response = client.get("/dashboard/")
    past = client.get(f"/dashboard/?as_at={day.isoformat()}")

    grid = response.context["heatmap"]
    assert grid.total == 2 and grid.cell(4, 5).count == 1
    # A month ago neither risk was recorded: the heatmap of that date is empty, and says its date.
    assert past.context["heatmap"].total == 0
    assert f"as_at={day.isoformat()}" in past.context["heatmap"].cell(4, 5).url
    assert f"as_at={day.isoformat()}" in past.context["register_url"]
    assert "as at" in past.text.split('id="heatmap-title"')[1].split("</div>")[0]
    for cell in grid.cells:  # today, each cell lists as many risks as it counts
        if cell.count:
            assert client.get(cell.url).context["page"].paginator.count == cell.count


def dashboard_queries(client, url="/dashboard/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def every_kpi():
    for order, function in enumerate(COMPUTED):
        computed_kpi(function, order=order)
    manual = Kpi.objects.create(code="manual", name="Manuel", name_en="Manual", frequency=Frequency.QUARTERLY)
    Measurement.objects.create(
        kpi=manual, period=Period.containing(Frequency.QUARTERLY, timezone.localdate()).start, value=3
    )


def test_the_dashboard_query_count_is_the_same_at_10_and_at_1000_projects(client, world):
    """With every KPI on the dashboard and 52 weeks of status history; as at today and as at a past date."""
    today = timezone.localdate()
    every_kpi()
    client.force_login(world.executive)
    rag_cycle = (Rag.GREEN, Rag.AMBER, Rag.RED, None)
    projects = build_portfolio(
        count=10,
        weeks=52,
        today=today,
        directorate=world.it,
        rag=lambda i, w: rag_cycle[(i + w.toordinal() // 7) % 4],
    )
    make_risk(project=projects[0], owner=world.pm, probability=4, impact=4)
    past = f"/dashboard/?as_at={(today - timedelta(days=40)).isoformat()}&directorate={world.it.pk}"
    few, few_past = dashboard_queries(client), dashboard_queries(client, past)

    build_portfolio(
        count=990,
        weeks=52,
        today=today,
        directorate=world.it,
        prefix="BIG",
        rag=lambda i, w: rag_cycle[i % 4],
    )
    assert dashboard_queries(client) == few
    assert dashboard_queries(client, past) == few_past
    # session, user, groups; the KPIs; the snapshots of today and of the ends of last week and last
    # month, together (projects, milestones' plan, phased budgets, delivery confidence assessments,
    # reports, status policy); the roadmap's milestones;
    # risk policy, heatmap; manual measurements;
    # milestones due this month and last; exposure today, and at the end of last week (one query);
    # overdue actions at both dates; decisions of both months; compliance history
    # (projects, their lifecycle states in the audit trail, reports); directorates and portfolios of the
    # filter form; the value KPI (benefits.selectors.value_realisation: the approved profiles, their
    # actuals); the compliance KPI (standards.compliance.portfolio_compliance) today and at the end of the
    # previous period, each: the projects active then (and, for the past date, their lifecycle states in the
    # audit trail), the methodologies chosen, the default methodologies, their required deliverables, the
    # projects' deliverables, the status policy, the audit trail, the first submissions, the gate reviews
    # passed with conditions, their actions, the risks open then (11 + 12).
    assert few == 52
    # The same, plus the directorate of the filter, the exposure as at a past date, and the compliance KPI's
    # lifecycle states in the audit trail for its first date too (both dates past).
    assert few_past == 54


def test_the_list_behind_query_count_is_the_same_at_10_and_at_1000_projects(client, world):
    today = timezone.localdate()
    client.force_login(world.executive)
    build_portfolio(count=10, weeks=52, today=today, directorate=world.it)
    url = "/dashboard/projects/?rag=green&sort=-cpi&page=2"
    few = dashboard_queries(client, url)

    build_portfolio(count=990, weeks=52, today=today, directorate=world.it, prefix="BIG")
    # session, user, groups; the snapshot (projects with their states then, milestones, phased budgets,
    # delivery confidence assessments, reports, status policy); directorates and portfolios of the filter
    # form
    assert dashboard_queries(client, url) == few == 11


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "62,5\N{NO-BREAK SPACE}%",
                "0,93",
                "12,5 M\N{NO-BREAK SPACE}MAD",
                "1\N{NO-BREAK SPACE}204",
                "n.d.",
            ],
        ),
        ("en", ["62.5\N{NO-BREAK SPACE}%", "0.93", "12.5 M\N{NO-BREAK SPACE}MAD", "1,204", "n/a"]),
    ],
)
def test_kpi_values_are_written_as_the_reader_reads_numbers(language, expected, settings):
    settings.DEFAULT_CURRENCY = "MAD"
    with translation.override(language):
        written = [
            kpi_value(Decimal("62.5"), "percent"),
            kpi_value(Decimal("0.932"), "index"),
            kpi_value(Decimal("12500000"), "amount"),
            kpi_value(Decimal("1204"), "count"),
            kpi_value(None, "percent"),
        ]
    assert written == expected
