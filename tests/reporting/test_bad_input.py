"""Bad input on the reporting forms (a KPI's definition, the entry of a KPI's value, asking for a report):
a form error or a saved value shown, never an error page, never half a save.
How the input is drawn and what the answer must be: tests/bad_input.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reporting.kpis import COMPUTED
from reporting.models import Kpi
from reporting.periods import Frequency, Period
from reporting.report_forms import period_value
from tests.bad_input import answer, bounded, changes, choice, day, number, over, rolled_back, text, values
from tests.factories import ProjectFactory
from tests.reporting.test_kpi_pages import definition

pytestmark = pytest.mark.django_db

UNITS = ("percent", "count", "index", "amount", "score")


@pytest.fixture
def kpis(world):
    """A KPI entered by hand for each scope, and the refs of what a form may name."""
    project = ProjectFactory(code="PRJ-0042", project_manager=world.pm, directorate=world.it)
    kpis = {
        scope: Kpi.objects.create(
            code=f"manual-{scope}",
            name="Saisi",
            name_en="Entered",
            unit=unit,
            scope=scope,
            frequency=frequency,
        )
        for scope, unit, frequency in (
            ("portfolio", "percent", "weekly"),
            ("directorate", "count", "monthly"),
            ("project", "amount", "quarterly"),
        )
    }
    refs = {"@it": world.it.pk, "@finance": world.finance.pk, "@project": project.pk}
    return kpis, refs


KPI = {
    **dict.fromkeys(("code", "name", "name_en", "description", "description_en"), text),
    "source": choice("manual", "computed"),
    "function": choice(*COMPUTED),
    "unit": choice(*UNITS),
    "direction": choice("higher", "lower"),
    "frequency": choice("weekly", "monthly", "quarterly"),
    "scope": choice("portfolio", "directorate", "project"),
    **dict.fromkeys(("target", "amber_threshold", "red_threshold", "order"), number),
    "on_dashboard": choice("on"),
}


@bounded(40)
@given(drawn=changes(KPI))
def test_a_new_kpi_definition_answers_any_input_with_an_error_or_a_created_kpi(client, world, kpis, drawn):
    client.force_login(world.pmo)
    with rolled_back():
        answer(client, "/dashboard/kpis/new/", over(definition(), drawn))


@bounded(30)
@given(drawn=changes(KPI))
def test_an_edited_kpi_definition_answers_any_input_with_an_error_or_a_saved_kpi(client, world, kpis, drawn):
    client.force_login(world.pmo)
    kpi = kpis[0]["portfolio"]
    form = definition(code=kpi.code, source="manual", function="", unit="percent", direction="higher")
    with rolled_back():
        answer(
            client, f"/dashboard/kpis/{kpi.code}/edit/", over(form, drawn), state=lambda: values(Kpi, kpi.pk)
        )


MEASUREMENT = {
    "period": day,
    "value": number,
    "comment": text,
    "directorate": choice("@it", "@finance"),
    "project": choice("@project"),
}


@bounded(45)
@given(scope=st.sampled_from(["portfolio", "directorate", "project"]), drawn=changes(MEASUREMENT))
def test_entering_a_kpi_value_answers_any_input_with_an_error_or_a_recorded_value(
    client, world, kpis, scope, drawn
):
    client.force_login(world.pmo)
    kpis, refs = kpis
    kpi = kpis[scope]
    last_period = (timezone.localdate() - timedelta(days=100)).isoformat()
    form = {"period": last_period, "value": "12", "comment": "", "directorate": "@it", "project": "@project"}
    with rolled_back():
        answer(client, f"/dashboard/kpis/{kpi.code}/", over(form, drawn, refs))


REPORT = {
    "kind": choice("weekly", "monthly", "quarterly"),
    "period": text.map(lambda value: value[:30])
    | choice("2026-W01", "2026-13", "2026-Q5", "9999-W53", "0000-Q1"),
    "directorate": choice("@it"),
    "portfolio": number,
    "language": choice("fr", "en"),
    "new_version": choice("on"),
}


@bounded(40)
@given(drawn=changes(REPORT))
def test_asking_for_a_report_answers_any_input_with_an_error_or_the_report(
    client, world, kpis, drawn, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.pmo)
    last_month = Period.containing(Frequency.MONTHLY, timezone.localdate()).previous()
    form = {"kind": "monthly", "period": period_value(last_month), "language": "en"}
    with rolled_back():
        answer(client, "/dashboard/reports/new/", over(form, drawn, kpis[1]), refused=(400,))
