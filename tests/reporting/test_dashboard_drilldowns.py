"""The lists behind the dashboard's tiles: every reader of the dashboard may open every tile's list, and
at a past date the list carries that date, says so, and lists as many rows as the tile counts."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from governance.models import Action
from reporting.kpis import COMPUTED
from risks.models import Risk, RiskAssessment
from risks.services import risk_reassess
from tests.factories import ProjectFactory, make_risk
from tests.reporting.builders import build_portfolio, computed_kpi

pytestmark = pytest.mark.django_db


def tile_links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a href="([^"]+)" class="kpi-tile', html)]


@pytest.mark.parametrize("days_ago", [0, 14])
@pytest.mark.parametrize("role", ["admin", "pmo", "executive"])
def test_every_tile_a_reader_sees_links_to_a_list_they_may_open(client, world, role, days_ago):
    today = timezone.localdate()
    build_portfolio(count=4, weeks=2, today=today, directorate=world.it)
    for function in COMPUTED:
        computed_kpi(function)
    Action.objects.create(
        reference="ACT-2026-0001", title="A", owner=world.pm, due_date=today - timedelta(days=2)
    )
    client.force_login(getattr(world, role))

    day = today - timedelta(days=days_ago)
    links = tile_links(client.get(f"/dashboard/?as_at={day.isoformat()}").text)

    assert len(links) == len([c for c in COMPUTED.values() if c.link])
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)


def action(reference, owner, *, due, **fields):
    return Action.objects.create(reference=reference, title=reference, owner=owner, due_date=due, **fields)


def test_at_a_past_date_the_overdue_actions_list_carries_the_date_and_counts_as_the_tile(client, world):
    today = timezone.localdate()
    day = today - timedelta(days=14)
    computed_kpi("overdue_actions")
    done = Action.State.DONE
    action("ACT-2026-0001", world.pm, due=day - timedelta(days=5))  # overdue then and now
    action(
        "ACT-2026-0002", world.pm, due=day - timedelta(days=5), state=done, completed_on=day + timedelta(1)
    )
    action(
        "ACT-2026-0003", world.pm, due=day - timedelta(days=5), state=done, completed_on=day
    )  # done in time
    action("ACT-2026-0004", world.pm, due=day + timedelta(days=3))  # overdue today only
    action("ACT-2026-0005", world.pm, due=day + timedelta(days=4))
    client.force_login(world.executive)

    dashboard = client.get(f"/dashboard/?as_at={day.isoformat()}")
    overdue = next(t for t in dashboard.context["tiles"] if t.kpi.code == "overdue-actions")
    listing = client.get(overdue.url)

    assert overdue.value == 2
    assert f"as_at={day.isoformat()}" in overdue.url
    assert [a.reference for a in listing.context["page"].object_list] == ["ACT-2026-0001", "ACT-2026-0002"]
    assert "As at" in listing.text
    assert client.get("/dashboard/").context["tiles"][0].value == 3


def recorded(days_ago: int, *, project, probability=4, impact=4):
    """A risk recorded and first assessed `days_ago` days ago (16: critical by the default policy)."""
    risk = make_risk(project=project, probability=probability, impact=impact)
    then = timezone.now() - timedelta(days=days_ago)
    Risk.objects.filter(pk=risk.pk).update(created_at=then)
    RiskAssessment.objects.filter(risk=risk).update(assessed_at=then)
    return risk


def test_at_a_past_date_the_critical_risks_list_carries_the_date_and_counts_as_the_tile(client, world):
    today = timezone.localdate()
    day = today - timedelta(days=14)
    computed_kpi("critical_risks")
    project = ProjectFactory(directorate=world.it)
    calmer = recorded(24, project=project)  # critical then, reassessed low since
    risk_reassess(risk=calmer, by=calmer.owner, probability=2, impact=2)
    closed = recorded(24, project=project)  # critical then, closed since
    Risk.objects.filter(pk=closed.pk).update(
        state="closed", closed_on=day + timedelta(days=2), closing_note="Levé"
    )
    still = recorded(24, project=project)  # critical then and now
    recorded(0, project=project, probability=5)  # critical today only
    recorded(24, project=project, probability=1)  # never critical
    client.force_login(world.executive)

    dashboard = client.get(f"/dashboard/?as_at={day.isoformat()}")
    critical = next(t for t in dashboard.context["tiles"] if t.kpi.code == "critical-risks")
    listing = client.get(critical.url)

    assert critical.value == 3
    assert f"as_at={day.isoformat()}" in critical.url
    listed = {risk.pk for risk in listing.context["page"].object_list}
    assert listed == {calmer.pk, closed.pk, still.pk}
    assert "As at" in listing.text
    today_tile = client.get("/dashboard/").context["tiles"][0]
    assert today_tile.value == 2 == client.get(today_tile.url).context["page"].paginator.count


def test_at_a_past_date_the_heatmap_places_the_risks_as_assessed_then_and_each_cell_lists_as_many(
    client, world
):
    today = timezone.localdate()
    day = today - timedelta(days=14)
    project = ProjectFactory(directorate=world.it)
    calmer = recorded(24, project=project)  # 4x4 then, reassessed 2x2 since
    risk_reassess(risk=calmer, by=calmer.owner, probability=2, impact=2)
    closed = recorded(24, project=project)  # 4x4 then, closed since
    Risk.objects.filter(pk=closed.pk).update(
        state="closed", closed_on=day + timedelta(days=2), closing_note="Levé"
    )
    recorded(0, project=project, probability=5)  # recorded since: not on that date's map
    client.force_login(world.executive)

    past = client.get(f"/dashboard/?as_at={day.isoformat()}")
    grid = past.context["heatmap"]

    assert grid.total == 2 and grid.cell(4, 4).count == 2 and grid.cell(2, 2).count == 0
    for cell in grid.cells:
        if cell.count:
            listing = client.get(cell.url)
            assert f"as_at={day.isoformat()}" in cell.url and "As at" in listing.text
            assert listing.context["page"].paginator.count == cell.count
    # Today the reassessed risk is in the 2x2 cell, the closed one nowhere.
    now = client.get("/dashboard/").context["heatmap"]
    assert now.cell(2, 2).count == 1 and now.cell(4, 4).count == 0
