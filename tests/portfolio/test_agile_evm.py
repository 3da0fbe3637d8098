"""AgileEVM (Sulaiman, Barton & Blackburn, 2006) on a worked example, and the same figures on the project
page, in the API and in the quarterly PDF; the weekly status's sprint fieldset; the release plan page;
the burn-up and velocity panel."""

from __future__ import annotations

import math
import re
import subprocess
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone, translation

from pmo.templatetags.pmo_tags import money, money_exact
from portfolio.agile import ReleaseFigures, delivery_of
from portfolio.models import Project, Rag, ReleasePlan, StatusReport
from portfolio.models.status import period_of
from reporting.models import Report
from reporting.pdf import kinds
from reporting.periods import Frequency, Period
from reporting.templatetags.reporting_tags import index
from tests.factories import ProjectFactory, StatusReportFactory
from tests.portfolio.test_project_page import milestones_for, queries_for

pytestmark = pytest.mark.django_db

CENT, THOUSANDTH = Decimal("0.01"), Decimal("0.001")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def thousandths(value: Decimal) -> Decimal:
    return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


# The worked example, by hand. BAC 300,000; a release of 200 points planned over 10 sprints of 2 weeks,
# the first starting on the Monday seven weeks before this week's, so that this week's status (dated by its
# Sunday) is the end of sprint 4. Sprint by sprint (completed points, points added to the release):
# 15 (+0), 20 (+10), 15 (+0), 20 (+10): 70 points done of a release grown to 220; 130,000 spent.
BAC = Decimal(300_000)
PLANNED_SPRINTS, PLANNED_POINTS = 10, Decimal(200)
SPRINTS = [  # (weeks ago, sprint, completed, added, AC)
    (6, 1, Decimal(15), Decimal(0), Decimal(30_000)),
    (4, 2, Decimal(20), Decimal(10), Decimal(65_000)),
    (2, 3, Decimal(15), Decimal(0), Decimal(95_000)),
    (0, 4, Decimal(20), Decimal(10), Decimal(130_000)),
]
AC = Decimal(130_000)
DONE = sum(completed for _weeks, _sprint, completed, _added, _ac in SPRINTS)
SCOPE = PLANNED_POINTS + sum(added for _weeks, _sprint, _completed, added, _ac in SPRINTS)
# Expected % complete after 4 sprints (PPC) = 4 / 10; PV = PPC x BAC = 120,000.00.
PPC = Decimal(4) / Decimal(PLANNED_SPRINTS)
PV = cents(PPC * BAC)
# Actual % complete (APC) = points done / the release's current scope = 70 / 220; EV = APC x BAC,
# 95,454.545... taken to the cent: 95,454.55.
APC = DONE / SCOPE
EV = cents(APC * BAC)
# Then exactly as classic earned value: indices to three decimals, EAC from the CPI shown.
CPI = thousandths(EV / AC)  # 95,454.55 / 130,000 = 0.734
SPI = thousandths(EV / PV)  # 95,454.55 / 120,000 = 0.795
EAC = cents(BAC / CPI)  # 300,000 / 0.734 = 408,719.35
PERCENT = cents(APC * 100)  # the status's % complete, derived from the points: 31.82


def test_the_worked_example_by_hand():
    assert (Decimal(70), Decimal(220)) == (DONE, SCOPE)
    assert (Decimal("120000.00"), Decimal("95454.55")) == (PV, EV)
    assert (
        Decimal("0.734"),
        Decimal("0.795"),
        Decimal("408719.35"),
        Decimal("31.82"),
    ) == (CPI, SPI, EAC, PERCENT)


