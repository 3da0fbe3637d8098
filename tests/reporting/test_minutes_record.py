"""The minutes PDF of a meeting closed with two of its five items never opened, in French and English:
what was not discussed says so, a gate decision gives its rationale and checklist, actions sit under
their item, the date is the day it was held, and no code is printed twice."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance import services
from reporting.models import Report
from reporting.reports import report_build, report_request
from tests.governance.scenarios import meeting_with_two_items_not_discussed

pytestmark = pytest.mark.django_db

# What the minutes say of an item, in each language (the French catalogue's words).
WORDS = {
    "fr": {"not_discussed": "Non traité.", "nothing": "Traité ; rien n'a été consigné.", "met": "Satisfait"},
    "en": {"not_discussed": "Not discussed.", "nothing": "Discussed; nothing recorded.", "met": "Met"},
}


@pytest.fixture(autouse=True)
def _reports_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False


def minutes_text(meeting, language: str) -> str:
    report, _created = report_request(
        kind=Report.Kind.MINUTES, meeting=meeting, language=language, queue=False
    )
    report_build(report.pk)
    report.refresh_from_db()
    assert report.state == Report.State.DONE, report.error
    with report.file.open("rb") as pdf:
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.read(), capture_output=True, check=True)
    return " ".join(text.stdout.decode().split())  # words as read, whatever the line breaks


def sections(text: str, titles: list[str]) -> list[str]:
    """The text of each agenda item, from its title to the next one's."""
    starts = [text.index(title) for title in titles]
    return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]


@pytest.fixture
def held(world):
    return meeting_with_two_items_not_discussed(world)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_items_never_opened_are_not_discussed_in_the_minutes(held, language):
    text = minutes_text(held.meeting, language)

    items = list(held.meeting.items.order_by("order"))
    parts = sections(text, [item.title for item in items])
    words = WORDS[language]
    for item, part in zip(items, parts, strict=True):
        assert (words["not_discussed"] in part) == (item in held.not_discussed), item.title
    assert words["nothing"] not in text
    assert text.count(words["not_discussed"]) == 2


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_gate_decision_gives_its_rationale_and_checklist(held, language):
    text = minutes_text(held.meeting, language)

    gate = sections(text, [held.gate_item.title, held.minuted.title])[0]
    assert held.decision.rationale in gate
    with translation.override(language):
        for check in held.checks:
            check.refresh_from_db()
            assert str(check.criterion) in gate and check.comment in gate
    met = len(re.findall(rf"\b{WORDS[language]['met']}\b", gate))
    assert met == sum(1 for check in held.checks if check.met)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_actions_are_listed_under_the_item_they_were_raised_on(held, language):
    text = minutes_text(held.meeting, language)

    parts = sections(text, [item.title for item in held.meeting.items.order_by("order")])
    for action in held.meeting.actions.select_related("agenda_item"):
        under = parts[list(held.meeting.items.order_by("order")).index(action.agenda_item)]
        assert action.reference in under
    outside = "Hors ordre du jour" if language == "fr" else "Outside the agenda"
    assert outside not in text


def test_no_code_is_printed_twice(held):
    text = minutes_text(held.meeting, "en")

    for code in ("PRJ-0041", "PRJ-0042", "PRJ-0043"):
        assert f"{code} {code}" not in text
    assert f"PRJ-0042 {held.minuted.title}" in text  # a title without the code gets it


def test_the_minutes_give_the_day_it_was_held_and_the_planned_one(held):
    text = minutes_text(held.meeting, "en")

    sitting = held.meeting.sitting()
    with translation.override("en"):
        held_on = date_format(sitting.start, "l j F Y")
        planned_on = date_format(sitting.planned_start, "l j F Y")
        start, end = (date_format(moment, "TIME_FORMAT") for moment in (sitting.start, sitting.end))
    assert sitting.start.date() == timezone.localdate() != sitting.planned_start.date()
    assert f"Date {held_on} (planned on {planned_on})" in text
    assert f"from {start} to {end}" in text


def test_withdrawing_an_item_not_discussed_builds_a_new_version_of_the_minutes_that_says_why(
    held, world, django_capture_on_commit_callbacks
):
    before = minutes_text(held.meeting, "fr")
    info = held.not_discussed[1]
    assert "Proposé de nouveau pour la prochaine séance du comité." in before

    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_withdraw(item=info, reason="Présenté en comité de direction", by=world.pmo)

    minutes = Report.objects.filter(meeting=held.meeting, kind=Report.Kind.MINUTES)
    latest = minutes.order_by("-version").first()
    assert latest.version == 2 and latest.state == Report.State.DONE, latest.error
    with latest.file.open("rb") as pdf:
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.read(), capture_output=True, check=True)
    after = " ".join(text.stdout.decode().split())
    assert f"Retiré de l'ordre du jour par {world.pmo}" in after
    assert "Présenté en comité de direction" in after
