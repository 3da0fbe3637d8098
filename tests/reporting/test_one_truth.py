"""One figure, one definition: the monthly and quarterly PDFs list the actions the dashboard counts as
overdue or due soon (never a done or cancelled one), and state "milestones met" as the dashboard's tile."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from governance.models import Action
from portfolio.models import Milestone
from reporting.models import Report
from reporting.pdf import kinds
from reporting.pdf.content import common
from reporting.periods import Frequency, Period
from reporting.selectors import PortfolioFigures
from reporting.templatetags.reporting_tags import kpi_value
from reporting.tiles import dashboard_kpis, tiles
from tests.reporting.builders import build_portfolio, computed_kpi
from tests.reporting.test_report_content import between, flat, text_of

KINDS = {Report.Kind.MONTHLY: Frequency.MONTHLY, Report.Kind.QUARTERLY: Frequency.QUARTERLY}


@pytest.fixture(autouse=True)
def _no_charts(settings):
    settings.REPORT_CHARTS = False


@pytest.fixture
def portfolio(world):
    for function in ("milestones_met", "overdue_actions"):
        computed_kpi(function)
    return build_portfolio(count=3, weeks=4, today=timezone.localdate(), directorate=world.it, prefix="ONE")


def action(world, project, reference: str, title: str, due, state=Action.State.OPEN, completed_on=None):
    return Action.objects.create(
        reference=reference,
        title=title,
        owner=world.pm,
        project=project,
        due_date=due,
        state=state,
        completed_on=completed_on,
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_reports_list_the_actions_open_at_the_periods_end_with_their_state_then(
    portfolio, world, tmp_path, kind
):
    """The report of the period just ended, read today: an action due then and done since was open at
    the period's end, so it is listed, as open then (never as "Done"); one done before the end, or
    cancelled, is neither overdue nor due; the counts are the tile's and the tracker's."""
    today = timezone.localdate()
    period = Period.containing(KINDS[kind], today).previous()
    on = period.end
    project = portfolio[0]
    action(world, project, "ACT-2026-0801", "Ouvert en retard", on - timedelta(days=5))
    action(world, project, "ACT-2026-0802", "Ouvert bientot du", on + timedelta(days=3))
    action(world, project, "ACT-2026-0803", "Fait depuis", on - timedelta(days=5), Action.State.DONE, today)
    action(
        world,
        project,
        "ACT-2026-0804",
        "Fait avant la fin",
        on - timedelta(days=5),
        Action.State.DONE,
        on - timedelta(days=1),
    )
    action(
        world, project, "ACT-2026-0805", "Annule en retard", on - timedelta(days=5), Action.State.CANCELLED
    )
    action(
        world, project, "ACT-2026-0806", "Annule bientot du", on + timedelta(days=3), Action.State.CANCELLED
    )
    report = Report.objects.create(kind=kind, language="en", period=period.start)

    follow_up = between(text_of(kinds.build(report).pdf, tmp_path), "Action follow-up", "Milestone slippage")
    overdue, due_soon = follow_up.split("Due within the next")

    assert "Ouvert en retard" in overdue and "Ouvert bientot du" in due_soon
    assert "Fait depuis" in overdue and "Open then (done on" in overdue
    assert "Done" not in follow_up
    for title in ("Fait avant la fin", "Annule en retard", "Annule bientot du"):
        assert title not in follow_up
    assert "2 overdue actions" in overdue
    figures = PortfolioFigures.for_everyone(scope=report.scope, today=today)
    assert figures.overdue_actions(on) == Action.objects.overdue(on).count() == 2
    assert set(Action.objects.overdue(today).values_list("state", flat=True)) == {Action.State.OPEN}


def test_a_done_action_is_never_overdue_nor_due_soon_once_done_and_was_open_before(world):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    action(world, None, "ACT-2026-0811", "Fait", today - timedelta(days=2), Action.State.DONE, today)
    action(world, None, "ACT-2026-0812", "Fait aussi", today + timedelta(days=2), Action.State.DONE, today)
    figures = PortfolioFigures.for_everyone(today=today)

    assert figures.overdue_actions(today) == 0 and common.due_soon(figures, today) == []
    # Yesterday, before they were done, the first was overdue and the second due: open then.
    assert figures.overdue_actions(yesterday) == 1
    assert [(a.reference, a.open_then) for a in common.due_soon(figures, yesterday)] == [
        ("ACT-2026-0812", True)
    ]


@pytest.mark.parametrize("kind", list(KINDS))
def test_milestones_met_is_the_dashboard_tiles_figure_in_the_scorecard_and_the_text(
    portfolio, tmp_path, kind
):
    """Milestones due earlier in the quarter (mostly missed) and this month (met): the quarterly report
    used to state the quarter's share in its text and the month's on its scorecard."""
    today = timezone.localdate()
    quarter = Period.containing(Frequency.QUARTERLY, today)
    project = portfolio[0]
    for n in range(3):
        Milestone.objects.create(
            project=project,
            name=f"Tardif {n}",
            baseline_date=quarter.start,
            forecast_date=today + timedelta(days=30),
            weight=Decimal(3),
        )
    Milestone.objects.create(
        project=project, name="Tenu", baseline_date=today, forecast_date=today, actual_date=today, weight=1
    )
    report = Report.objects.create(
        kind=kind, language="en", period=Period.containing(KINDS[kind], today).start
    )
    text = text_of(kinds.build(report).pdf, tmp_path)

    figures = PortfolioFigures.for_everyone(today=today)
    tile = next(
        t
        for t in tiles(dashboard_kpis(), figures=figures, as_at=today, today=today)
        if t.kpi.function == "milestones_met"
    )
    with translation.override("en"):
        shown = flat(kpi_value(tile.value, "percent"))
    stated = re.search(r"milestones due from .+? to .+? were met \(([^)]+)\)", text)
    assert stated is not None and stated.group(1) == shown
    after = "Budget consumption" if kind == Report.Kind.QUARTERLY else "Charts"
    assert shown in between(text, "KPI scorecard", after)