@pytest.fixture
def agile(world) -> Project:
    """The worked example: an agile project of the IT directorate, red this week (an exception), whose
    baseline dates would give a quite different classic PV (so that AgileEVM is what the figures show)."""
    this_week = period_of(timezone.localdate())
    start = this_week - timedelta(weeks=7)
    project = ProjectFactory(
        code="AGL-0001",
        name="Application mobile agile",
        methodology=Project.Methodology.AGILE,
        budget=BAC,
        project_manager=world.pm,
        directorate=world.it,
        baseline_start=start - timedelta(weeks=30),
        baseline_end=start + timedelta(weeks=60),
    )
    ReleasePlan.objects.create(
        project=project,
        start=start,
        sprint_length_days=14,
        planned_sprints=PLANNED_SPRINTS,
        planned_points=PLANNED_POINTS,
    )
    done, scope = Decimal(0), PLANNED_POINTS
    for weeks_ago, sprint, completed, added, spent in SPRINTS:
        done, scope = done + completed, scope + added
        StatusReportFactory(
            project=project,
            weeks_ago=weeks_ago,
            rag=Rag.RED if weeks_ago == 0 else Rag.GREEN,
            actual_cost=spent,
            iteration=sprint,
            iteration_planned_points=Decimal(20),
            iteration_completed_points=completed,
            scope_added_points=added,
            release_points_done=done,
            release_points=scope,
        )
    project.refresh_from_db()
    return project


def test_the_status_stores_the_percent_complete_its_points_give(agile):
    assert agile.last_report.percent_complete == PERCENT


def test_planned_value_counts_whole_sprints_ended_by_the_status_date():
    release = ReleaseFigures(
        start=period_of(timezone.localdate()),
        sprint_length_days=14,
        planned_sprints=3,
        planned_points=PLANNED_POINTS,
    )
    start = release.start
    assert release.sprints_ended(start + timedelta(days=12)) == 0
    assert release.sprints_ended(start + timedelta(days=13)) == 1  # the sprint's last day
    assert release.sprints_ended(start + timedelta(days=300)) == 3  # capped at the planned sprints
    assert release.sprints_ended(start - timedelta(days=30)) == 0


