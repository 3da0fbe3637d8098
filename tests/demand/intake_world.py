"""What the intake tests share: a request submitted by the IT project manager, roles to ask people for,
media in a temporary directory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from demand.services import request_submit
from resources.models import ResourceRole


@pytest.fixture
def _media_in_a_temporary_directory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def _in_english(client, settings):
    """The pages in English, whatever the site's language, so that the tests read the source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def roles() -> tuple[ResourceRole, ResourceRole]:
    developer = ResourceRole.objects.get_or_create(
        code="DEV", defaults={"name": "Développeur", "name_en": "Developer", "order": 1}
    )[0]
    analyst = ResourceRole.objects.get_or_create(
        code="BA", defaults={"name": "Analyste métier", "name_en": "Business analyst", "order": 2}
    )[0]
    return developer, analyst


def submit(by, *, title="Portail client", directorate=None, costs=None, needs=None, **values):
    year = timezone.localdate().year
    developer, _analyst = roles()
    return request_submit(
        by=by,
        values={
            "title": title,
            "objectives": "Servir les clients en ligne.",
            "directorate": directorate or by.directorate,
            "currency": "MAD",
            **values,
        },
        costs=costs if costs is not None else {year: Decimal("100000"), year + 1: Decimal("250000")},
        needs=needs if needs is not None else {(developer, year): Decimal("6")},
    )


def form_data(*, years: list[int], roles_: list[ResourceRole], **overrides) -> dict:
    """A complete request form as the page posts it (blank grids)."""
    data = {
        "title": "Refonte du portail",
        "objectives": "Un portail unique pour les clients.",
        "strategic_objective": "Expérience client",
        "urgency": "3",
        "currency": "MAD",
        "desired_start": date(years[0] + 1, 1, 1).isoformat(),
        "desired_end": date(years[0] + 2, 6, 30).isoformat(),
    }
    for year in years:
        data[f"cost-{year}"] = ""
        for role in roles_:
            data[f"people-{role.pk}_{year}"] = ""
    data.update(overrides)
    return data
