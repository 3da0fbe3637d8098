"""Each role signs in through a real Chromium and lands on its home page, in French and in English."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_HEADINGS = {
    # role's user -> (path, French heading, English heading)
    "admin": ("/organisation/", "Organisation", "Organisation"),
    "pmo": ("/dashboard/", "Tableau de bord du portefeuille", "Portfolio dashboard"),
    "executive": ("/dashboard/", "Tableau de bord du portefeuille", "Portfolio dashboard"),
    "pm": ("/portfolio/mine/", "Mes projets", "My projects"),
    "member": ("/governance/committees/", "Comités", "Committees"),
}


@pytest.fixture
def browser_context_args(browser_context_args, request):
    language = getattr(request, "param", "fr")
    return {**browser_context_args, "locale": language, "extra_http_headers": {"Accept-Language": language}}


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label(re.compile("Nom d.utilisateur|Username")).fill(username)
    page.get_by_label(re.compile("Mot de passe|Password")).fill(password)
    page.locator("form button[type=submit]").last.click()


@pytest.mark.parametrize("browser_context_args", ["fr", "en"], indirect=True)
@pytest.mark.parametrize("who", list(HOME_HEADINGS))
def test_each_role_signs_in_and_sees_its_home_page(page: Page, live_server, world, who, browser_context_args):
    language = browser_context_args["locale"]
    ProjectFactory(
        code="PRJ-0042", name="Refonte du portail client", project_manager=world.pm, directorate=world.it
    )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    sign_in(page, live_server.url, who, world.password)

    path, french, english = HOME_HEADINGS[who]
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(french if language == "fr" else english)
    if who == "pm":
        expect(page.get_by_text("PRJ-0042")).to_be_visible()
    assert errors == []


def test_the_language_switch_turns_the_page_to_english_and_back(page: Page, live_server, world):
    sign_in(page, live_server.url, "pm", world.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes projets")

    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My projects")
    expect(page).to_have_url(f"{live_server.url}/portfolio/mine/")

    page.get_by_role("button", name="FR", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes projets")


def test_signing_out_returns_to_the_sign_in_page(page: Page, live_server, world):
    sign_in(page, live_server.url, "pmo", world.password)

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Se déconnecter").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))
