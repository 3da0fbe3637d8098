"""The portfolio roadmap: the dashboard's projects as bars, grouped, filtered, as at a date; its Excel
exports; no confidential project for who may not see it; a query count that does not grow."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from portfolio.models import Milestone, Project, Rag
from reporting.selectors import PortfolioFigures
from tests.factories import PortfolioFactory, ProjectFactory, StatusReportFactory
from tests.reporting.builders import build_portfolio

pytestmark = pytest.mark.django_db

ROADMAP = "/planning/roadmap/"


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def sheet(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows


def figure_of(response) -> dict:
    """The figure the page carries for charts.js."""
    found = re.search(
        r'<script id="roadmap-figure" type="application/json">(.*?)</script>', response.text, re.S
    )
    return json.loads(found.group(1))


def drawn_codes(response) -> set[str]:
    """The projects the figure draws (the second level of its axis: "CODE name")."""
    figure = figure_of(response)
    forecast = next(trace for trace in figure["data"] if trace["type"] == "bar" and trace.get("customdata"))
    return {label.split(" ")[0] for label in forecast["y"][1]}


@pytest.fixture
def plans(world):
    """Two directorates' projects: one with milestones (met, late), one without dates, one confidential."""
    today = timezone.localdate()
    it_portfolio = PortfolioFactory(code="PF-IT", name="Transformation", directorate=world.it)
    alpha = ProjectFactory(code="ALPHA", name="Core banking", directorate=world.it, portfolio=it_portfolio)
    beta = ProjectFactory(
        code="BETA", name="Data lake", directorate=world.finance, portfolio=None, project_manager=world.pm
    )
    undated = ProjectFactory(
        code="NODATE", name="Sans dates", directorate=world.it, forecast_start=None, forecast_end=None
    )
    secret = ProjectFactory(
        code="SECRET", name="Projet Mistral", directorate=world.finance, confidential=True
    )
    Milestone.objects.create(
        project=alpha,
        name="Go-live",
        deliverable="Live system",
        owner=world.pm,
        baseline_date=today - timedelta(days=20),
        forecast_date=today - timedelta(days=20),
        actual_date=today - timedelta(days=18),
    )
    Milestone.objects.create(
        project=alpha,
        name="Recette",
        baseline_date=today + timedelta(days=5),
        forecast_date=today + timedelta(days=40),
    )
    Milestone.objects.create(
        project=secret, name="Mistral lancement", baseline_date=today, forecast_date=today
    )
    StatusReportFactory(project=alpha, overall_rag=Rag.RED)
    StatusReportFactory(project=beta, overall_rag=Rag.GREEN)
    return {"alpha": alpha, "beta": beta, "undated": undated, "secret": secret}


def test_every_project_in_scope_is_drawn_or_listed_under_no_dates(client, world, plans):
    client.force_login(world.pmo)

    response = client.get(ROADMAP)

    assert drawn_codes(response) == {"ALPHA", "BETA", "SECRET"}
    assert [row.code for row in response.context["roadmap"].undated] == ["NODATE"]
    assert "No dates: 1 project" in response.text
    snapshot = PortfolioFigures.for_user(world.pmo).snapshot(timezone.localdate())
    assert len(response.context["roadmap"]) == snapshot.active == 4


def test_projects_are_grouped_by_directorate_or_by_portfolio(client, world, plans):
    client.force_login(world.pmo)

    by_directorate = client.get(ROADMAP).context["roadmap"]
    by_portfolio = client.get(f"{ROADMAP}?group=portfolio").context["roadmap"]

    assert {group.code: [row.code for row in group.rows] for group in by_directorate.groups} == {
        "DF": ["BETA", "SECRET"],
        "DSI": ["ALPHA"],
    }
    grouped = {group.key: [row.code for row in group.rows] for group in by_portfolio.groups}
    assert grouped[plans["alpha"].portfolio_id] == ["ALPHA"]
    assert grouped[None] == ["BETA"]  # "no portfolio", last


def test_the_milestones_are_markers_by_state(client, world, plans):
    client.force_login(world.pmo)

    figure = figure_of(client.get(ROADMAP))

    markers = {trace["name"]: trace for trace in figure["data"] if trace["type"] == "scatter"}
    assert markers["Milestone met"]["x"] == [(timezone.localdate() - timedelta(days=18)).isoformat()]
    assert markers["Milestone late"]["x"] == [(timezone.localdate() + timedelta(days=40)).isoformat()]
    assert len(markers["Milestone forecast"]["x"]) == 1  # the confidential project's, seen by the PMO


def test_filters_narrow_the_roadmap_by_directorate_and_rag(client, world, plans):
    client.force_login(world.pmo)

    by_directorate = client.get(f"{ROADMAP}?directorate={world.it.pk}")
    red = client.get(f"{ROADMAP}?rag=red")
    none = client.get(f"{ROADMAP}?rag=none")

    assert {row.code for row in by_directorate.context["roadmap"].rows} == {"ALPHA", "NODATE"}
    assert drawn_codes(red) == {"ALPHA"}
    assert {row.code for row in none.context["roadmap"].rows} == {"NODATE", "SECRET"}


