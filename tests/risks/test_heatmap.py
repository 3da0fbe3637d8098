import random
import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from risks import selectors
from risks.models import Risk, RiskAssessment, RiskPolicy
from risks.services import risk_escalate, risk_reassess
from tests.factories import CommitteeFactory, DirectorateFactory, ProjectFactory, make_risk
from tests.risks.portfolio_risks import register_world  # noqa: F401 (the `reg` fixture)

pytestmark = pytest.mark.django_db
HEATMAP = reverse("risks:heatmap")
REGISTER = reverse("risks:register")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def grid_of(client, **params) -> selectors.Heatmap:
    response = client.get(HEATMAP, params, **ENGLISH)
    assert response.status_code == 200
    return response.context["grid"]


def counts(grid: selectors.Heatmap) -> dict[tuple[int, int], int]:
    return {(cell.probability, cell.impact): cell.count for cell in grid.cells if cell.count}


# --- The heatmap and the register agree ---------------------------------------------------------------


@pytest.mark.parametrize("basis", ["inherent", "residual"])
@pytest.mark.parametrize("reader", ["pmo", "other_pm"])
def test_each_cells_count_equals_the_registers_count_behind_its_link(client, world, reg, basis, reader):
    client.force_login(getattr(world, reader))
    response = client.get(HEATMAP, {"basis": basis}, **ENGLISH)
    grid = response.context["grid"]
    html = response.content.decode()
    non_empty = [cell for cell in grid.cells if cell.count]
    assert non_empty, "the fixture puts risks on the map"

    for cell in non_empty:
        # The accessible table shows the same number and the same link as the chart's cell.
        assert f'href="{cell.url.replace("&", "&amp;")}"' in html
        listed = client.get(cell.url, **ENGLISH)
        assert listed.context["page"].paginator.count == cell.count, (cell.probability, cell.impact)
    all_open = client.get(REGISTER, {"state": "open"}).context["page"].paginator.count
    assert grid.total == sum(cell.count for cell in grid.cells) == all_open


def test_the_cells_links_keep_the_heatmaps_filters(client, world, reg):
    client.force_login(world.pmo)

    grid = grid_of(client, directorate=world.it.pk, basis="residual")

    assert counts(grid) == {(5, 5): 1, (4, 5): 1, (1, 1): 1, (2, 3): 1}
    cell = grid.cell(4, 5)
    assert f"directorate={world.it.pk}" in cell.url and "basis=residual" in cell.url
    assert client.get(cell.url).context["page"].paginator.count == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "opportunity"}, {(3, 4): 1}),
        ({"category": "financial"}, {(3, 3): 1}),
        ({"project": "finance_project"}, {(3, 3): 1}),
        ({"owner": "other_pm"}, {(3, 3): 1, (3, 4): 1}),
        ({"directorate": "finance"}, {(3, 3): 1, (3, 4): 1}),
    ],
)
def test_the_heatmap_filters_narrow_the_map_and_its_links(client, world, reg, params, expected):
    lookups = {
        "financial": reg.financial.pk,
        "finance_project": reg.finance_project.pk,
        "other_pm": world.other_pm.pk,
        "finance": world.finance.pk,
    }
    query = {name: lookups.get(value, value) for name, value in params.items()}
    client.force_login(world.pmo)

    grid = grid_of(client, **query)

    assert counts(grid) == expected
    for cell in grid.cells:
        if cell.count:
            assert client.get(cell.url).context["page"].paginator.count == cell.count


def test_the_residual_map_moves_mitigated_risks_and_keeps_the_others_where_they_are(client, world, reg):
    client.force_login(world.pmo)

    inherent = counts(grid_of(client))
    residual = counts(grid_of(client, basis="residual"))

    assert inherent == {(5, 5): 1, (4, 5): 1, (3, 4): 1, (3, 3): 1, (2, 3): 1, (2, 2): 1}
    assert residual == {(5, 5): 1, (4, 5): 1, (3, 4): 1, (1, 3): 1, (2, 3): 1, (1, 1): 1}


def test_a_confidential_projects_risks_are_not_counted_for_another_project_manager(client, world, reg):
    client.force_login(world.other_pm)
    other = grid_of(client)
    top = client.get(HEATMAP, **ENGLISH).context["top_risks"]
    client.force_login(world.pm)
    own = grid_of(client)

    assert other.cell(5, 5).count == 0 and own.cell(5, 5).count == 1
    assert other.total == 5 and own.total == 6
    assert reg.secret_risk not in top


def test_closed_risks_are_not_on_the_map(client, world, reg):
    client.force_login(world.pmo)

    assert grid_of(client).cell(3, 5).count == 0  # the closed datacenter risk (3 x 5)


