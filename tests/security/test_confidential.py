"""A confidential project does not exist for those who may not see it: not in lists, not in exports."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.security.test_url_permissions import things  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

# Lists (and their exports) that name projects or what hangs from them, with a reader who sees them.
LISTS = ["portfolio:project_list", "governance:decision_list", "risks:register", "risks:issue_list"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("export", [None, "csv", "xlsx"])
def test_lists_and_exports_leave_out_what_the_reader_may_not_see(name, export, world, things):  # noqa: F811
    url = reverse(name)
    query = {"export": export} if export else {}
    outsider, insider = Client(), Client()
    outsider.force_login(world.other_pm)
    insider.force_login(world.pm)

    hidden = [
        things.secret.code,
        things.secret_decision.title,
        things.secret_risk.title,
        things.secret_issue.title,
    ]
    seen_by_insider = insider.get(url, query)
    seen_by_outsider = outsider.get(url, query)

    assert seen_by_insider.status_code == seen_by_outsider.status_code == 200
    if export == "xlsx":
        insider_text = _cells(seen_by_insider.content)
        outsider_text = _cells(seen_by_outsider.content)
    else:
        insider_text = seen_by_insider.content.decode("utf-8-sig")
        outsider_text = seen_by_outsider.content.decode("utf-8-sig")
    assert any(text in insider_text for text in hidden), "the project's manager sees it"
    assert not [text for text in hidden if text in outsider_text]


def _cells(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
