"""Bad input in URLs: the lists' filters, sorts and pages, the dashboard's "as at" date and scope, and the
objects a path names. A filter not understood is said so on the page (or left out); a NUL character in a
URL is refused as a bad request (400) before any view: PostgreSQL refuses NUL in any text it is given,
where SQLite would just find nothing. Never an error page.

The forms' bad input is each app's tests/<app>/test_bad_input.py (tests/bad_input.py says how).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import example, given, note
from hypothesis import strategies as st

from tests.bad_input import bounded, choice, day, number, rolled_back, text
from tests.security.objects import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world):
    return build(world)


DATE_OR_TEXT = day
# Each list or page, with the parameters its filters, sorts and pages read (and what may be drawn).
PAGES = {
    "/portfolio/": {
        "q": text,
        "directorate": number,
        "portfolio": number,
        "state": choice("active", "closed"),
        "project_manager": number,
        "rag": choice("green", "red", "none"),
        "phase": number,
        "methodology": choice("agile"),
        "late": choice("true", "false", "unknown"),
        "sort": choice("code", "-code", "rag", "-budget"),
        "page": number,
        "export": choice("csv", "xlsx"),
    },
    "/governance/decisions/": {
        "q": text,
        "committee": number,
        "outcome": choice("approved"),
        "implementation": choice("in_progress"),
        "project": number,
        "year": number,
        "decided_after": day,
        "decided_before": day,
        "hide_superseded": choice("true", "false"),
        "sort": choice("reference", "-outcome"),
        "page": number,
        "export": choice("csv", "xlsx"),
    },
    "/governance/actions/": {
        "q": text,
        "committee": number,
        "owner": number,
        "state": choice("open", "done"),
        "origin": choice("meeting", "risk"),
        "project": number,
        "overdue": choice("true", "false"),
        "due_after": day,
        "due_before": day,
        "sort": choice("due_date", "-due_date"),
        "page": number,
        "export": choice("csv", "xlsx"),
    },
    "/risks/": {
        "q": text,
        "directorate": number,
        "project": number,
        "category": number,
        "owner": number,
        "kind": choice("threat"),
        "level": choice("critical", "high"),
        "state": choice("open"),
        "escalated": choice("yes", "no"),
        "review_overdue": choice("true"),
        "basis": choice("inherent", "residual"),
        "probability": number,
        "impact": number,
        "sort": choice("-score", "reference"),
        "page": number,
        "export": choice("csv", "xlsx"),
    },
    "/risks/heatmap/": {"directorate": number, "project": number, "basis": choice("residual"), "kind": text},
    "/risks/issues/": {
        "q": text,
        "state": choice("open"),
        "severity": choice("high"),
        "owner": number,
        "page": number,
    },
    "/dashboard/": {"as_at": day, "directorate": number, "portfolio": number},
    "/dashboard/projects/": {"as_at": day, "directorate": number, "rag": text, "sort": text, "page": number},
    "/dashboard/milestones/": {"as_at": day, "start": day, "end": day, "met": text, "page": number},
    "/dashboard/kpis/": {"source": text, "frequency": text, "state": text, "sort": text, "page": number},
    "/dashboard/kpis/red-share/": {"scope": text, "page": number},
    "/dashboard/reports/": {
        "kind": text,
        "directorate": number,
        "portfolio": number,
        "start": day,
        "end": day,
        "language": text,
        "sort": text,
        "page": number,
    },
}


@st.composite
def page_and_query(draw) -> tuple[str, dict]:
    page = draw(st.sampled_from(sorted(PAGES)))
    names = draw(st.permutations(sorted(PAGES[page])))[: draw(st.integers(1, 3))]
    return page, {name: draw(PAGES[page][name]) for name in names}


@bounded(120)
@given(asked=page_and_query())
@example(asked=("/dashboard/", {"as_at": "0001-01-01"}))
@example(asked=("/dashboard/milestones/", {"start": "0001-01-01", "end": "9999-12-31"}))
@example(asked=("/governance/decisions/", {"year": "99999999999999999999"}))
@example(asked=("/portfolio/", {"q": "\x00"}))
def test_the_lists_and_the_dashboard_answer_any_query_without_an_error_page(client, world, objects, asked):
    page, query = asked
    note(f"GET {page} {query!r}")
    client.force_login(world.pmo)
    with rolled_back():
        response = client.get(page, query)
    if any("\x00" in value for value in query.values()):
        assert response.status_code == 400
    else:
        assert response.status_code == 200, (page, query, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/portfolio/projects/%00/",
        "/portfolio/projects/DSI-001%00/status/",
        "/governance/decisions/%00/",
        "/governance/actions/D%00/",
        "/governance/gates/request/%00/",
        "/risks/projects/%00/",
        "/risks/new/?project=%00",
        "/portfolio/?q=a%00b",
        "/portfolio/?%00=1",
        "/dashboard/?as_at=%00",
    ],
)
def test_a_nul_character_in_a_url_is_a_bad_request(client, world, objects, url):
    client.force_login(world.pmo)

    response = client.get(url)

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_a_url_without_nul_still_finds_its_object(client, world, objects):
    client.force_login(world.pmo)
    assert client.get(f"/portfolio/projects/{objects.project.code}/").status_code == 200
    assert client.get(f"/risks/new/?project={objects.project.code}").status_code == 200
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert client.get("/dashboard/", {"as_at": tomorrow.isoformat()}).status_code == 200  # said, not failed


def test_a_nul_character_in_an_api_url_is_a_json_bad_request(client, world):
    client.force_login(world.pmo)

    response = client.get("/api/projects/", {"owner": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "NUL" in response.json()["detail"]
