import pytest
from django.urls import reverse

from pmo.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/portfolio/", "/portfolio/mine/", "/dashboard/", "/organisation/"])
def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("admin", "/organisation/"),
        ("pmo", "/dashboard/"),
        ("executive", "/dashboard/"),
        ("pm", "/portfolio/mine/"),
        ("member", "/governance/committees/"),
    ],
)
def test_signing_in_leads_each_role_to_its_home_page(client, world, who, home):
    response = client.post(reverse("login"), {"username": who, "password": world.password}, follow=True)

    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = client.post(
        reverse("login"), {"username": "pm", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_menu_depends_on_the_role(client, world):
    client.force_login(world.pm)
    pm_page = client.get("/portfolio/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(world.executive)
    executive_page = client.get("/portfolio/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "My projects" in pm_page and "Dashboard" not in pm_page
    assert "Dashboard" in executive_page and "My projects" not in executive_page


def test_the_administrator_has_the_pmos_menu_with_the_dashboard(client, world):
    def menu(user) -> list:
        client.force_login(user)
        items = client.get("/organisation/", HTTP_ACCEPT_LANGUAGE="fr").context["menu"]
        return [(str(item["label"]), [str(c["label"]) for c in item.get("children", [])]) for item in items]

    client.force_login(world.admin)
    page = client.get("/organisation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'href="/dashboard/"' in page and "Dashboard" in page
    assert client.get("/dashboard/").status_code == 200
    # Entry for entry the PMO's, the menu that fits at 1366 px in French: no wider, so no wrapping.
    assert menu(world.admin) == menu(world.pmo)


@pytest.mark.parametrize("who", ["pm", "member"])
def test_the_dashboard_is_for_executives_and_the_pmo(client, world, who):
    client.force_login(getattr(world, who))

    assert client.get("/dashboard/").status_code == 403
    assert client.get("/organisation/").status_code == 403


def test_signing_out_is_a_post_and_ends_the_session(client, world):
    client.force_login(world.pm)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get("/portfolio/").status_code == 302


def test_a_user_changes_their_password(client, world):
    client.force_login(world.pm)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": world.password,
            "new_password1": "Tangerine-Orbit-42",
            "new_password2": "Tangerine-Orbit-42",
        },
    )

    assert response["Location"] == reverse("password_change_done")
    world.pm.refresh_from_db()
    assert world.pm.check_password("Tangerine-Orbit-42")


def test_roles_come_from_groups_and_a_superuser_is_an_administrator(world):
    assert world.pm.roles == {Role.PROJECT_MANAGER}
    assert Role.ADMINISTRATOR in world.admin.roles
    assert world.executive.primary_role == Role.EXECUTIVE


def test_the_roles_exist_in_every_database():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
