"""The ranked portfolio: requests and running projects by mean score, unscored last; the exports hold
the same rows; each reader sees only what they may see; the query count does not grow with rows."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from demand.models import ProjectRequest
from portfolio.models import Project
from tests.demand.scoring_world import a_request, portfolio_committee, score
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = date.today().year + 1


@pytest.fixture
def ranked(world):
    """DEM-A scored 100, PRJ-B 50 (two scorers: 75 and 25), DEM-C not scored, and a rejected request
    and a closed project that are not candidates."""
    top = a_request(code="DEM-A", directorate=world.it, cost="120000", year=NEXT_YEAR)
    project = ProjectFactory(code="PRJ-B", directorate=world.finance, project_manager=world.pm)
    a_request(code="DEM-C", directorate=world.it)
    a_request(code="DEM-X", directorate=world.it, state=ProjectRequest.State.REJECTED)
    ProjectFactory(code="PRJ-Z", state=Project.State.CLOSED)
    score(top, world.pmo, 5, 5, 5, 5, 5, 1)
    score(project, world.pmo, 4, 4, 4, 4, 4, 2)  # 75
    score(project, world.executive, 2, 2, 2, 2, 2, 4)  # 25
    return world


def codes_in(page: str, codes: list[str]) -> list[str]:
    return sorted((c for c in codes if f">{c}<" in page), key=lambda c: page.index(f">{c}<"))


def test_the_ranking_lists_candidates_by_mean_score_with_the_unscored_last(client, ranked):
    client.force_login(ranked.pmo)
    response = client.get(reverse("demand:ranking"))
    page = response.content.decode()
    assert codes_in(page, ["DEM-A", "PRJ-B", "DEM-C", "DEM-X", "PRJ-Z"]) == ["DEM-A", "PRJ-B", "DEM-C"]
    rows = {row.candidate.code: row for row in response.context["rows"]}
    assert (
        rows["PRJ-B"].score.mean == 50 and rows["PRJ-B"].score.spread == 50 and rows["PRJ-B"].score.count == 2
    )
    assert rows["DEM-C"].score.mean is None
    assert "not scored" in page or "non noté" in page
    assert rows["DEM-A"].candidate.cost[NEXT_YEAR] == 120000


def test_the_filters_narrow_the_rows(client, ranked):
    client.force_login(ranked.pmo)

    def codes(**query):
        return [row.candidate.code for row in client.get(reverse("demand:ranking"), query).context["rows"]]

    assert codes(kind="project") == ["PRJ-B"]
    assert codes(kind="request") == ["DEM-A", "DEM-C"]
    assert codes(scored="no") == ["DEM-C"]
    assert codes(directorate=ranked.finance.pk) == ["PRJ-B"]
    assert codes(sort="cost") == ["DEM-A", "DEM-C", "PRJ-B"]  # the most costly first, then by code


def test_the_exports_hold_the_rows_of_the_page(client, ranked):
    client.force_login(ranked.pmo)
    page_rows = client.get(reverse("demand:ranking")).context["rows"]
    response = client.get(reverse("demand:ranking"), {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))[1:]
    assert [line[1] for line in lines] == [row.candidate.code for row in page_rows]
    assert lines[1][5].replace(",", ".") == "50.0"  # PRJ-B's mean
    workbook = load_workbook(io.BytesIO(client.get(reverse("demand:ranking"), {"export": "xlsx"}).content))
    sheet = list(workbook.active.iter_rows(values_only=True))[1:]
    assert [line[1] for line in sheet] == [row.candidate.code for row in page_rows]
    assert [line[5] for line in sheet][:2] == [100, 50]
    assert sheet[0][9] == 120000  # DEM-A's cost next year, the same number as on the page


def test_a_confidential_project_is_not_ranked_for_who_may_not_see_it(client, world):
    portfolio_committee(members=[world.member])
    secret = ProjectFactory(
        code="PRJ-SECRET", name="Projet Confidentiel", confidential=True, directorate=world.it
    )
    score(secret, world.pmo, 5, 5, 5, 5, 5, 1)
    client.force_login(world.member)
    page = client.get(reverse("demand:ranking")).content.decode()
    assert "PRJ-SECRET" not in page and "Projet Confidentiel" not in page
    export = client.get(reverse("demand:ranking"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "PRJ-SECRET" not in export
    client.force_login(world.pmo)
    assert "PRJ-SECRET" in client.get(reverse("demand:ranking")).content.decode()


def test_a_project_manager_does_not_read_the_ranking(client, world):
    client.force_login(world.pm)
    assert client.get(reverse("demand:ranking")).status_code == 403


def test_the_ranking_reads_a_fixed_number_of_queries(client, ranked, django_assert_num_queries):
    client.force_login(ranked.pmo)
    client.get(reverse("demand:ranking"))  # the session and the user warm up the same way each time
    # The session, the user, their roles; the candidate requests, their costs and people; the running
    # projects, their monthly amounts and demand; the current version, its criteria, the scores and
    # their values; the directorates of the rows; the directorates of the filter. (The people's roles
    # are one more query once a row needs people.)
    with django_assert_num_queries(QUERIES) as before:
        client.get(reverse("demand:ranking"))
    for n in range(4):
        request = a_request(code=f"DEM-N{n}", directorate=ranked.finance)
        score(request, ranked.executive, 3, 3, 3, 3, 3, 3)
        ProjectFactory(directorate=ranked.finance)
    with django_assert_num_queries(len(before)):
        response = client.get(reverse("demand:ranking"))
    assert len(response.context["rows"]) == 11


QUERIES = 15
