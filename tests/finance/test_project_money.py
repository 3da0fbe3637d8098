from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from finance.grid import field_name
from finance.models import CostCategory, MonthlyAmount
from finance.selectors import financial_view
from finance.services import grid_version, planned_cells
from pmo.months import FiscalYear, add_months, month_of
from portfolio.models import Milestone, Project
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db
BUDGET, FORECAST, ACTUAL = "budget", "forecast", "actual"


def shown(value) -> str:
    """An amount as the page prints it (in English: see `setup`)."""
    with translation.override("en"):
        return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


def url(project, year=None):
    base = reverse("finance:project_money", args=[project.code])
    return f"{base}?fy={year}" if year else base


@pytest.fixture
def setup(world, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, budget=Decimal("120000"))
    year = FiscalYear.of(timezone.localdate())
    capex, opex = CostCategory.objects.get(code="CAPEX"), CostCategory.objects.get(code="OPEX")
    return project, year, capex, opex


def amount(project, category, kind, month, value, **fields):
    return MonthlyAmount.objects.create(
        project=project, category=category, kind=kind, month=month, amount=Decimal(value), **fields
    )


def grid_post(client, project, year, cells, *, version=None, **headers):
    """Post the whole grid: every cell blank unless in `cells` ({(category, kind, month): text})."""
    stored = planned_cells(project=project, fiscal_year=year)
    data = {"action": "grid", "version": grid_version(stored) if version is None else version}
    for category in CostCategory.objects.all():
        for kind in (BUDGET, FORECAST):
            for month in year.months:
                value = stored.get((category.pk, kind, month))
                data[field_name(category.pk, kind, month)] = "" if value is None else str(value)
    for (category, kind, month), text in cells.items():
        data[field_name(category.pk, kind, month)] = text
    return client.post(url(project, year.year), data, **headers)


@pytest.mark.parametrize(
    ("who", "status", "inputs"), [("pm", 200, True), ("executive", 200, False), ("other_pm", 404, False)]
)
def test_the_editor_edits_the_reader_reads_the_outsider_gets_404(client, world, setup, who, status, inputs):
    project, year, capex, _opex = setup
    Project.objects.filter(pk=project.pk).update(confidential=True)
    amount(project, capex, BUDGET, year.start, "1234.50")
    client.force_login(getattr(world, who))
    response = client.get(url(project))
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        name = field_name(capex.pk, BUDGET, year.start)
        assert (f'name="{name}"' in content) is inputs
        assert shown("1234.50") in content


def test_a_reader_who_posts_gets_403(client, world, setup):
    project, year, capex, _opex = setup
    client.force_login(world.executive)
    assert grid_post(client, project, year, {(capex, BUDGET, year.start): "10"}).status_code == 403
    assert not MonthlyAmount.objects.exists()


def test_the_whole_grid_is_saved_with_its_history_and_author(client, world, setup):
    project, year, capex, opex = setup
    old = amount(project, opex, FORECAST, year.start, "50")
    client.force_login(world.pm)
    second = add_months(year.start, 1)
    response = grid_post(
        client,
        project,
        year,
        {
            (capex, BUDGET, year.start): "1000",
            (capex, BUDGET, second): "2000.5",
            (opex, FORECAST, year.start): "",
        },
    )
    assert response.status_code == 302
    assert planned_cells(project=project, fiscal_year=year) == {
        (capex.pk, BUDGET, year.start): Decimal("1000.00"),
        (capex.pk, BUDGET, second): Decimal("2000.50"),
    }
    row = MonthlyAmount.objects.get(project=project, month=second)
    assert row.updated_by == world.pm and row.source == MonthlyAmount.Source.ENTERED
    assert MonthlyAmount.history.filter(id=old.pk, history_type="-").exists()
    assert client.get(response["Location"]).status_code == 200


