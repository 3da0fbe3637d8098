"""The heatmap recomputed from raw rows: every cell of the page, of its XLSX export and of its drill-down
is derived here from the capacity and demand rows the test writes, by the rule docs/resources.md states
(demand of proposed and active projects against their directorate's capacity; over above capacity, near
from 90 %), not read back from the code under test."""

from __future__ import annotations

import io
import random
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from pmo.months import add_months
from portfolio.models import Project
from resources.models import Capacity, Demand, ResourceRole
from tests.factories import DirectorateFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """The default client, in the application's language (French: decimal commas), not the package's
    English one (tests/resources/conftest.py)."""
    return Client()


FIRST = date(2027, 1, 1)
MONTHS = [add_months(FIRST, n) for n in range(12)]
CONSUMING = {Project.State.PROPOSED, Project.State.ACTIVE}
CELL = re.compile(
    r'data-level="(\w+)" data-month="([\d-]+)" data-demand="([\d.]+)" data-capacity="([\d.]*)">'
    r"\s*(.*?)\s*</td>",
    re.S,
)


def build(world, *, projects: int = 12, seed: int = 7):
    """Capacity and demand over three directorates, three roles and fourteen months (one before and one
    after the window), projects in every state, a named person and a confidential project."""
    rng = random.Random(seed)
    ops = DirectorateFactory(code="OPS", name="Direction des Opérations")
    directorates = [world.it, world.finance, ops]
    roles = [
        ResourceRole.objects.create(code=f"R{n}", name=f"Rôle {n}", name_en=f"Role {n}", order=n)
        for n in range(3)
    ]
    months = [add_months(FIRST, -1), *MONTHS, add_months(FIRST, 12)]
    for directorate in directorates:
        for role in roles:
            for month in months:
                if rng.random() < 0.7:
                    fte = Decimal(rng.randint(0, 12)) / 2
                    Capacity.objects.create(directorate=directorate, role=role, month=month, fte=fte)
    states = list(Project.State)
    made = []
    for n in range(projects):
        made.append(
            ProjectFactory(
                code=f"HM-{n:03d}",
                directorate=directorates[n % 3],
                state=states[n % len(states)],
                project_manager=world.pm if n % 4 == 0 else world.other_pm,
            )
        )
    secret = ProjectFactory(
        code="HM-SECRET",
        name="Projet secret",
        directorate=world.it,
        confidential=True,
        project_manager=world.pm,
    )
    made.append(secret)
    person = UserFactory(username="dev1", first_name="Leïla", last_name="Amrani")
    for project in made:
        for role in roles:
            for month in months:
                if rng.random() < 0.5:
                    Demand.objects.create(
                        project=project, role=role, month=month, fte=Decimal(rng.randint(1, 8)) / 4
                    )
    # A named person beside the unnamed line, and the confidential project's demand in a known cell.
    Demand.objects.create(project=made[1], role=roles[0], month=MONTHS[2], fte=Decimal("0.75"), person=person)
    Demand.objects.filter(project=secret, role=roles[1], month=MONTHS[3]).delete()
    Demand.objects.create(project=secret, role=roles[1], month=MONTHS[3], fte=Decimal("2.5"))
    return directorates, roles, made, secret, person


