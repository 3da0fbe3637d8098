"""The dashboard's charts read without their colours (WCAG 1.4.1, 1.1.1): each RAG and each milestone state
has its own pattern or shape besides its colour, and each chart's figures stand in a table beside it, the
same figures as the chart draws."""

import re

import pytest
from django.utils import timezone

from portfolio.models import Rag
from portfolio.models.status import period_of
from tests.reporting.builders import build_portfolio

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def dashboard(client, world):
    """Eight projects of the IT directorate: this week four green, two amber, one red, one that never
    reported (no status)."""
    today = timezone.localdate()
    this_week = period_of(today)
    plan = [Rag.GREEN] * 4 + [Rag.AMBER] * 2 + [Rag.RED, None]

    def rag(index, week):
        return plan[index] if week == this_week or plan[index] is None else Rag.GREEN

    build_portfolio(count=8, weeks=2, today=today, directorate=world.it, rag=rag)
    client.force_login(world.pmo)
    return client.get("/dashboard/", **ENGLISH)


def table_rows(html: str, caption: str) -> list[list[str]]:
    table = re.search(r"<caption[^>]*>" + re.escape(caption) + r"</caption>(.*?)</table>", html, re.S).group(
        1
    )
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_each_rag_of_the_stacked_bars_has_its_own_pattern(dashboard):
    series = dashboard.context["rag_figure"]["data"]

    shapes = [trace["marker"]["pattern"]["shape"] for trace in series]
    assert [trace["name"] for trace in series] == ["Green", "Amber", "Red", "No status"]
    assert len(set(shapes)) == 4


def test_the_roadmap_patterns_its_bars_by_rag_and_shapes_its_milestones_by_state(dashboard):
    baseline, bars, *markers = dashboard.context["roadmap_figure"]["data"]

    assert baseline["name"] == "Baseline" and "pattern" not in baseline["marker"]  # the light bar beneath
    assert len(set(bars["marker"]["pattern"]["shape"])) == 4  # the four RAGs of the eight projects
    symbols = {trace["name"]: trace["marker"]["symbol"] for trace in markers}
    assert set(symbols) == {"Milestone met", "Milestone forecast", "Milestone late"}
    assert len(set(symbols.values())) == 3


def test_the_rag_chart_has_a_table_of_the_same_counts(dashboard):
    rows = table_rows(dashboard.text, "Active projects by directorate and RAG")

    assert rows == [
        ["Directorate", "Green", "Amber", "Red", "No status", "Total"],
        ["Direction des Systèmes d&#x27;Information", "4", "2", "1", "1", "8"],
    ]
    counts = {trace["name"]: trace["x"] for trace in dashboard.context["rag_figure"]["data"]}
    assert counts == {"Green": [4], "Amber": [2], "Red": [1], "No status": [1]}


def test_the_roadmap_the_budget_the_heatmap_and_the_compliance_have_their_tables(dashboard):
    html = dashboard.text

    roadmap = table_rows(html, "The roadmap&#x27;s projects, their forecast dates, RAG and milestones")
    assert len(roadmap) == 1 + 8 and roadmap[0][3] == "RAG"
    assert sorted(row[3] for row in roadmap[1:]) == sorted(
        ["Green"] * 4 + ["Amber"] * 2 + ["Red", "No status"]
    )
    budget = table_rows(html, "Budget, forecast and actual cost by portfolio")
    assert budget[0] == ["Portfolio", "Budget (BAC)", "Forecast (FAC)", "Actual cost (AC)"]
    assert budget[1][0] == "Portefeuille BLK"
    compliance = table_rows(html, "Share of the active projects that reported, week by week")
    assert compliance[-1][1:] == ["7", "8", "87.5\N{NO-BREAK SPACE}%"]
    assert "Open risks by probability (rows) and impact (columns)" in html
    assert html.count("The chart's figures as a table") == 5
