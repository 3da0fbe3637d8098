"""The what-if and a scenario's page read in French."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.adjustments import Adjustment
from resources.scenarios import scenario_create

pytestmark = pytest.mark.django_db


def test_the_pages_in_french(world, load):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(world.pmo)
    query = {"from": load.m1.strftime("%Y-%m"), "project": [load.a.pk], f"shift-{load.a.pk}": "-2"}
    page = client.get(reverse("resources:whatif"), query).content.decode()
    assert "Simulation" in page and "Cellules en surcharge" in page and "Enregistrer comme scénario" in page
    scenario = scenario_create(
        name="Décaler Alpha",
        from_month=load.m1,
        changes={load.a.pk: Adjustment(shift_months=-2)},
        by=world.pmo,
    )
    page = client.get(reverse("resources:scenario_detail", args=[scenario.pk])).content.decode()
    assert "2 mois plus tôt" in page and "Porter en comité de portefeuille" in page
