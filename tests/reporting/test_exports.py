"""The lists behind the dashboard and the KPI measurements as spreadsheets: the rows the page lists,
every page of them, typed, and only what the reader may see."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portfolio.models import Milestone, Rag
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period
from tests.factories import ProjectFactory
from tests.reporting.builders import build_portfolio, computed_kpi
from tests.spreadsheets import assert_amounts, assert_dates, assert_numbers, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# --- The portfolio as at a date ---------------------------------------------------------------------


def test_the_dashboards_project_list_exports_its_rows_with_typed_cells(client, world):
    build_portfolio(
        count=4,
        weeks=2,
        today=TODAY,
        directorate=world.it,
        rag=lambda index, week: Rag.RED if index % 2 else Rag.GREEN,
    )
    client.force_login(world.executive)

    listed = client.get("/dashboard/projects/", {"rag": "red", "sort": "-budget"})
    sheet = read_xlsx(client.get("/dashboard/projects/", {"rag": "red", "sort": "-budget", "export": "xlsx"}))

    assert sheet.column("Code") == [row.code for row in listed.context["page"].object_list]
    assert sheet.column("Code") == ["BLK-0003", "BLK-0001"]
    assert set(sheet.column("RAG")) == {"Red"}
    assert sheet.column("Budget at completion") == [1_003_000, 1_001_000]
    assert_amounts(sheet, "Budget at completion", "Forecast at completion", "Actual cost to date")
    assert_dates(sheet, "Status week", "Baseline end", "Forecast end")
    assert_numbers(sheet, "Completion", "CPI")
    page = listed.content.decode()
    assert 'href="?rag=red&amp;sort=-budget&amp;export=csv"' in page


def test_the_dashboards_lists_are_the_readers_exports_only(client, world):
    client.force_login(world.pm)

    assert client.get("/dashboard/projects/", {"export": "xlsx"}).status_code == 403
    assert client.get("/dashboard/milestones/", {"export": "csv"}).status_code == 403


# --- Milestones -------------------------------------------------------------------------------------


@pytest.fixture
def milestones(world):
    start = TODAY.replace(day=1)
    met, missed = (ProjectFactory(directorate=world.it) for _ in range(2))
    Milestone.objects.create(
        project=met, name="=Go-live", baseline_date=start, forecast_date=start, actual_date=start
    )
    Milestone.objects.create(
        project=missed, name="Recette", baseline_date=start, forecast_date=start + timedelta(days=40)
    )
    Milestone.objects.create(
        project=missed, name="Plus tard", baseline_date=start - timedelta(days=40), forecast_date=start
    )
    return met, missed


def test_the_milestones_list_exports_the_window_with_dates_as_dates(client, world, milestones):
    met, missed = milestones
    client.force_login(world.pmo)
    window = {"start": TODAY.replace(day=1).isoformat(), "end": TODAY.isoformat()}

    sheet = read_xlsx(client.get("/dashboard/milestones/", {**window, "export": "xlsx"}))
    not_met = read_csv(client.get("/dashboard/milestones/", {**window, "met": "no", "export": "csv"}))

    assert sheet.column("Milestone") == ["'=Go-live", "Recette"]
    assert sheet.column("Project code") == [met.code, missed.code]
    assert sheet.column("Met") == ["Yes", "No"]
    assert sheet.column("Slip (days)") == [0, 40]
    assert_dates(sheet, "Baseline date", "Forecast date", "Actual date")
    assert_numbers(sheet, "Slip (days)", "Weight")
    assert not_met.column("Milestone") == ["Recette"]


def test_the_milestones_export_query_count_does_not_grow(client, world, milestones):
    client.force_login(world.pmo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/milestones/", {"export": "xlsx"}).status_code == 200
        return len(captured)

    few = queries()
    for project in ProjectFactory.create_batch(5, directorate=world.finance):
        Milestone.objects.create(project=project, name="M", baseline_date=TODAY, forecast_date=TODAY)

    # session, user, groups, the milestones with their projects and directorates.
    assert queries() == few == 4


# --- KPI measurements -------------------------------------------------------------------------------


@pytest.fixture
def measured(world):
    """A per-project KPI entered by hand with a value for the manager's project and one for a
    confidential project they may not see; a computed portfolio-wide KPI with a value."""
    satisfaction = Kpi.objects.create(
        code="satisfaction",
        name="Satisfaction",
        name_en="Satisfaction",
        unit=Kpi.Unit.PERCENT,
        scope=Kpi.Scope.PROJECT,
        frequency=Frequency.QUARTERLY,
        target=80,
        amber_threshold=70,
        red_threshold=55,
    )
    quarter = Period.containing(Frequency.QUARTERLY, TODAY).previous()
    mine = ProjectFactory(code="PRJ-0001", project_manager=world.pm)
    secret = ProjectFactory(code="PRJ-0009", project_manager=world.other_pm, confidential=True)
    for project, value in ((mine, "82.5"), (secret, "40")):
        Measurement.objects.create(
            kpi=satisfaction,
            project=project,
            period=quarter.start,
            value=Decimal(value),
            entered_by=world.pmo,
        )
    budget = computed_kpi("budget_at_completion")
    month = Period.containing(budget.frequency, TODAY).previous()
    Measurement.objects.create(kpi=budget, period=month.start, value=Decimal("12500000.5"), computed=True)
    return satisfaction, budget, quarter


def test_a_kpis_measurements_export_with_their_units_format(client, world, measured):
    satisfaction, budget, quarter = measured
    client.force_login(world.pmo)

    sheet = read_xlsx(client.get("/dashboard/kpis/satisfaction/", {"scope": "all", "export": "xlsx"}))
    amounts = read_xlsx(client.get(f"/dashboard/kpis/{budget.code}/", {"export": "xlsx"}))

    assert sorted(sheet.column("Scope")) == sorted(
        f"{m.project.code} {m.project.name}" for m in satisfaction.measurements.select_related("project")
    )
    rows = {row["Scope"].split()[0]: row for row in sheet.records()}
    assert rows["PRJ-0001"]["Value"] == 82.5 and rows["PRJ-0001"]["RAG"] == "Green"
    assert rows["PRJ-0009"]["RAG"] == "Red"
    assert rows["PRJ-0001"]["Period label"] == quarter.label
    assert {cell.number_format for cell in sheet.cells("Value")} == {"0.0"}
    assert_dates(sheet, "Period", "Entered at")
    assert amounts.column("Value") == [12500000.5] and amounts.column("Computed") == ["Yes"]
    assert_amounts(amounts, "Value")


def test_a_project_manager_exports_no_measurement_of_a_project_they_may_not_see(client, world, measured):
    client.force_login(world.pm)

    page = read_xlsx(client.get("/dashboard/kpis/satisfaction/", {"scope": "all", "export": "xlsx"}))
    listing = read_csv(client.get("/dashboard/kpis/", {"export": "csv"}))

    assert [scope.split()[0] for scope in page.column("Scope")] == ["PRJ-0001"]
    # The list's export: the KPIs the list shows (the per-project ones for a manager), all their values.
    assert listing.column("KPI code") == ["satisfaction"]
    assert [scope.split()[0] for scope in listing.column("Scope")] == ["PRJ-0001"]


def test_the_kpi_lists_export_follows_its_filters(client, world, measured):
    client.force_login(world.executive)

    everything = read_xlsx(client.get("/dashboard/kpis/", {"export": "xlsx"}))
    manual = read_csv(client.get("/dashboard/kpis/", {"source": "manual", "export": "csv"}))
    page = client.get("/dashboard/kpis/", {"source": "manual"}).content.decode()

    assert sorted(set(everything.column("KPI code"))) == ["budget-at-completion", "satisfaction"]
    assert len(everything.rows) == 3
    assert set(manual.column("KPI code")) == {"satisfaction"} and len(manual.rows) == 2
    assert 'href="?source=manual&amp;export=xlsx"' in page


def test_the_kpi_lists_export_query_count_does_not_grow(client, world, measured):
    satisfaction, _budget, quarter = measured
    client.force_login(world.pmo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/kpis/", {"export": "xlsx"}).status_code == 200
        return len(captured)

    few = queries()
    for project in ProjectFactory.create_batch(5):
        Measurement.objects.create(kpi=satisfaction, project=project, period=quarter.start, value=Decimal(75))

    # session, user, groups, the measurements with their KPIs, scopes and authors.
    assert queries() == few == 4
