"""An executive looks at the portfolio as it stood three weeks ago and drills from every tile: each list
opens (never a 403), says which date it shows, and holds as many rows as the tile counts."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from governance.models import Action
from portfolio.models import Milestone, Project, Rag
from portfolio.models.status import period_of
from reporting.kpis import COMPUTED
from reporting.selectors import share
from risks.models import Risk, RiskAssessment
from tests.browser.test_live_meeting import browser_context_args  # noqa: F401  (English)
from tests.browser.test_smoke import sign_in
from tests.factories import make_risk
from tests.reporting.builders import build_portfolio, computed_kpi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = re.compile(r"^(\d+) results?$")


def portfolio_three_weeks_ago(world, today):
    """Eight projects reporting weekly: project 0 red, 1 and 2 amber, the others green; project 3 stopped
    reporting two weeks before the day; project 4 was closed since. Around the day: actions overdue
    then (one done since), one done in time, one due soon; risks critical then (one closed since, one
    reassessed since); milestones of the day's month met and missed."""
    day = period_of(today) - timedelta(weeks=2, days=1)  # a Sunday, the end of a week three weeks back
    day_week = period_of(day)

    def rag(index, week):
        if index == 3 and week > day_week - timedelta(weeks=2):
            return None
        return {0: Rag.RED, 1: Rag.AMBER, 2: Rag.AMBER}.get(index, Rag.GREEN)

    projects = build_portfolio(count=8, weeks=8, today=today, directorate=world.it, rag=rag, prefix="EXE")
    closed = Project.objects.get(pk=projects[4].pk)
    closed.state = Project.State.CLOSED
    closed.save()  # the audit trail records the change, today
    for function in COMPUTED:
        computed_kpi(function)
    for n, (due, state, completed) in enumerate(
        [
            (day - timedelta(days=6), Action.State.OPEN, None),
            (day - timedelta(days=3), Action.State.DONE, today),  # overdue then, done since
            (day - timedelta(days=3), Action.State.DONE, day - timedelta(days=1)),  # done in time
            (day + timedelta(days=4), Action.State.OPEN, None),
        ]
    ):
        Action.objects.create(
            reference=f"ACT-2026-08{n:02d}",
            title=f"Action {n}",
            owner=world.pm,
            project=projects[n],
            due_date=due,
            state=state,
            completed_on=completed,
        )
    recorded_long_ago(world, projects[0])  # critical then and now
    closed_since = recorded_long_ago(world, projects[1])  # critical then, closed since
    Risk.objects.filter(pk=closed_since.pk).update(state="closed", closed_on=today, closing_note="Levé")
    recorded_long_ago(world, projects[2], probability=1)  # never critical
    month_start = day.replace(day=1)
    Milestone.objects.create(
        project=projects[0], name="Tenu", baseline_date=month_start, forecast_date=month_start,
        actual_date=month_start, weight=Decimal(2),
    )  # fmt: skip
    Milestone.objects.create(
        project=projects[1], name="Manqué", baseline_date=month_start, forecast_date=today + timedelta(30)
    )
    return day


def recorded_long_ago(world, project, *, probability=4, impact=4):
    """A risk recorded and assessed forty days ago (16: critical by the default policy)."""
    risk = make_risk(project=project, owner=world.pm, probability=probability, impact=impact)
    then = timezone.now() - timedelta(days=40)
    Risk.objects.filter(pk=risk.pk).update(created_at=then)
    RiskAssessment.objects.filter(risk=risk).update(assessed_at=then)
    return risk


def count_on(page: Page) -> int:
    """The list's "N results", as the pagination footer says it."""
    text = page.locator("p", has_text=RESULTS).first.inner_text().strip()
    return int(RESULTS.match(text).group(1))


def percent(value) -> str:
    return "n/a" if value is None else f"{value}\N{NO-BREAK SPACE}%"


def test_an_executive_drills_from_every_tile_at_a_past_date(page: Page, live_server, world):
    today = timezone.localdate()
    day = portfolio_three_weeks_ago(world, today)
    sign_in(page, live_server.url, "executive", world.password)

    page.goto(f"{live_server.url}/dashboard/?as_at={day.isoformat()}")
    expect(page.locator(".kpi-tile").first).to_be_visible()
    # The executive drills from the first tile by clicking it, as from every other one below.
    with page.expect_navigation() as first:
        page.locator("a.kpi-tile").first.click()
    assert first.value.status == 200
    page.go_back()
    links = page.locator("a.kpi-tile")
    tiles = {
        links.nth(n).get_attribute("data-kpi"): (
            links.nth(n).get_attribute("href"),
            links.nth(n).locator(".kpi-value").inner_text().strip(),
        )
        for n in range(links.count())
    }
    assert len(tiles) == len([c for c in COMPUTED.values() if c.link]), tiles
    with translation.override("en"):
        banner = f"As at {date_format(day, 'j F Y')}"

    problems: list[str] = []
    seen: dict[str, int] = {}
    extra: dict[str, int] = {}
    for code, (href, _value) in tiles.items():
        # Each tile's own link, as the dashboard wrote it (one dashboard load rather than one a tile).
        response = page.goto(f"{live_server.url}{href}")
        if response.status != 200:
            problems.append(f"{code}: {href} answered {response.status}")
            continue
        if f"as_at={day.isoformat()}" not in page.url:
            problems.append(f"{code}: {href} does not carry the date")
        shown_banner = page.locator(".as-at-banner")
        if shown_banner.count() != 1 or banner not in shown_banner.inner_text():
            problems.append(f"{code}: no date banner saying {banner!r}")
        seen[code] = count_on(page)
        if code == "milestones-met":
            extra[code] = int(page.locator(".list-count-number").inner_text())  # met, of the due listed

    # The tile's count is the list's: as a number, or as the share of the whole portfolio it lists.
    whole = seen["budget-at-completion"]
    wanted = {
        "critical-risks": lambda n: str(n),
        "overdue-actions": lambda n: str(n),
        "decisions-taken": lambda n: str(n),
        "rag-green-share": lambda n: percent(share(n, whole)),
        "rag-amber-share": lambda n: percent(share(n, whole)),
        "rag-red-share": lambda n: percent(share(n, whole)),
        "status-compliance": lambda n: percent(share(whole - n, whole)),
        "milestones-met": lambda n: percent(share(extra["milestones-met"], n)),
    }
    for code, text in wanted.items():
        if code in seen and tiles[code][1] != text(seen[code]):
            problems.append(f"{code}: the tile says {tiles[code][1]}, its list {seen[code]} rows")
    for code in ("portfolio-cpi", "portfolio-spi", "forecast-at-completion", "forecast-to-budget"):
        if code in seen and seen[code] != whole:
            problems.append(f"{code}: its list holds {seen[code]} projects, the portfolio {whole}")
    assert problems == [], "\n".join(problems)