def test_a_past_as_at_date_counts_the_dashboards_projects_with_the_banner(client, world):
    today = timezone.localdate()
    build_portfolio(count=6, weeks=3, today=today, directorate=world.it)
    ProjectFactory(code="NEW", directorate=world.it)  # created today: not in last month's portfolio
    client.force_login(world.executive)
    then = today - timedelta(days=10)

    response = client.get(f"{ROADMAP}?as_at={then.isoformat()}")
    dashboard = client.get(f"/dashboard/?as_at={then.isoformat()}")

    assert len(response.context["roadmap"]) == dashboard.context["snapshot"].active == 6
    assert "NEW" not in drawn_codes(response)
    assert "as-at-banner" in response.text and "Back to today" in response.text


def test_a_confidential_project_never_reaches_who_may_not_see_it(client, world, plans):
    client.force_login(world.other_pm)

    page = client.get(ROADMAP)
    exported = client.get("/planning/roadmap/export.xlsx")
    milestones = client.get("/planning/milestones/export.xlsx")

    for text in (page.content.decode(), str(sheet(exported)), str(sheet(milestones))):
        assert "SECRET" not in text and "Mistral" not in text
    assert "ALPHA" in page.text and "ALPHA" in str(sheet(exported))


def test_the_roadmap_export_lists_the_projects_with_dates_slip_and_milestones(client, world, plans):
    Project.objects.filter(pk=plans["alpha"].pk).update(
        forecast_end=plans["alpha"].baseline_end + timedelta(days=30)
    )
    client.force_login(world.pmo)

    rows = sheet(client.get(f"/planning/roadmap/export.xlsx?directorate={world.it.pk}"))

    header, *body = rows
    assert header[:4] == ("Code", "Project name", "Directorate", "Portfolio")
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_code) == {"ALPHA", "NODATE"}
    assert by_code["ALPHA"]["Slip (days)"] == 30
    assert by_code["ALPHA"]["Milestones"] == 2 and by_code["ALPHA"]["Milestones late"] == 1
    assert by_code["NODATE"]["Forecast start"] is None


def test_the_milestones_export_has_every_milestone_of_the_visible_projects(client, world, plans):
    client.force_login(world.pmo)

    header, *body = sheet(client.get("/planning/milestones/export.xlsx?rag=red"))

    rows = [dict(zip(header, row, strict=True)) for row in body]
    assert [(row["Project code"], row["Milestone"]) for row in rows] == [
        ("ALPHA", "Go-live"),
        ("ALPHA", "Recette"),
    ]
    go_live = rows[0]
    assert (go_live["Owner"], go_live["Deliverable"], go_live["Slip (days)"], go_live["State"]) == (
        str(world.pm.get_full_name() or world.pm.username),
        "Live system",
        2,
        "Met",
    )
    assert go_live["Baseline date"].date() == timezone.localdate() - timedelta(days=20)


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, world):
    ProjectFactory(code="FORM", name='=HYPERLINK("http://x")', directorate=world.it)
    client.force_login(world.pmo)

    _header, *body = sheet(client.get("/planning/roadmap/export.xlsx"))

    assert body[0][1].startswith("'=")


def test_the_roadmap_query_count_is_the_same_at_10_and_at_60_projects(client, world):
    today = timezone.localdate()
    client.force_login(world.pm)
    build_portfolio(count=10, weeks=4, today=today, directorate=world.it)
    few = queries(client, f"{ROADMAP}?group=portfolio")
    few_export = queries(client, "/planning/milestones/export.xlsx")

    build_portfolio(count=50, weeks=4, today=today, directorate=world.finance, prefix="BIG")
    # session, user, groups (the role check of visible_to); the snapshot (projects with their states
    # then, milestones' plan, phased budgets, delivery confidence assessments, reports in force, status
    # policy); the roadmap's milestones with owners; directorates and portfolios of the filter form
    assert queries(client, f"{ROADMAP}?group=portfolio") == few == 12
    # The same, without the filter form.
    assert queries(client, "/planning/milestones/export.xlsx") == few_export == 10


def test_the_reports_print_a_roadmap_page_per_directorate_of_at_most_30_projects(world, settings):
    from reporting.pdf.content.roadmap import ROADMAP_PAGE, roadmap_pages

    settings.REPORT_CHARTS = False  # the charts' data as tables: what the page would draw
    today = timezone.localdate()
    build_portfolio(count=45, weeks=2, today=today, directorate=world.it)
    build_portfolio(count=3, weeks=2, today=today, directorate=world.finance, prefix="FIN")
    figures = PortfolioFigures.for_everyone()

    with translation.override("en"):
        pages = roadmap_pages(figures, figures.snapshot(today))

    assert [page.title for page in pages] == [f"Roadmap: {world.it.name}", f"Roadmap: {world.finance.name}"]
    it, finance = pages
    assert len(finance.rows) == 3 and "more in the export" not in finance.note
    assert len(it.rows) == ROADMAP_PAGE == 30
    assert "The 30 of 45 projects that slipped most; 15 more in the export." in it.note
    # The worst slip first: build_portfolio's forecast end is index % 30 days past the baseline end.
    assert it.rows[0][0].startswith("BLK-0029")
