"""Texts the application writes (standard agenda items, stage gates, why an item is proposed) are in each
reader's language: stored as a key, worded when shown, on the page and in the minutes and packs."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from importlib import import_module
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.utils import timezone, translation

from governance import services
from governance.models import AgendaItem, Decision, GateReview, Meeting
from governance.selectors import agenda_proposals
from portfolio.models import Phase
from reporting.models import Report
from reporting.reports import report_build, report_request
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")
MEANINGFUL = 12  # shorter fragments ("Projet", "Statut : ") are too often the same in both languages
# The French the governance demo used to write into its rows, before its standard texts had keys.
DEMO_STANDARD_TEXTS = ["Suivi des actions de la séance précédente", "Questions diverses", "Passage de phase"]


@pytest.fixture(autouse=True)
def _reports_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False


def flat(text: str) -> str:
    return " ".join(text.split())


def french_catalogue_fragments() -> set[str]:
    """Every stretch of French text the catalogue holds that differs from its English source and is long
    enough to mean something, cut at its placeholders."""
    fragments = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        for msgid, msgstr in pairs:
            if not msgstr or msgstr == msgid:
                continue
            for fragment in PLACEHOLDER.split(msgstr):
                fragment = flat(fragment).strip(" :;,.()")
                if len(fragment) > MEANINGFUL and fragment not in msgid:
                    fragments.add(fragment)
    return fragments


def typed_text() -> str:
    """Everything people typed (and the demo typed for them), in every row of the domain's apps: French
    they wrote may stay French. A title or reason the application wrote has a key: its column is not
    what anybody typed."""
    values = []
    for app in ("pmo", "portfolio", "governance", "risks"):
        for model in apps.get_app_config(app).get_models():
            names = {f.name for f in model._meta.concrete_fields}
            texts = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not f.name.endswith("_key")
                and f"{f.name}_key" not in names
            ]
            for row in model.objects.values_list(*texts):
                values += [str(value) for value in row if value]
    return flat(" ".join(values))


def pdf_text(meeting: Meeting, kind: str, language: str) -> str:
    report, _created = report_request(kind=kind, meeting=meeting, language=language, queue=False)
    report_build(report.pk)
    report.refresh_from_db()
    assert report.state == Report.State.DONE, report.error
    with report.file.open("rb") as pdf:
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.read(), capture_output=True, check=True)
    return flat(text.stdout.decode())


def french_the_application_wrote(english: str) -> list[str]:
    typed = typed_text()
    return sorted(
        fragment
        for fragment in french_catalogue_fragments() | set(DEMO_STANDARD_TEXTS)
        if fragment in english and fragment not in typed
    )


@pytest.fixture
def demo():
    with translation.override(settings.LANGUAGE_CODE):
        call_command("seed_demo", "--reset", "--projects", "20", stdout=StringIO())


def test_the_english_minutes_of_a_demo_meeting_carry_no_french_the_application_wrote(demo):
    meeting = Meeting.objects.filter(
        state=Meeting.State.CLOSED, items__kind=AgendaItem.Kind.STAGE_GATE, items__title_key__gt=""
    ).first()
    assert meeting.items.filter(kind=AgendaItem.Kind.ACTION_REVIEW).exists()

    english, french = pdf_text(meeting, "minutes", "en"), pdf_text(meeting, "minutes", "fr")

    assert french_the_application_wrote(english) == []
    assert french_the_application_wrote(french)  # the scan finds the catalogue's French where it is
    gate = meeting.items.get(kind=AgendaItem.Kind.STAGE_GATE).gate_review
    for words, language in ((french, "fr"), (english, "en")):
        with translation.override(language):
            phases = f"{gate.from_phase} → {gate.to_phase}"
        assert phases in words
    assert "Suivi des actions de la séance précédente" in french
    assert "Follow-up of the previous meeting's actions" in english
    assert f"Passage de phase {gate.project.code}" in french
    assert f"Stage gate {gate.project.code}" in english
    assert "Questions diverses" in french and "Any other business" in english


def test_the_english_pack_of_the_demo_meeting_to_come_words_why_each_item_is_there_in_english(demo):
    meeting = Meeting.objects.filter(
        state=Meeting.State.PLANNED, items__kind=AgendaItem.Kind.RISK_ESCALATION
    ).first()
    escalated = meeting.items.filter(kind=AgendaItem.Kind.RISK_ESCALATION).first()
    assert escalated.reason_key

    english, french = pdf_text(meeting, "pack", "en"), pdf_text(meeting, "pack", "fr")

    assert french_the_application_wrote(english) == []
    assert "escalated by" in english and "escaladé par" in french


def test_a_proposal_taken_up_is_worded_for_each_reader_of_the_agenda(client, world, copil):
    today = timezone.localdate()
    services.action_create(
        title="Relancer le fournisseur",
        owner=world.member,
        due_date=today,
        meeting=planned_meeting(committee=copil, starts_at=timezone.now() - timedelta(weeks=2)),
        by=world.pmo,
    )
    project = project_in_design(world)
    services.gate_review_request(project=project, committee=copil, by=world.pm)
    meeting = planned_meeting(committee=copil)
    with translation.override("fr"):  # the secretary works in French
        for proposal in agenda_proposals(meeting, today=today):
            if proposal.kind in (AgendaItem.Kind.ACTION_REVIEW, AgendaItem.Kind.STAGE_GATE):
                services.agenda_accept(meeting=meeting, proposal=proposal)

    client.force_login(world.pmo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(meeting.get_absolute_url()).content.decode()

    assert "Follow-up of the previous meeting&#x27;s actions" in page
    assert f"Stage gate {project.code}:" in page and "Gate review requested on" in page
    assert "Suivi des actions" not in page and "Passage de phase" not in page
    # The column keeps the secretary's words: search and the admin read it.
    assert meeting.items.get(kind=AgendaItem.Kind.ACTION_REVIEW).title.startswith("Suivi des actions")


def test_a_gate_decision_is_titled_in_the_readers_language_until_someone_retypes_it(world, copil):
    project = project_in_design(world)
    review = services.gate_review_request(project=project, committee=copil, by=world.pm)
    meeting = planned_meeting(committee=copil)
    with translation.override("fr"):
        decision = services.gate_review_decide(
            review=review, outcome=GateReview.Outcome.GO, by=world.pmo, meeting=meeting
        )

    with translation.override("en"):
        assert (
            str(decision)
            == f"{decision.reference} Stage gate {project.code}: {review.from_phase} → {review.to_phase}"
        )
        services.decision_update(decision=decision, title=decision.display_title)  # saved unchanged
    assert Decision.objects.get(pk=decision.pk).title_key == "governance.stage_gate"

    services.decision_update(decision=decision, title="Passage accordé sous réserve")
    with translation.override("en"):
        assert Decision.objects.get(pk=decision.pk).display_title == "Passage accordé sous réserve"


def test_rows_written_before_the_keys_get_them_from_their_words_in_either_language(world, copil):
    meeting = planned_meeting(committee=copil)
    project = project_in_design(world, name="Refonte du portail")
    review = services.gate_review_request(project=project, committee=copil, by=world.pm)
    follow_up = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.ACTION_REVIEW,
        title="Suivi des actions de la séance précédente",
        reason="3 actions ouvertes, 1 en retard",
    )
    other = AgendaItem.objects.create(meeting=meeting, kind=AgendaItem.Kind.OTHER, title="Any other business")
    reviewed = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.PROJECT_REVIEW,
        project=project,
        title="Revue du projet Refonte du portail",
    )
    gate = AgendaItem.objects.create(
        meeting=meeting, kind=AgendaItem.Kind.STAGE_GATE, gate_review=review, project=project,
        title=f"Passage de phase {project.name} : {review.from_phase.name} → {review.to_phase.name}",
    )  # fmt: skip
    typed = AgendaItem.objects.create(meeting=meeting, kind=AgendaItem.Kind.OTHER, title="Budget 2027")

    import_module("governance.migrations.0007_generated_texts_keyed_from_titles").forwards(apps, None)

    with translation.override("en"):
        assert [
            AgendaItem.objects.get(pk=i.pk).display_title for i in (follow_up, other, reviewed, typed)
        ] == [
            "Follow-up of the previous meeting's actions",
            "Any other business",
            "Project review Refonte du portail",
            "Budget 2027",
        ]
        assert AgendaItem.objects.get(pk=follow_up.pk).display_reason == "3 open actions, 1 overdue"
        assert AgendaItem.objects.get(pk=gate.pk).display_title == (
            f"Stage gate {project.code}: {review.from_phase.name_en} → {review.to_phase.name_en}"
        )
    with translation.override("fr"):
        assert AgendaItem.objects.get(pk=other.pk).display_title == "Questions diverses"


@pytest.fixture
def copil(world):
    return CommitteeFactory(secretary=world.pmo, scope_directorate=world.it, members=[world.member])


def project_in_design(world, **fields):
    return ProjectFactory(
        directorate=world.it, project_manager=world.pm, phase=Phase.objects.order_by("order")[1], **fields
    )