def test_the_project_page_shows_the_worked_example(client, world, agile):
    client.force_login(world.pm)
    html = client.get(agile.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("en"):
        for abbr, amount in (("BAC", BAC), ("PV", PV), ("EV", EV), ("AC", AC), ("EAC", EAC)):
            shown = f'{abbr}</abbr></dt><dd><span title="{money_exact(amount, agile.currency)}">'
            assert shown + f"{money(amount, agile.currency)}</span>" in html, abbr
    assert f"CPI</abbr></dt><dd>{CPI}</dd>" in html
    assert f"SPI</abbr></dt><dd>{SPI}</dd>" in html
    assert "AgileEVM" in html


def test_the_api_gives_the_worked_example(client, world, agile):
    client.force_login(world.executive)
    body = client.get(f"/api/projects/{agile.code}/earned-value/").json()
    assert body["method"] == "agile"
    expected = {"bac": BAC, "pv": PV, "ev": EV, "ac": AC, "cpi": CPI, "spi": SPI, "eac": EAC}
    assert {name: Decimal(body[name]) for name in expected} == expected
    assert body["ev"] == str(EV) and body["cpi"] == str(CPI)
    project = client.get(f"/api/projects/{agile.code}/").json()
    assert project["release_plan"]["planned_sprints"] == PLANNED_SPRINTS
    assert Decimal(project["latest_status"]["percent_complete"]) == PERCENT
    reports = client.get("/api/status-reports/", {"project": agile.code}).json()["results"]
    latest = next(r for r in reports if r["period"] == agile.last_report.period.isoformat())
    assert (Decimal(latest["release_points_done"]), Decimal(latest["release_points"])) == (DONE, SCOPE)


def test_the_quarterly_pdf_gives_the_worked_example(world, agile, settings, tmp_path):
    settings.REPORT_CHARTS = False
    period = Period.containing(Frequency.QUARTERLY, timezone.localdate())
    report = Report.objects.create(kind=Report.Kind.QUARTERLY, language="en", period=period.start)
    path = tmp_path / "quarterly.pdf"
    path.write_bytes(kinds.build(report).pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    text = re.sub(r"\s+", " ", text.replace("\N{NO-BREAK SPACE}", " "))
    exceptions = text[text.index("Exceptions") : text.index("Appendix")]
    row = exceptions[exceptions.index(agile.code) :][:400]
    with translation.override("en"):
        # The report prints indices at its own precision: the same CPI and SPI, rounded for print.
        assert f"{index(CPI)} {index(SPI)}" in row
    assert "(AgileEVM)" in row


def test_a_classic_project_keeps_its_classic_earned_value(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, budget=BAC)
    # A release plan on a classic project changes nothing: earned value is AgileEVM's for agile ones only.
    ReleasePlan.objects.create(
        project=project, start=project.baseline_start, planned_sprints=4, planned_points=Decimal(100)
    )
    StatusReportFactory(project=project, actual_cost=AC)
    client.force_login(world.executive)
    body = client.get(f"/api/projects/{project.code}/earned-value/").json()
    assert body["method"] == "classic"
    assert Decimal(body["ev"]) == cents(BAC * Decimal(40) / 100)  # the factory's 40 % complete


# --- The weekly status's sprint fieldset -------------------------------------------------------------


def test_the_sprint_fieldset_is_shown_for_agile_projects_only(client, world, agile):
    classic = ProjectFactory(project_manager=world.pm, directorate=world.it)
    client.force_login(world.pm)
    html = client.get(f"/portfolio/projects/{agile.code}/status/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="status-sprint-fields"' in html
    # Prefilled: the release plan's sprint of today, this week's points planned when it is the same sprint.
    today_sprint = ReleaseFigures.of(agile.release_plan).sprints_ended(timezone.localdate()) + 1
    assert re.search(rf'name="iteration" value="{today_sprint}"', html)
    other = client.get(
        f"/portfolio/projects/{classic.code}/status/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "status-sprint-fields" not in other and 'name="iteration"' not in other


def status_post(project, **changes) -> dict:
    previous = project.last_report
    data = {
        "based_on": previous.pk,
        "overall_rag": "green",
        "schedule_rag": "green",
        "cost_rag": "green",
        "scope_rag": "green",
        "resources_rag": "green",
        "actual_cost": "140000",
        "explanation": "Sprint 5 commencé.",
        "iteration": "5",
        "iteration_planned_points": "20",
        "iteration_completed_points": "8",
        "scope_added_points": "5",
        "release_points_done": "",
        "release_points": "",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
        **changes,
    }
    return data


def test_release_points_and_percent_complete_follow_the_sprint(client, world, agile):
    client.force_login(world.pm)
    response = client.post(f"/portfolio/projects/{agile.code}/status/", status_post(agile))
    assert response.status_code == 302
    report = StatusReport.objects.filter(project=agile).latest()
    # A new sprint: done = the last status's 70 + 8 completed; scope = its 220 + 5 added.
    assert (report.release_points_done, report.release_points) == (DONE + 8, SCOPE + 5)
    assert report.percent_complete == cents((DONE + 8) / (SCOPE + 5) * 100)


def test_points_done_cannot_exceed_the_release_scope(client, world, agile):
    client.force_login(world.pm)
    data = status_post(agile, release_points_done="300", release_points="250")
    response = client.post(f"/portfolio/projects/{agile.code}/status/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The points done cannot exceed the release" in response.content.decode()
    assert StatusReport.objects.filter(project=agile).count() == len(SPRINTS)


def test_the_api_takes_the_sprint_of_an_agile_status(client, world, agile):
    client.force_login(world.pm)
    body = {k: v for k, v in status_post(agile).items() if not k.startswith("milestones") and v != ""}
    response = client.post(
        f"/api/projects/{agile.code}/status-reports/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["percent_complete"]) == cents((DONE + 8) / (SCOPE + 5) * 100)


# --- Burn-up, velocity, the panel and its queries ----------------------------------------------------


def test_the_burn_up_and_velocity_read_every_sprint(client, world, agile):
    delivery = delivery_of(agile, release=ReleaseFigures.of(agile.release_plan))
    done, scope, expected = Decimal(0), PLANNED_POINTS, []
    for _weeks, sprint, completed, added, _ac in SPRINTS:
        done, scope = done + completed, scope + added
        expected.append((sprint, scope, done, completed))
    assert [(s.number, s.scope, s.done, s.completed) for s in delivery.sprints] == expected
    last_three = [completed for _w, _s, completed, _a, _c in SPRINTS][-3:]
    velocity = (sum(last_three) / 3).quantize(Decimal("0.1"))
    assert delivery.velocity == velocity
    assert delivery.remaining == SCOPE - DONE
    assert delivery.sprints_left == math.ceil((SCOPE - DONE) / velocity)

    client.force_login(world.executive)
    html = client.get(agile.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="agile-burn-up-figure"' in html and 'id="agile-velocity-figure"' in html
    assert re.search(rf'id="agile-sprints-left">{delivery.sprints_left}<', html)


def test_the_agile_panel_costs_one_query_whatever_the_number_of_sprints(client, world, agile):
    client.force_login(world.pm)
    classic = ProjectFactory(project_manager=world.pm, directorate=world.it)
    StatusReportFactory(project=classic)
    milestones_for(classic, 2)
    milestones_for(agile, 2)
    longer = ProjectFactory(
        project_manager=world.pm, directorate=world.it, methodology=Project.Methodology.AGILE
    )
    ReleasePlan.objects.create(
        project=longer, start=longer.baseline_start, planned_sprints=20, planned_points=400
    )
    milestones_for(longer, 2)
    for weeks_ago in range(11, -1, -1):
        StatusReportFactory(
            project=longer, weeks_ago=weeks_ago, iteration=12 - weeks_ago, iteration_completed_points=10,
            release_points_done=Decimal(10 * (12 - weeks_ago)), release_points=400,
        )  # fmt: skip
    # The project page's queries (tests/portfolio/test_project_page.py) plus the agile panel's sprints
    # (one); the release plan comes joined with the project.
    assert queries_for(client, agile) == queries_for(client, longer) == queries_for(client, classic) + 1


def test_a_classic_project_page_has_no_agile_panel(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    client.force_login(world.pm)
    assert 'id="agile-delivery"' not in client.get(project.get_absolute_url()).content.decode()


# --- The release plan page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"), [("pm", 200), ("pmo", 200), ("executive", 200), ("other_pm", 200)]
)
def test_whoever_sees_the_project_reads_its_release_plan(client, world, agile, user, status):
    client.force_login(getattr(world, user))
    html = client.get(f"/portfolio/projects/{agile.code}/release-plan/", HTTP_ACCEPT_LANGUAGE="en")
    assert html.status_code == status
    editable = Project.objects.editable_by(getattr(world, user)).filter(pk=agile.pk).exists()
    assert ('name="planned_sprints"' in html.content.decode()) == editable


def test_the_project_manager_sets_the_release_plan_and_a_reader_may_not(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, methodology="agile")
    url = f"/portfolio/projects/{project.code}/release-plan/"
    fields = {
        "start": "2026-01-05",
        "sprint_length_days": "14",
        "planned_sprints": "10",
        "planned_points": "200",
    }
    client.force_login(world.executive)
    assert client.post(url, fields).status_code == 403
    assert not ReleasePlan.objects.filter(project=project).exists()
    client.force_login(world.pm)
    assert client.post(url, {**fields, "planned_sprints": "0"}).status_code == 200  # refused
    assert client.post(url, fields).status_code == 302
    plan = ReleasePlan.objects.get(project=project)
    assert (plan.planned_sprints, plan.planned_points, plan.history.count()) == (10, Decimal(200), 1)