def test_bad_cells_are_named_nothing_is_saved_and_nothing_typed_is_lost(client, world, setup):
    project, year, capex, opex = setup
    client.force_login(world.pm)
    months = year.months
    response = grid_post(
        client,
        project,
        year,
        {
            (capex, BUDGET, months[0]): "-5",
            (capex, BUDGET, months[1]): "abc",
            (capex, BUDGET, months[2]): "1" * 17,
            (opex, FORECAST, months[3]): "777",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "An amount cannot be negative." in content
    assert "Not a number." in content
    assert "Too many digits" in content
    assert 'value="777"' in content and 'value="abc"' in content and 'value="-5"' in content
    assert not MonthlyAmount.objects.exists()


def test_a_stale_grid_answers_409_with_the_other_users_values(client, world, setup):
    project, year, capex, _opex = setup
    version = grid_version({})  # the page was drawn on an empty grid...
    amount(project, capex, BUDGET, year.start, "4321")  # ...then someone else saved a cell
    client.force_login(world.pm)
    response = grid_post(
        client, project, year, {(capex, BUDGET, year.start): "999"}, version=version, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert 'id="money-grid"' in content and "<html" not in content
    assert shown("4321") in content  # theirs, in the differences
    assert 'value="999"' in content  # mine, kept in the grid
    assert MonthlyAmount.objects.get().amount == Decimal("4321")
    # Saving again (now based on the stored grid) is a deliberate choice: it replaces theirs.
    current = grid_version(planned_cells(project=project, fiscal_year=year))
    assert f'value="{current}"' in content
    response = grid_post(client, project, year, {(capex, BUDGET, year.start): "999"}, version=current)
    assert response.status_code == 302
    assert MonthlyAmount.objects.get().amount == Decimal("999")


def test_htmx_save_swaps_the_grid(client, world, setup):
    project, year, capex, _opex = setup
    client.force_login(world.pm)
    response = grid_post(client, project, year, {(capex, BUDGET, year.start): "10"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="money-grid"' in response.content.decode()
    assert MonthlyAmount.objects.get().amount == Decimal(10)


def test_actuals_show_their_source_and_agree_with_the_financial_view(client, world, setup):
    project, year, capex, _opex = setup
    today = timezone.localdate()
    this_month = month_of(today)
    # Last week's spend (booked to OPEX, which receives it, in the month of the status's Sunday) and, for
    # last month if it is in the fiscal year, an import that replaces the weekly spend of its month.
    period = today - timedelta(days=today.weekday() + 7)  # last week's Monday
    StatusReportFactory(project=project, spend_this_period=Decimal("300"), period=period)
    spend_month = month_of(period + timedelta(days=6))
    previous = add_months(this_month, -1)
    imported = previous in year
    if imported:
        amount(project, capex, ACTUAL, previous, "800", source=MonthlyAmount.Source.IMPORTED)
    client.force_login(world.pm)
    response = client.get(url(project))
    view = financial_view(
        user=world.pm, fiscal_year=year, on=today, projects=Project.objects.filter(pk=project.pk)
    )
    row = view.projects[0]
    grid = response.context["grid"]
    for index, month in enumerate(year.months):
        shown = sum(
            (rows.actuals[index].amount for rows in grid.categories if rows.actuals[index]), Decimal(0)
        )
        assert shown == row.by_month.get((ACTUAL, month), Decimal(0))
    sources = {
        (rows.category.code, year.months[i]): cell.source
        for rows in grid.categories
        for i, cell in enumerate(rows.actuals)
        if cell
    }
    if imported:
        assert sources[("CAPEX", previous)] == "imported"
    if spend_month in year and not (imported and spend_month == previous):
        assert sources[("OPEX", spend_month)] == "spend"
    else:
        assert ("OPEX", spend_month) not in sources


def test_the_phased_total_is_checked_against_the_budget(client, world, setup):
    project, year, capex, _opex = setup
    client.force_login(world.pm)
    content = client.get(url(project)).content.decode()
    assert "Follows the baseline dates" in content
    amount(project, capex, BUDGET, year.start, "100000")
    content = client.get(url(project)).content.decode()
    assert "Follows the phased budget" in content
    assert "differs from the budget at completion" in content
    amount(project, capex, BUDGET, add_months(year.start, -1), "20000")  # another year counts too
    content = client.get(url(project)).content.decode()
    assert "differs from the budget at completion" not in content


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("evenly", ["333.33", "333.33", "333.34"]),
        ("front_loaded", ["500.00", "333.33", "166.67"]),
        ("milestones", ["250.00", "0", "750.00"]),
    ],
)
def test_the_spread_helper_fills_a_row(client, world, setup, method, expected):
    project, year, capex, _opex = setup
    months = year.months[:3]
    Milestone.objects.create(
        project=project,
        name="A",
        baseline_date=months[0] + timedelta(days=3),
        forecast_date=months[0],
        weight=1,
    )
    Milestone.objects.create(
        project=project,
        name="B",
        baseline_date=months[2] + timedelta(days=3),
        forecast_date=months[2],
        weight=3,
    )
    client.force_login(world.pm)
    response = client.post(
        url(project, year.year),
        {
            "action": "spread",
            "spread-amount": "1000",
            "spread-category": capex.pk,
            "spread-kind": FORECAST,
            "spread-first": f"{months[0]:%Y-%m}",
            "spread-last": f"{months[2]:%Y-%m}",
            "spread-method": method,
        },
    )
    assert response.status_code == 302
    cells = planned_cells(project=project, fiscal_year=year)
    got = [cells.get((capex.pk, FORECAST, month), Decimal(0)) for month in months]
    assert got == [Decimal(value) for value in expected]
    assert sum(got) == Decimal(1000)
    assert all(row.updated_by == world.pm for row in MonthlyAmount.objects.all())


def test_a_bad_spread_keeps_the_typed_values(client, world, setup):
    project, year, capex, _opex = setup
    client.force_login(world.pm)
    response = client.post(
        url(project, year.year),
        {
            "action": "spread",
            "spread-amount": "-3",
            "spread-category": capex.pk,
            "spread-kind": BUDGET,
            "spread-first": f"{year.end:%Y-%m}",
            "spread-last": f"{year.start:%Y-%m}",
            "spread-method": "evenly",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "An amount cannot be negative." in content and "The last month comes before the first." in content
    assert not MonthlyAmount.objects.exists()


def test_previous_and_next_fiscal_years(client, world, setup):
    project, year, capex, _opex = setup
    amount(project, capex, BUDGET, add_months(year.start, 12), "55")
    client.force_login(world.pm)
    content = client.get(url(project)).content.decode()
    assert f"?fy={year.year - 1}" in content and f"?fy={year.year + 1}" in content
    assert client.get(url(project, year.year + 1)).context["grid"].total_budget == Decimal(55)
    assert client.get(url(project, "nonsense")).context["grid"].fiscal_year == year


def queries_for(client, project) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(project)).status_code == 200
    return len(queries)


def test_money_page_query_count_does_not_grow_with_amounts(client, world, setup):
    project, year, capex, opex = setup
    small = ProjectFactory(project_manager=world.pm, directorate=world.it)
    amount(small, capex, BUDGET, year.start, "1")
    for month in year.months:
        for category in (capex, opex):
            for kind in (BUDGET, FORECAST, ACTUAL):
                amount(project, category, kind, month, "10")
        StatusReportFactory(
            project=project,
            spend_this_period=Decimal(5),
            period=month + timedelta(days=7 - month.weekday()),
            last_report=False,
        )
    client.force_login(world.pm)
    # session, user, groups; the project (visible_to); may this user edit it (editable_by); the planned
    # cells; the financial view (projects' scope, categories, amounts, statuses' spend, its project row);
    # the imported actuals; the phased budget (every month, for PV and the BAC check).
    assert queries_for(client, small) == queries_for(client, project) == 12


def test_the_project_page_draws_the_money_panel_or_says_there_is_no_phasing(client, world, setup):
    project, year, capex, _opex = setup
    client.force_login(world.pm)
    content = client.get(project.get_absolute_url()).content.decode()
    assert "No money by month this fiscal year." in content
    assert url(project) in content
    assert 'id="money-panel-figure"' not in content
    amount(project, capex, BUDGET, year.start, "1000")
    amount(project, capex, BUDGET, add_months(year.start, 1), "500")
    response = client.get(project.get_absolute_url())
    content = response.content.decode()
    assert 'id="money-panel-figure"' in content and 'data-chart="money-panel-figure"' in content
    (panel,) = [p["context"] for p in response.context["panels"] if p["template"].startswith("finance/")]
    budget = panel["figure"]["data"][0]
    assert budget["y"][:3] == [1000.0, 1500.0, 1500.0]  # cumulative
    assert url(project) in content


def test_the_plan_page_links_to_the_money_page(client, world, setup):
    project, _year, _capex, _opex = setup
    client.force_login(world.pm)
    content = client.get(reverse("portfolio:project_plan", args=[project.code])).content.decode()
    assert "Money by month" in content and url(project) in content


def test_spreading_from_milestones_without_one_in_the_months_spreads_nothing_and_says_so(
    client, world, setup
):
    project, year, capex, _opex = setup
    client.force_login(world.pm)
    data = {
        "action": "spread",
        "spread-amount": "1000",
        "spread-category": capex.pk,
        "spread-kind": BUDGET,
        "spread-first": f"{year.start:%Y-%m}",
        "spread-last": f"{year.end:%Y-%m}",
        "spread-method": "milestones",
    }
    response = client.post(url(project, year.year), data, follow=True)
    assert (
        "No milestone with a weight falls in these months: nothing was spread." in response.content.decode()
    )
    assert not MonthlyAmount.objects.exists()
