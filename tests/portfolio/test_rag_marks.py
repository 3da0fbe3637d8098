"""A table of RAG marks (the project page's RAG history) tells the levels apart without their colours
(WCAG 1.4.1): each mark shows the level's letter beside its dot, the PDF reports' letters, and a screen
reader hears the level's word."""

import re

import pytest

from tests.factories import ProjectFactory
from tests.portfolio.test_project_page import page, report_for

pytestmark = pytest.mark.django_db


def marks(html: str) -> list[tuple[str, str, str]]:
    """(level class, visible letter, word read out) of each mark of the RAG history table."""
    table = re.search(r'<table class="[^"]*rag-history.*?</table>', html, re.S).group(0)
    return re.findall(
        r'<span class="rag rag-(\w+) rag-sm rag-mark"><span class="rag-dot" aria-hidden="true"></span>'
        r'<span class="rag-letter" aria-hidden="true">([^<]+)</span>'
        r'<span class="visually-hidden">([^<]+)</span>',
        table,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", [("green", "V", "Vert"), ("amber", "O", "Orange"), ("red", "R", "Rouge")]),
        ("en", [("green", "G", "Green"), ("amber", "A", "Amber"), ("red", "R", "Red")]),
    ],
)
def test_the_rag_history_shows_each_levels_letter_beside_its_dot(client, world, language, expected):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    report_for(project)  # overall green, schedule green, cost amber, scope green, resources red
    client.force_login(world.pm)

    found = marks(page(client, project, HTTP_ACCEPT_LANGUAGE=language).content.decode())

    green, amber, red = expected
    assert found == [green, green, amber, green, red]
