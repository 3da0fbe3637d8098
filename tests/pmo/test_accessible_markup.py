"""Markup a screen reader relies on (WCAG 4.1.2, 1.3.1): a name on what is named, no pointer to an element
that is not there, ids that keep the keyboard's place across an htmx swap."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from governance import services
from tests.factories import ProjectFactory
from tests.governance.test_live_meeting import (  # noqa: F401  (fixtures)
    committee,
    live,
    meeting,
    project,
    started,
)

pytestmark = pytest.mark.django_db


def live_item(html: str) -> str:
    return re.search(r'<section id="live-item"[^>]*>', html).group(0)


def test_the_live_item_is_named_by_its_title_or_by_a_label_when_none_is_shown(client, world, meeting):  # noqa: F811
    client.force_login(world.pmo)

    waiting = live(client, meeting).content.decode()  # not started: no item on the screen
    services.meeting_start(meeting=meeting, by=world.pmo)
    services.meeting_show_item(meeting=meeting, item=meeting.items.first())
    showing = live(client, meeting).content.decode()

    assert "aria-labelledby" not in live_item(waiting) and 'aria-label="The item on the screen"' in live_item(
        waiting
    )
    assert 'aria-labelledby="live-item-title"' in live_item(showing) and 'id="live-item-title"' in showing


def test_each_attendance_toggle_has_its_own_id(client, world, started):  # noqa: F811
    client.force_login(world.pmo)

    html = live(client, started).content.decode()

    ids = re.findall(r'<button type="button" id="(attendance-\d+-\w+)" class="btn btn-sm live-toggle', html)
    assert len(ids) == 8 and len(set(ids)) == 8  # two attendees (the member and the PMO), four statuses


def test_the_confidential_padlock_is_an_image_with_a_name(client, world):
    ProjectFactory(project_manager=world.pm, directorate=world.it, confidential=True)
    client.force_login(world.pm)

    html = client.get("/portfolio/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert re.search(
        r'<i class="bi bi-lock-fill[^"]*" role="img" title="Confidential" aria-label="Confidential">', html
    )


def test_only_third_party_markup_is_left_out_of_the_accessibility_check():
    """`data-a11y-exempt` takes an element out of the browser tests' axe check: Swagger UI's explorer only."""
    templates = Path(settings.BASE_DIR) / "templates"
    exempt = sorted(
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "data-a11y-exempt" in path.read_text()
    )

    assert exempt == ["drf_spectacular/swagger_ui.html"]