def test_the_cells_and_the_legend_follow_the_policys_thresholds(client, world, reg):
    RiskPolicy(medium_from=4, high_from=8, critical_from=20).save()
    client.force_login(world.pmo)

    response = client.get(HEATMAP, **ENGLISH)

    grid, html = response.context["grid"], response.content.decode()
    assert (
        grid.cell(3, 3).level == "high"
        and grid.cell(4, 4).level == "high"
        and grid.cell(4, 5).level == "critical"
    )
    assert "score 8\u201319" in html and "score 20\u201325" in html
    assert 'data-probability="3" data-impact="3" data-count="1"' in html
    assert re.search(r'risk-grid-high" data-probability="3" data-impact="3"', html)


def test_the_figure_colours_cells_by_level_and_links_the_non_empty_ones(client, world, reg):
    client.force_login(world.pmo)

    figure = client.get(HEATMAP, **ENGLISH).context["heatmap_figure"]

    trace = figure["data"][0]
    assert trace["type"] == "heatmap" and trace["x"] == [1, 2, 3, 4, 5] and trace["y"] == [1, 2, 3, 4, 5]
    # Row 0 is probability 1: low everywhere but 1 x 5 (medium); row 4 is probability 5.
    assert trace["z"][0] == [1, 1, 1, 1, 2] and trace["z"][4] == [2, 3, 4, 4, 4]
    assert trace["text"][4][4] == 1 and trace["text"][3][4] == 1
    assert trace["customdata"][3][4].startswith("/risks/?") and trace["customdata"][0][0] == ""
    assert trace["showscale"] is False


def test_the_page_shows_the_top_risks_and_the_exposure(client, world, reg):
    client.force_login(world.pmo)

    response = client.get(HEATMAP, **ENGLISH)

    html = response.content.decode()
    assert [r.reference for r in response.context["top_risks"]][:2] == [
        reg.secret_risk.reference,
        reg.critical.reference,
    ]
    assert f'href="{reg.critical.get_absolute_url()}"' in html
    assert "Today: exposure 76, 2 critical" in html  # 25 + 20 + 12 + 9 + 6 + 4
    assert 'data-chart="risk-exposure-figure"' in html and 'id="risk-heatmap-figure"' in html
    assert "plotly.min.js" in html


def test_an_empty_portfolio_shows_an_empty_map(client, world):
    client.force_login(world.pmo)

    response = client.get(HEATMAP, **ENGLISH)

    assert response.context["grid"].total == 0 and "No open risk." in response.content.decode()


# --- Selectors ----------------------------------------------------------------------------------------


def test_top_risks_put_the_highest_score_first_then_the_nearest_proximity(world):
    today = date.today()
    far = make_risk(probability=4, impact=4, proximity=today + timedelta(days=90))
    near = make_risk(probability=4, impact=4, proximity=today + timedelta(days=10))
    undated = make_risk(probability=4, impact=4)
    top = make_risk(probability=5, impact=4)
    make_risk(probability=1, impact=1)

    assert selectors.top_risks(Risk.objects.all(), limit=4) == [top, near, far, undated]


def test_exposure_sums_the_open_scores_and_counts_the_critical_ones(reg):
    assert selectors.exposure(Risk.objects.all()) == {"score": 76, "critical": 2, "open": 6}
    assert selectors.exposure(Risk.objects.none()) == {"score": 0, "critical": 0, "open": 0}


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def handmade(created: date, scores: dict[date, int], closed: date | None = None) -> Risk:
    """A risk recorded on `created`, assessed on each day of `scores`, closed (or occurred) on `closed`."""
    risk = make_risk(probability=1, impact=1)
    risk.assessments.all().delete()
    for day, score in scores.items():
        RiskAssessment.objects.create(
            risk=risk, probability=1, impact=score, score=score, assessed_at=at(day)
        )
    Risk.objects.filter(pk=risk.pk).update(
        created_at=at(created),
        closed_on=closed,
        state=Risk.State.CLOSED if closed else Risk.State.OPEN,
        closing_note="Clos" if closed else "",
    )
    return risk


def independent_exposure(history: list[tuple[date, dict[date, int], date | None]], day: date, critical_from):
    """The definition, read literally: the risks open at the end of `day`, each with its latest score."""
    total = critical = 0
    for created, scores, closed in history:
        if not (created <= day and (closed is None or day < closed)):
            continue
        score = scores[max(d for d in scores if d <= day)]
        total += score
        critical += score >= critical_from
    return total, critical


def test_exposure_over_time_matches_an_independent_calculation(world, django_assert_num_queries):
    today = date(2026, 6, 17)  # a Wednesday: the weeks end on 31 May, 7, 14 June and today
    history = [
        (date(2026, 5, 20), {date(2026, 5, 20): 6, date(2026, 6, 3): 20, date(2026, 6, 10): 12}, None),
        (date(2026, 6, 5), {date(2026, 6, 5): 16}, date(2026, 6, 14)),
        (date(2026, 6, 16), {date(2026, 6, 16): 4}, None),
        (date(2026, 4, 1), {date(2026, 4, 1): 25}, date(2026, 5, 30)),
    ]
    for created, scores, closed in history:
        handmade(created, scores, closed)
    policy = RiskPolicy.current()

    # the risks, their assessments
    with django_assert_num_queries(2):
        points = selectors.exposure_over_time(Risk.objects.all(), weeks=4, today=today, policy=policy)

    assert [p.on for p in points] == [date(2026, 5, 31), date(2026, 6, 7), date(2026, 6, 14), today]
    assert [(p.score, p.critical) for p in points] == [(6, 0), (36, 2), (12, 0), (16, 0)]
    assert [(p.score, p.critical) for p in points] == [
        independent_exposure(history, p.on, policy.critical_from) for p in points
    ]


