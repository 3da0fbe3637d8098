"""The lists behind the dashboard's tiles: every reader of the dashboard may open every tile's list, and
at a past date the list carries that date, says so, and lists as many rows as the tile counts."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from governance.models import Action
from reporting.kpis import COMPUTED
from tests.reporting.builders import build_portfolio, computed_kpi

pytestmark = pytest.mark.django_db


def tile_links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a href="([^"]+)" class="kpi-tile', html)]


@pytest.mark.parametrize("role", ["admin", "pmo", "executive"])
def test_every_tile_a_reader_sees_links_to_a_list_they_may_open(client, world, role):
    today = timezone.localdate()
    build_portfolio(count=4, weeks=2, today=today, directorate=world.it)
    for function in COMPUTED:
        computed_kpi(function)
    Action.objects.create(
        reference="ACT-2026-0001", title="A", owner=world.pm, due_date=today - timedelta(days=2)
    )
    client.force_login(getattr(world, role))

    links = tile_links(client.get("/dashboard/").text)

    assert len(links) == len([c for c in COMPUTED.values() if c.link])
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)
