"""A file's five delivery confidence levels, once imported, are counted the same everywhere a user reads them.

The GMPP-2017-like sample goes in through the `import_portfolio` command with its mapping, as a PMO
would run it; then, for each of the five levels and "not assessed", the projects the file gives that
level (read here from the CSV with the csv module, independently of the importer) are the ones the
dashboard's delivery confidence panel counts, the ones its bar's list shows and exports, the ones the
project list filtered on that level shows and exports, and the ones the API gives that
`delivery_confidence`. Its assessments are dated by the file's status period, a date in the past
whatever today is: the surfaces, as at today, read them.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from html import unescape
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portfolio.models import Confidence
from tests.imports.test_confidence import dca_column, import_sample, level_in_file, sample

pytestmark = pytest.mark.django_db

NOT_ASSESSED = (
    "none"  # the `confidence` parameter of the lists (and the dashboard bar's key) for no assessment
)
LEVELS = [*(level.value for level in Confidence), NOT_ASSESSED]
# The English words the exports write in their "Delivery confidence" column.
EXPORTED = {**{level.value: level.label for level in Confidence}, NOT_ASSESSED: "Not assessed"}

DASHBOARD_BAR = re.compile(
    r'<a class="confidence-bar" href="([^"]*)" data-level="([^"]*)" data-count="(\d+)">'
)
ROW_CODE = re.compile(r'<td class="code text-nowrap"><a href="[^"]*">([^<]+)</a></td>')
DRILL_DOWN_COUNT = re.compile(r'<span class="list-count-number">(\d+)</span>')
PROJECT_LIST_COUNT = re.compile(r"<p class=\"small text-body-secondary mb-0\">(\d+) results?</p>")


def codes_by_level_in_file() -> dict[str, set[str]]:
    """The projects of each level as the file gives them (an exemption: not assessed)."""
    rows, _mapping = sample()
    column = dca_column(rows)
    by_level = defaultdict(set)
    for row in rows:
        by_level[level_in_file(row[column]) or NOT_ASSESSED].add(row["GMPP ID Number"])
    return by_level


def exported(response) -> dict[str, set[str]]:
    """An export's projects by the level its "Delivery confidence" column writes."""
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(StringIO(response.content.decode("utf-8-sig"))))
    by_level = defaultdict(set)
    for row in rows:
        by_level[row["Delivery confidence"]].add(row["Code"])
    return by_level


def listed(response, count: re.Pattern) -> tuple[int, set[str]]:
    """The count a list shows and the projects of its rows."""
    assert response.status_code == 200
    page = response.content.decode()
    return int(count.search(page).group(1)), set(ROW_CODE.findall(page))


def api_confidence(user) -> dict[str, set[str]]:
    """The API's `delivery_confidence` of every project, page after page."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    by_level, url, pages = defaultdict(set), "/api/projects/?page_size=5", 0
    while url:
        body = client.get(url).json()
        pages += 1
        for project in body["results"]:
            by_level[project["delivery_confidence"] or NOT_ASSESSED].add(project["code"])
        url = body["next"]
    assert pages > 1, "the projects must span several pages for the count to be over all of them"
    return by_level


def test_the_five_levels_of_an_imported_file_are_counted_the_same_on_every_surface(client, world):
    rows, mapping = sample()
    in_file = codes_by_level_in_file()
    assert set(in_file) == set(LEVELS), "the sample must use all five levels and an exemption"
    assert sum(len(codes) for codes in in_file.values()) == len(rows)
    # The surfaces read as at today: the file's assessments must be dated before it.
    assert date.fromisoformat(mapping["status_period"]) < timezone.localdate()

    import_sample()

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(world.pmo)
    dashboard = client.get(reverse("reporting:dashboard"))
    assert dashboard.status_code == 200
    bars = {
        level: (unescape(url), int(count))
        for url, level, count in DASHBOARD_BAR.findall(dashboard.content.decode())
    }
    assert list(bars) == LEVELS, "a bar per level, green to red, then not assessed"
    api = api_confidence(world.pmo)

    for level in LEVELS:
        expected = in_file[level]
        bar_url, bar_count = bars[level]
        # The dashboard's bar, then the list it links to (what a click shows) and that list's export.
        drill_count, drill_codes = listed(client.get(bar_url), DRILL_DOWN_COUNT)
        drill_export = exported(client.get(f"{bar_url}&export=csv"))
        # The project list filtered on the same level, and its export.
        project_list = reverse("portfolio:project_list")
        list_count, list_codes = listed(client.get(project_list, {"confidence": level}), PROJECT_LIST_COUNT)
        list_export = exported(client.get(project_list, {"confidence": level, "export": "csv"}))

        assert bar_count == drill_count == list_count == len(expected), level
        assert drill_codes == list_codes == expected, level
        assert dict(drill_export) == dict(list_export) == {EXPORTED[level]: expected}, level
        assert api[level] == expected, level