def expected_cells(directorates, roles) -> dict:
    """{(directorate, role, month): (capacity or None, demand, level, percent or None)} from the rows."""
    capacity = {(c.directorate_id, c.role_id, c.month): c.fte for c in Capacity.objects.all()}
    demand: dict = {}
    for d in Demand.objects.select_related("project"):
        if d.project.state in CONSUMING and d.month in MONTHS:
            key = (d.project.directorate_id, d.role_id, d.month)
            demand[key] = demand.get(key, Decimal(0)) + d.fte
    cells = {}
    for directorate in directorates:
        for role in roles:
            for month in MONTHS:
                key = (directorate.pk, role.pk, month)
                cap, dem = capacity.get(key), demand.get(key, Decimal(0))
                percent = None
                if cap:
                    percent = int((dem / cap * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                if dem > (cap or 0):
                    level = "over"
                elif not cap and not dem:
                    level = "empty"
                elif percent is not None and dem / cap >= Decimal("0.9"):
                    level = "near"
                else:
                    level = "fine"
                cells[key] = (cap, dem, level, percent)
    return cells


def page_cells(html: str) -> dict:
    cells = {}
    for row in re.finditer(r'<tr data-directorate="(\d+)" data-role="(\d+)">(.*?)</tr>', html, re.S):
        directorate, role, body = int(row[1]), int(row[2]), row[3]
        for level, month, demand, capacity, text in CELL.findall(body):
            month = date(int(month[:4]), int(month[5:]), 1)
            cells[directorate, role, month] = (
                Decimal(capacity) if capacity else None,
                Decimal(demand),
                level,
                re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ").strip(),
            )
    return cells


def test_every_cell_of_the_page_and_of_its_export_is_recomputed_from_the_raw_rows(client, world):
    directorates, roles, *_ = build(world)
    expected = expected_cells(directorates, roles)
    client.force_login(world.pmo)

    response = client.get("/resources/", {"from": "2027-01"})

    assert response.status_code == 200
    shown = page_cells(response.content.decode())
    kept_rows = {(d, r) for (d, r, _m), (cap, dem, level, _p) in expected.items() if level != "empty"}
    assert {(d, r) for d, r, _m in shown} == kept_rows
    over = 0
    for key, (cap, dem, level, text) in shown.items():
        e_cap, e_dem, e_level, e_percent = expected[key]
        assert (cap, dem, level) == (e_cap, e_dem, e_level), key
        over += level == "over"
        if level == "empty":
            assert text == ""
        elif e_percent is not None:
            assert text.endswith(f"{e_percent} %"), (key, text)
        else:
            assert text.endswith("/ 0"), (key, text)
        if level == "over":
            with translation.override("fr"):
                assert f"{translation.gettext('over')}:" in text  # not colour alone
    assert over > 0 and any(v[2] == "near" for v in shown.values()), "the data should exercise every level"
    with translation.override("fr"):
        count = translation.ngettext(
            "%(counter)s over-allocated cell", "%(counter)s over-allocated cells", over
        )
    assert count % {"counter": over} in response.content.decode()

    export = client.get("/resources/", {"from": "2027-01", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[1:]
    by_code = {d.code: d.pk for d in directorates}
    role_by_code = {r.code: r.pk for r in roles}
    exported = {}
    for code, _name, role_code, _role, month, cap, dem, percent, _level in rows:
        assert hasattr(month, "year") and isinstance(dem, (int, float))  # typed cells
        exported[by_code[code], role_by_code[role_code], month.date()] = (cap, dem, percent)
    assert set(exported) == set(shown)
    for key, (cap, dem, percent) in exported.items():
        e_cap, e_dem, _level, e_percent = expected[key]
        assert (cap, dem, percent) == (
            None if e_cap is None else float(e_cap),
            float(e_dem),
            e_percent,
        ), key


def test_the_drill_down_adds_up_to_the_cell_and_hides_a_confidential_project(client, world):
    directorates, roles, made, _secret, _person = build(world)
    expected = expected_cells(directorates, roles)
    month = MONTHS[3]
    key = (world.it.pk, roles[1].pk, month)
    query = {"directorate": world.it.pk, "role": roles[1].pk, "month": "2027-04"}

    client.force_login(world.other_pm)  # a project manager who may not see the confidential project
    html = client.get("/resources/cell/", query).content.decode()

    ftes = [Decimal(v) for v in re.findall(r'<tr data-fte="([\d.]+)"', html)]
    assert sum(ftes) == expected[key][1] and ftes == sorted(ftes, reverse=True)
    assert html.count("data-confidential") == 1
    with translation.override("fr"):
        assert translation.gettext("a confidential project") in html
    assert "HM-SECRET" not in html and "Projet secret" not in html
    client.force_login(world.pm)  # its manager sees it by name
    assert "HM-SECRET" in client.get("/resources/cell/", query).content.decode()

    # Every cell's drill-down adds up, and in its export too; the named person is shown.
    client.force_login(world.pmo)
    for (d, r, m), (_cap, dem, level, _p) in expected.items():
        if level == "empty" or m not in MONTHS[:4]:
            continue
        params = {"directorate": d, "role": r, "month": f"{m:%Y-%m}"}
        html = client.get("/resources/cell/", params).content.decode()
        assert sum(Decimal(v) for v in re.findall(r'<tr data-fte="([\d.]+)"', html)) == dem
        sheet = load_workbook(
            io.BytesIO(client.get("/resources/cell/", {**params, "export": "xlsx"}).content)
        )
        assert sum(Decimal(str(row[2])) for row in list(sheet.active.iter_rows(values_only=True))[1:]) == dem
    html = client.get(
        "/resources/cell/", {"directorate": made[1].directorate_id, "role": roles[0].pk, "month": "2027-03"}
    ).content.decode()
    assert "Leïla Amrani" in html


def test_a_confidential_project_is_never_named_in_the_exports_of_who_may_not_see_it(client, world):
    build(world)
    role = ResourceRole.objects.get(code="R1")
    client.force_login(world.other_pm)
    for kind in ("csv", "xlsx"):
        answer = client.get(
            "/resources/cell/",
            {"directorate": world.it.pk, "role": role.pk, "month": "2027-04", "export": kind},
        )
        content = answer.content if kind == "csv" else _xlsx_text(answer.content)
        assert b"HM-SECRET" not in content and b"Projet secret" not in content


def _xlsx_text(content: bytes) -> bytes:
    rows = load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    return "\n".join(" ".join(str(v) for v in row) for row in rows).encode()


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_heatmap_and_the_drill_down_read_a_fixed_number_of_queries(client, world):
    directorates, roles, *_ = build(world, projects=4)
    client.force_login(world.pmo)
    cell = {"directorate": world.it.pk, "role": roles[1].pk, "month": "2027-04"}
    few = (_queries(client, "/resources/", {"from": "2027-01"}), _queries(client, "/resources/cell/", cell))

    build_more = random.Random(3)
    for n in range(30):
        project = ProjectFactory(code=f"MORE-{n}", directorate=directorates[n % 3])
        for month in MONTHS:
            Demand.objects.create(
                project=project, role=roles[n % 3], month=month, fte=Decimal(build_more.randint(1, 4))
            )

    # session, user, groups (the role check); directorates, roles, capacity, demand summed by the database
    assert _queries(client, "/resources/", {"from": "2027-01"}) == few[0] == 7
    # session, user, groups; the directorate and the role asked for; capacity, demand by project (the
    # allocation); the projects the reader may see among them; their named people
    assert _queries(client, "/resources/cell/", cell) == few[1] == 9


def test_two_years_ahead_on_request_for_the_same_queries(client, world):
    build(world, projects=4)
    client.force_login(world.pmo)

    html = client.get("/resources/", {"from": "2027-01", "months": "24"}).content.decode()

    headers = re.findall(r'<th scope="col" class="text-end text-nowrap">', html)
    assert len(headers) == 24
    assert 'data-month="2028-12"' in html and 'data-month="2029-01"' not in html
    # Its previous / next links and exports keep the two years.
    assert "months=24" in html
    assert _queries(client, "/resources/", {"from": "2027-01", "months": "24"}) == _queries(
        client, "/resources/", {"from": "2027-01"}
    )
    # Anything else is the one year.
    assert (
        len(
            re.findall(
                r'<th scope="col" class="text-end text-nowrap">',
                client.get("/resources/?months=99").content.decode(),
            )
        )
        == 12
    )
