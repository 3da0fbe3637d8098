"""The request list: filters, "my requests", exports, and query counts that do not grow with the rows."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from demand.models import ProjectRequest
from demand.services import request_qualify
from tests.demand.intake_world import _in_english, submit  # noqa: F401
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_in_english")]

LIST = reverse("demand:request_list")


def test_an_empty_list_invites_to_submit(client, world):
    client.force_login(world.pm)
    page = client.get(LIST).content.decode()
    assert "No project request yet." in page
    assert reverse("demand:request_new") in page


def test_the_filters_and_my_requests(client, world):
    mine = submit(world.pm, title="Portail client")
    colleague = UserFactory(username="colleague", roles=[], directorate=world.it)
    theirs = submit(
        colleague,
        title="Archivage légal",
        urgency=ProjectRequest.Urgency.CRITICAL,
        costs={2030: Decimal(900000)},
    )
    request_qualify(request=theirs, complete=True, comment="", by=world.pmo)
    client.force_login(world.pm)

    def codes(**query) -> set[str]:
        page = client.get(LIST, query).content.decode()
        return {code for code in (mine.code, theirs.code) if code in page}

    assert codes() == {mine.code, theirs.code}
    assert codes(mine="1") == {mine.code}
    assert codes(state="qualified") == {theirs.code}
    assert codes(urgency="4") == {theirs.code}
    assert codes(q="portail") == {mine.code}
    assert codes(q=theirs.code) == {theirs.code}
    by_cost = client.get(LIST, {"sort": "-cost"}).content.decode()
    assert by_cost.index(theirs.code) < by_cost.index(mine.code)
    by_code = client.get(LIST, {"sort": "code"}).content.decode()
    assert by_code.index(mine.code) < by_code.index(theirs.code)


def test_the_exports_hold_the_filtered_list(client, world):
    kept = submit(world.pm, title="Portail client")
    submit(world.pm, title="=HYPERLINK(1)")
    client.force_login(world.pm)
    csv = client.get(LIST, {"export": "csv", "q": "portail"})
    assert csv["Content-Disposition"].startswith("attachment;")
    text = csv.content.decode("utf-8-sig")
    assert kept.code in text and "HYPERLINK" not in text
    assert "350000" in text  # the total estimated cost
    xlsx = client.get(LIST, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Code" and len(rows) == 3
    assert "'=HYPERLINK(1)" in [row[1] for row in rows]  # neutralised


def _count(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_list_query_count_does_not_grow_with_the_rows(client, world, django_assert_num_queries):
    submit(world.pm)
    client.force_login(world.pm)
    small = _count(client, LIST)
    for number in range(6):
        submit(world.pm, title=f"Demande {number}")
    large = _count(client, LIST)
    assert len(large) == len(small), large
    # The session, the user, the user's groups (the roles), the committees the user sits on are in the
    # visibility rule's subquery (no query of its own); the count of the page, the page's rows with their
    # directorate, requester, sponsor and total cost; the directorates of the filter.
    with django_assert_num_queries(6):
        client.get(LIST)


def test_the_page_query_count_does_not_grow_with_costs_people_and_attachments(
    client, world, django_assert_num_queries
):
    project_request = submit(world.pm)
    client.force_login(world.pm)
    url = reverse("demand:request_detail", kwargs={"code": project_request.code})
    small = _count(client, url)
    other = submit(world.pm, costs={2030: 1, 2031: 2, 2032: 3})
    url = reverse("demand:request_detail", kwargs={"code": other.code})
    assert len(_count(client, url)) == len(small)
    # The session, the user, the groups; the request with its people; its costs, needs with their roles,
    # attachments (three prefetches); may the user edit it; the scores panel: the current criteria version,
    # the scores with their values, whether the user may score; the decision panel: the agenda item of
    # the meeting deciding it.
    with django_assert_num_queries(12):
        client.get(url)
