import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_french_is_the_default_language(client):
    page = client.get(reverse("login")).content.decode()

    assert '<html lang="fr">' in page
    assert "Se connecter" in page


def test_the_browser_language_picks_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()

    assert '<html lang="en">' in page
    assert "Sign in" in page


def test_the_language_switch_keeps_the_user_on_the_same_page(client, world):
    client.force_login(world.pm)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/portfolio/"})

    assert response["Location"] == "/portfolio/"
    page = client.get("/portfolio/").content.decode()
    assert "My projects" in page
    client.post(reverse("set_language"), {"language": "fr", "next": "/portfolio/"})
    assert "Mes projets" in client.get("/portfolio/").content.decode()
