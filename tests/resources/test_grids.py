"""The capacity grid, a project's demand and the roles catalogue, as their users meet them: one POST for
a whole grid, all or nothing, what was typed kept, 409 when someone saved in between; readers read,
outsiders get 404."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.months import add_months
from resources.models import Capacity, Demand, ResourceRole
from tests.factories import DirectorateFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """The default client, in the application's language (French: decimal commas), not the package's
    English one (tests/resources/conftest.py)."""
    return Client()


FIRST = date(2027, 1, 1)
CAPACITY = "/resources/capacity/?from=2027-01"


@pytest.fixture
def roles(db):
    return [
        ResourceRole.objects.create(code="BA", name="Analyste métier", name_en="Business analyst", order=1),
        ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer", order=2),
    ]


def grid_post(client, url: str) -> dict:
    """What the page's form would send as it stands: every input with its value, the version."""
    html = client.get(url).content.decode()
    data = dict(re.findall(r'name="(c-[\d-]+|l-\d+-[\w-]+|version|lines)"[^>]*?value="([^"]*)"', html))
    for name, body in re.findall(
        r'<select[^>]*name="(l-\d+-(?:role|person))"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen[1] if chosen else ""
    return data


def test_the_pmo_saves_the_capacity_grid_in_one_post_with_history_and_author(client, world, roles):
    client.force_login(world.pmo)
    data = grid_post(client, CAPACITY)
    it_ba_jan = f"c-{world.it.pk}-{roles[0].pk}-2027-01"
    data[it_ba_jan] = "3,5"  # the French decimal comma
    data[f"c-{world.finance.pk}-{roles[1].pk}-2027-12"] = "2"

    response = client.post(CAPACITY, data)

    assert response.status_code == 302
    saved = Capacity.objects.get(directorate=world.it, role=roles[0], month=FIRST)
    assert saved.fte == Decimal("3.5") and saved.updated_by == world.pmo
    assert Capacity.objects.count() == 2
    # Emptied: none recorded any more (unknown, not 0), and the history keeps what it was.
    data = grid_post(client, CAPACITY)
    data[it_ba_jan] = ""
    assert client.post(CAPACITY, data).status_code == 302
    assert not Capacity.objects.filter(pk=saved.pk).exists()
    assert Capacity.history.filter(id=saved.pk).count() == 2


def test_an_invalid_cell_saves_nothing_and_keeps_every_typed_value(client, world, roles):
    client.force_login(world.pmo)
    data = grid_post(client, CAPACITY)
    good, bad = f"c-{world.it.pk}-{roles[0].pk}-2027-01", f"c-{world.it.pk}-{roles[1].pk}-2027-02"
    data.update({good: "4", bad: "-1"})

    response = client.post(CAPACITY, data)

    assert response.status_code == 200 and not Capacity.objects.exists()
    html = response.content.decode()
    assert re.search(rf'name="{good}" id="{good}" value="4"', html)
    assert re.search(rf'name="{bad}" id="{bad}" value="-1"[^>]*aria-invalid="true"', html)
    assert f'id="{bad}-error"' in html


def test_a_stale_grid_answers_409_and_keeps_what_was_typed(client, world, roles):
    client.force_login(world.pmo)
    data = grid_post(client, CAPACITY)
    cell = f"c-{world.it.pk}-{roles[0].pk}-2027-01"
    Capacity.objects.create(directorate=world.it, role=roles[0], month=FIRST, fte=Decimal(1))  # someone else
    data[cell] = "5"

    response = client.post(CAPACITY, data)

    assert response.status_code == 409
    assert Capacity.objects.get().fte == Decimal(1)
    assert re.search(rf'name="{cell}" id="{cell}" value="5"', response.content.decode())
    # Saving again from the conflict page is deliberate, and works.
    assert client.post(CAPACITY, grid_post_from(response)).status_code == 302
    assert Capacity.objects.get().fte == Decimal(5)


def test_the_capacity_grid_writes_its_numbers_the_readers_way_and_saves_them_back_unchanged(world, roles):
    """French: 2,50; English: 2.50. The grid sent back as shown changes nothing and is no conflict."""
    Capacity.objects.create(directorate=world.it, role=roles[0], month=FIRST, fte=Decimal("2.5"))
    cell = f"c-{world.it.pk}-{roles[0].pk}-2027-01"
    for language, shown in (("fr", "2,50"), ("en", "2.50")):
        reader = Client(HTTP_ACCEPT_LANGUAGE=language)
        reader.force_login(world.pmo)
        data = grid_post(reader, CAPACITY)
        assert data[cell] == shown
        assert reader.post(CAPACITY, data).status_code == 302
        assert Capacity.history.count() == 1 and Capacity.objects.get().fte == Decimal("2.5")


def grid_post_from(response) -> dict:
    html = response.content.decode()
    return dict(re.findall(r'name="(c-[\d-]+|version)"[^>]*?value="([^"]*)"', html))


def test_readers_read_the_capacity_and_may_not_write_it(client, world, roles):
    Capacity.objects.create(directorate=world.it, role=roles[0], month=FIRST, fte=Decimal("2.5"))
    for reader in (world.executive, world.pm):
        client.force_login(reader)
        page = client.get(CAPACITY)
        assert page.status_code == 200 and "<input class" not in page.content.decode()
        assert client.post(CAPACITY, {"version": "x"}).status_code == 403
    client.force_login(world.member)
    assert client.get(CAPACITY).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_capacity_grid_reads_a_fixed_number_of_queries(client, world, roles):
    client.force_login(world.pmo)
    few = _queries(client, CAPACITY)
    for n in range(5):
        directorate = DirectorateFactory(code=f"X{n}")
        for month in range(12):
            for role in roles:
                Capacity.objects.create(
                    directorate=directorate, role=role, month=add_months(FIRST, month), fte=1
                )
    # session, user, groups (the role check); directorates, capacity of the window, roles
    assert _queries(client, CAPACITY) == few == 6


# --- A project's demand --------------------------------------------------------------------------------


@pytest.fixture
def project(world):
    return ProjectFactory(code="DEM-001", project_manager=world.pm, directorate=world.it)


def demand_url(project) -> str:
    return f"/resources/projects/{project.code}/demand/?from=2027-01"


def test_the_manager_enters_demand_by_role_and_names_a_person(client, world, roles, project):
    person = UserFactory(username="dev", first_name="Leïla", last_name="Amrani")
    client.force_login(world.pm)
    data = grid_post(client, demand_url(project))
    assert data["lines"] == "3"  # three blank lines to start with
    data.update({"l-0-role": str(roles[0].pk), "l-0-2027-01": "1.5", "l-0-2027-02": "0,5"})
    data.update({"l-1-role": str(roles[1].pk), "l-1-person": str(person.pk), "l-1-2027-03": "1"})

    assert client.post(demand_url(project), data).status_code == 302

    stored = {(d.role_id, d.person_id, d.month): d.fte for d in Demand.objects.all()}
    assert stored == {
        (roles[0].pk, None, FIRST): Decimal("1.5"),
        (roles[0].pk, None, add_months(FIRST, 1)): Decimal("0.5"),
        (roles[1].pk, person.pk, add_months(FIRST, 2)): Decimal(1),
    }
    assert {d.updated_by_id for d in Demand.objects.all()} == {world.pm.pk}
    # The page shows them again (written the French way, as typed), and a line emptied is removed.
    data = grid_post(client, demand_url(project))
    assert data["l-0-2027-01"] == "1,50" and data["l-1-person"] == str(person.pk)
    data["l-0-2027-01"] = ""
    assert client.post(demand_url(project), data).status_code == 302
    assert Demand.objects.count() == 2


def test_invalid_demand_saves_nothing_and_says_why_per_cell(client, world, roles, project):
    inactive = UserFactory(username="gone", is_active=False)
    client.force_login(world.pm)
    data = grid_post(client, demand_url(project))
    data.update({"l-0-2027-01": "2"})  # no role
    data.update({"l-1-role": str(roles[0].pk), "l-1-person": str(inactive.pk), "l-1-2027-01": "1"})
    data.update({"l-2-role": str(roles[1].pk), "l-2-2027-01": "abc"})

    response = client.post(demand_url(project), data)

    assert response.status_code == 200 and not Demand.objects.exists()
    html = response.content.decode()
    assert 'id="l-0-role-error"' in html and 'id="l-2-2027-01-error"' in html
    assert 'value="abc"' in html and html.count("invalid-feedback") == 3


def test_a_stale_demand_grid_answers_409(client, world, roles, project):
    client.force_login(world.pm)
    data = grid_post(client, demand_url(project))
    Demand.objects.create(project=project, role=roles[0], month=FIRST, fte=1)
    data.update({"l-0-role": str(roles[1].pk), "l-0-2027-01": "3"})

    response = client.post(demand_url(project), data)

    assert response.status_code == 409 and Demand.objects.count() == 1
    assert 'value="3"' in response.content.decode()


def test_readers_read_the_demand_outsiders_get_404(client, world, roles):
    secret = ProjectFactory(code="DEM-007", project_manager=world.pm, directorate=world.it, confidential=True)
    Demand.objects.create(project=secret, role=roles[0], month=FIRST, fte=1)
    client.force_login(world.executive)
    assert client.get(demand_url(secret)).status_code == 200
    assert client.post(demand_url(secret), {"lines": "0", "version": "x"}).status_code == 403
    client.force_login(world.other_pm)
    assert client.get(demand_url(secret)).status_code == 404
    assert client.post(demand_url(secret), {"lines": "0", "version": "x"}).status_code == 404


def test_the_demand_page_reads_a_fixed_number_of_queries(client, world, roles, project):
    client.force_login(world.pm)
    few = _queries(client, demand_url(project))
    people = [UserFactory(username=f"p{n}") for n in range(6)]
    for n, person in enumerate(people):
        for month in range(12):
            Demand.objects.create(
                project=project, role=roles[n % 2], person=person, month=add_months(FIRST, month), fte=1
            )
    # session, user, groups; the project (visible_to), whether the user may edit it, the demand with its
    # people, the roles, the active users
    assert _queries(client, demand_url(project)) == few == 8


def test_the_plan_page_shows_the_next_six_months_by_role_and_links_the_demand(client, world, roles, project):
    from django.utils import timezone

    from pmo.months import month_of

    this_month = month_of(timezone.localdate())
    Demand.objects.create(project=project, role=roles[0], month=this_month, fte=Decimal("1.25"))
    Demand.objects.create(project=project, role=roles[0], month=add_months(this_month, 6), fte=Decimal(9))
    client.force_login(world.pm)
    html = client.get(reverse("portfolio:project_plan", args=[project.code])).content.decode()
    panel = html[html.index('id="plan-people"') :]
    panel = panel[: panel.index("</table>")]
    assert "1,25" in panel and "9" not in re.sub(r"<[^>]+>", "", panel).replace(str(this_month.year), "")
    assert f"/resources/projects/{project.code}/demand/" in html


# --- The roles catalogue -------------------------------------------------------------------------------


def test_the_pmo_adds_and_deactivates_a_role_with_messages_in_both_languages(client, world, roles):
    client.force_login(world.pmo)
    refused = client.post(
        "/resources/roles/new/", {"code": "ba", "name": "", "name_en": "Developer", "order": 3}
    )
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert set(errors) == {"code", "name", "name_en"}
    assert (
        client.post(
            "/resources/roles/new/",
            {"code": "arch", "name": "Architecte", "name_en": "Architect", "order": 3},
        ).status_code
        == 302
    )
    role = ResourceRole.objects.get(code="ARCH")
    Demand.objects.create(project=ProjectFactory(), role=role, month=FIRST, fte=1)
    answer = client.post(
        f"/resources/roles/{role.pk}/",
        {"code": "ARCH", "name": "Architecte", "name_en": "Architect", "order": 3},
    )
    assert answer.status_code == 302
    role.refresh_from_db()
    assert not role.is_active and Demand.objects.filter(role=role).exists()  # deactivated, kept


def test_everyone_signed_in_reads_the_roles_only_the_pmo_and_administrators_change_them(client, world, roles):
    client.force_login(world.member)
    assert client.get("/resources/roles/").status_code == 200
    assert client.get("/resources/roles/new/").status_code == 403
    assert client.get(f"/resources/roles/{roles[0].pk}/").status_code == 403


def test_the_plan_panel_reads_a_fixed_number_of_queries_whatever_the_demand(world, roles, project):
    from django.utils import timezone

    from pmo.months import month_of
    from resources.integration import plan_panel

    today = timezone.localdate()
    for count in (1, 6):
        for n in range(count):
            Demand.objects.create(
                project=project,
                role=roles[n % 2],
                person=UserFactory(username=f"u{count}-{n}"),
                month=add_months(month_of(today), n % 6),
                fte=1,
            )
        reader = type(world.pm).objects.get(pk=world.pm.pk)  # as a request's user: roles not read yet
        with CaptureQueriesContext(connection) as captured:
            panel = plan_panel(project=project, user=reader, today=today)
        # the demand by role and month; the reader's roles (once a request, the plan page has them
        # already); whether the reader may change the project
        assert len(captured) == 3 and panel["may_edit"]


def test_the_roles_list_reads_a_fixed_number_of_queries(client, world, roles):
    client.force_login(world.member)
    few = _queries(client, "/resources/roles/?show=all")
    for n in range(8):
        role = ResourceRole.objects.create(
            code=f"X{n}", name=f"Rôle {n}", name_en=f"Role {n}", is_active=n % 2
        )
        Capacity.objects.create(directorate=world.it, role=role, month=FIRST, fte=1)
    # session, user, groups (may they change the catalogue); the roles with their counts
    assert _queries(client, "/resources/roles/?show=all") == few == 4