def test_exposure_over_time_costs_two_queries_whatever_the_number_of_risks(world, django_assert_num_queries):
    policy = RiskPolicy.current()
    for n in range(20):
        risk = make_risk(probability=1 + n % 5, impact=3)
        risk_reassess(risk=risk, by=risk.owner, probability=5, impact=5)

    with django_assert_num_queries(2):
        points = selectors.exposure_over_time(Risk.objects.all(), today=date.today(), policy=policy)

    assert len(points) == 26 and points[-1].score == 20 * 25 and points[-1].critical == 20


def test_the_exposure_timeline_equals_the_walk_through_every_history_on_every_day():
    """RiskHistories sums changes once instead of walking every risk for each day asked (fast at
    3,000 risks): on random histories, including assessments before a risk's recorded day, several on
    one day, and risks closed the day they were recorded, it answers as the walk does."""
    rng = random.Random(10)
    start = date(2026, 1, 5)
    histories = {}
    for pk in range(300):
        opened = start + timedelta(days=rng.randint(0, 60))
        days = sorted(opened + timedelta(days=rng.randint(-3, 90)) for _n in range(rng.randint(0, 5)))
        closed = rng.choice([None, opened + timedelta(days=rng.randint(0, 100))])
        histories[pk] = selectors._History(
            opened=opened, closed=closed, days=days, scores=[rng.randint(1, 25) for _day in days]
        )
    timeline = selectors.RiskHistories(histories)
    policy = RiskPolicy(critical_from=15)

    for offset in range(-5, 170):
        day = start + timedelta(days=offset)
        scores = [s for h in histories.values() if (s := h.score_on(day)) is not None]
        point = timeline.exposure_on(day, policy=policy)
        assert (point.score, point.critical, point.open) == (
            sum(scores),
            sum(score >= 15 for score in scores),
            len(scores),
        ), day


# --- Queries --------------------------------------------------------------------------------------------


def many_risks(count: int) -> None:
    directorate = DirectorateFactory(code="DMANY")
    committee = CommitteeFactory()
    for n in range(count):
        project = ProjectFactory(code=f"MANY-{n:03d}", directorate=directorate)
        risk = make_risk(
            project=project,
            probability=1 + n % 5,
            impact=1 + (n * 2) % 5,
            residual_probability=1,
            residual_impact=1,
        )
        risk_reassess(risk=risk, by=project.project_manager, probability=2, impact=3 + n % 3)
        if n % 3 == 0:
            risk_escalate(risk=risk, committee=committee, reason="Arbitrer", by=project.project_manager)


def queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HEATMAP, params or {}).status_code == 200
    return len(captured)


def test_the_heatmap_query_count_does_not_grow_with_risks(client, world, reg, django_assert_num_queries):
    client.force_login(world.other_pm)  # whose visibility rule is the longest
    residual = {"basis": "residual", "kind": "threat"}
    few = queries(client), queries(client, residual)
    many_risks(30)

    # 1 session, 2 user, 3 groups (roles), 4 the risk policy, 5 the open risks counted by cell in one
    # GROUP BY, 6 the risks' opening and closing days, 7 their assessments (exposure over time), 8 the
    # top ten risks with their project, home and owner; the filter form's choice lists: 9 directorates,
    # 10 projects with risks, 11 categories, 12 owners of risks.
    with django_assert_num_queries(12):
        client.get(HEATMAP)
    assert (queries(client), queries(client, residual)) == few == (12, 12)


def test_each_cells_count_reads_against_its_colour(client, world, reg):
    """The count is written in a colour chosen per level (Plotly's grey read at 3.2:1 on the orange of
    "high"): dark on the light levels, white on the dark ones, 4.5:1 or more (WCAG 1.4.3)."""
    client.force_login(world.pmo)

    figure = client.get(HEATMAP, **ENGLISH).context["heatmap_figure"]

    counts = {(note["y"], note["x"]): note for note in figure["layout"]["annotations"]}
    assert len(counts) == 25 and counts[(5, 5)]["text"] == "1" and counts[(4, 5)]["text"] == "1"
    assert counts[(3, 3)]["font"]["color"] == "#212529"  # high: dark on orange
    assert counts[(4, 5)]["font"]["color"] == "#fff"  # critical: white on red
    assert counts[(1, 1)]["font"]["color"] == "#fff"  # low: white on green
    assert "texttemplate" not in figure["data"][0]
