"""A file's delivery confidence comes in as the projects' assessed confidence, all five levels kept.

The GMPP-2017-like sample rates its projects on the IPA's five-point scale; the expectations are
computed from the CSV here with the csv module and counted through `portfolio.assurance`, the one place
the project list, its filter and its exports read the confidence from.
"""

import csv
import json
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from imports.mapping import MappingError, guess_columns
from imports.services import CREATE, ERROR, UNCHANGED, UPDATE, import_table
from portfolio.assurance import confidence_as_at, with_confidence
from portfolio.models import Confidence, DeliveryConfidence, Project, StatusReport
from tests.factories import DirectorateFactory
from tests.imports.conftest import mapping_of, table_of
from tests.imports.test_views import make_import

SAMPLE = Path(__file__).parent / "data" / "gmpp_2017_sample.csv"
MAPPING = Path(settings.BASE_DIR) / "docs" / "examples" / "gmpp_2017_mapping.json"
# The IPA's wording of its five levels, read here independently of the importer: letters only.
IPA_WORDS = {
    "green": Confidence.GREEN,
    "ambergreen": Confidence.AMBER_GREEN,
    "amber": Confidence.AMBER,
    "amberred": Confidence.AMBER_RED,
    "red": Confidence.RED,
}

pytestmark = pytest.mark.django_db


def sample() -> tuple[list[dict[str, str]], dict]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows, json.loads(MAPPING.read_text(encoding="utf-8"))


def dca_column(rows) -> str:
    return next(header for header in rows[0] if header.startswith("IPA Delivery Confidence"))


def level_in_file(text: str) -> str | None:
    """The level a cell of the sample gives, None for an exemption (not published)."""
    return IPA_WORDS.get("".join(letter for letter in text.casefold() if letter.isalpha()))


def import_sample(*options) -> str:
    out = StringIO()
    call_command(
        "import_portfolio",
        str(SAMPLE),
        "--mapping",
        str(MAPPING),
        "--lang",
        "en",
        *options,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def confidence_counts(on: date) -> Counter:
    return Counter(with_confidence(Project.objects.all(), on=on).values_list("confidence", flat=True))


def test_the_gmpp_2017_sample_keeps_its_five_delivery_confidence_levels():
    rows, mapping = sample()
    column = dca_column(rows)
    expected = Counter(level_in_file(row[column]) for row in rows)
    exempt = [row["GMPP ID Number"] for row in rows if row[column].startswith("Exempt")]
    assert set(expected) - {None} == set(Confidence), "the sample must use all five levels"
    assert expected[None] == len(exempt) > 0
    on = date.fromisoformat(mapping["status_period"])

    out = import_sample()

    assert f"Rows: {len(rows)}; created: {len(rows)}; updated: 0; unchanged: 0; rows with errors: 0" in out
    # Five levels in, five levels kept: Amber/Green is not Amber, Amber/Red is not Red.
    assert confidence_counts(on) == expected
    # The list's annotation and the project page's reading agree, dated by the data's date.
    latest = confidence_as_at(Project.objects.values_list("pk", flat=True), on)
    assert Counter(assessment.rating for assessment in latest.values()) + Counter(
        {None: len(rows) - len(latest)}
    ) == confidence_counts(on)
    assert {assessment.assessed_on for assessment in latest.values()} == {on}
    assert confidence_counts(on - timedelta(days=1)) == Counter({None: len(rows)})
    # An exempt project has no assessment, not a made-up one; the file declares no RAG: no status.
    assert not DeliveryConfidence.objects.filter(project__code__in=exempt).exists()
    assert not StatusReport.objects.exists()
    sources = set(DeliveryConfidence.objects.values_list("source", flat=True))
    assert sources == {DeliveryConfidence.Source.IMPORT}
    # The department's commentary is the assessment's reason.
    commentary = next(header for header in rows[0] if header.startswith("Departmental commentary"))
    for row in rows:
        if level_in_file(row[column]):
            assert latest_of(row["GMPP ID Number"]).reason == row[commentary].strip()


def latest_of(code: str) -> DeliveryConfidence:
    return DeliveryConfidence.objects.filter(project__code=code).latest()


def test_importing_the_sample_again_records_no_second_assessment():
    rows, mapping = sample()
    import_sample()
    recorded = DeliveryConfidence.objects.count()

    out = import_sample()

    assert f"created: 0; updated: 0; unchanged: {len(rows)}; rows with errors: 0" in out
    assert DeliveryConfidence.objects.count() == recorded
    assert sum(confidence_counts(date.fromisoformat(mapping["status_period"])).values()) == len(rows)


def test_the_dry_run_records_nothing():
    import_sample("--dry-run")
    assert not DeliveryConfidence.objects.exists() and not Project.objects.exists()


# --- one row at a time -----------------------------------------------------------------------------

HEADERS = ["Code", "Name", "Directorate", "IPA Delivery Confidence Assessment", "Period"]


@pytest.fixture
def directorate():
    return DirectorateFactory(code="DSI")


def run(rows, *, author=None, commit=True, **mapping):
    definition = {
        "columns": {
            "Code": "code",
            "Name": "name",
            "Directorate": "directorate",
            "IPA Delivery Confidence Assessment": "delivery_confidence",
            "Period": "status_period",
        },
        "defaults": {"state": "active"},
    }
    definition.update(mapping)
    return import_table(
        table=table_of([HEADERS, *rows]), mapping=mapping_of(**definition), author=author, commit=commit
    )


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("Green", Confidence.GREEN),
        ("Amber/Green", Confidence.AMBER_GREEN),
        ("Amber-Green", Confidence.AMBER_GREEN),
        ("Amber / Green", Confidence.AMBER_GREEN),
        ("  amber  \u2013  green ", Confidence.AMBER_GREEN),
        ("AMBER", Confidence.AMBER),
        ("Amber/Red", Confidence.AMBER_RED),
        ("Amber - Red", Confidence.AMBER_RED),
        ("Red", Confidence.RED),
        ("Vert", Confidence.GREEN),
        ("Ambre/Vert", Confidence.AMBER_GREEN),
        ("Orange / Vert", Confidence.AMBER_GREEN),
        ("Ambre", Confidence.AMBER),
        ("Orange-Rouge", Confidence.AMBER_RED),
        ("Rouge", Confidence.RED),
    ],
)
def test_the_ipa_and_french_words_of_the_five_levels_are_read_without_a_value_mapping(
    directorate, world, written, level
):
    on = timezone.localdate() - timedelta(days=3)

    report = run([["PRJ-1", "Portail", "DSI", written, on.isoformat()]], author=world.pmo)

    assert report.committed, report.errors
    assessment = latest_of("PRJ-1")
    assert (assessment.rating, assessment.assessed_on, assessment.source) == (level, on, "import")
    assert assessment.follow_up_due == DeliveryConfidence.follow_up_date(level, on)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_unknown_level_is_an_error_naming_the_row_the_column_and_the_levels_and_nothing_is_saved(
    directorate, language
):
    rows = [["PRJ-1", "Portail", "DSI", "Amber/Green", ""], ["PRJ-2", "Paie", "DSI", "Purple", ""]]
    with translation.override(language):
        report = run(rows)
        levels = ", ".join(str(label) for _value, label in Confidence.choices)
        shown = [error.as_list() for error in report.errors]

    assert not report.committed and [result.action for result in report.rows][1] == ERROR
    assert len(shown) == 1
    row, column, value, message = shown[0]
    assert (row, column, value) == (3, "IPA Delivery Confidence Assessment", "Purple")
    assert levels in message
    assert not Project.objects.exists() and not DeliveryConfidence.objects.exists()


def test_a_value_mapping_reads_any_other_wording_and_blank_records_nothing(directorate):
    report = run(
        [["PRJ-1", "Portail", "DSI", "On track (high)", ""], ["PRJ-2", "Paie", "DSI", "Reset", ""]],
        values={"delivery_confidence": {"On track*": "amber_green", "Reset": None}},
    )

    assert report.committed, report.errors
    assert latest_of("PRJ-1").rating == Confidence.AMBER_GREEN
    assert not DeliveryConfidence.objects.filter(project__code="PRJ-2").exists()


def test_a_new_level_or_date_is_a_new_assessment_and_the_dry_run_shows_the_level_before(directorate):
    first = timezone.localdate() - timedelta(days=14)
    later = first + timedelta(days=7)
    run([["PRJ-1", "Portail", "DSI", "Amber", first.isoformat()]])

    same = run([["PRJ-1", "Portail", "DSI", "amber", first.isoformat()]])
    dry = run([["PRJ-1", "Portail", "DSI", "Amber/Red", later.isoformat()]], commit=False)
    changed = run([["PRJ-1", "Portail", "DSI", "Amber/Red", later.isoformat()]])

    assert same.rows[0].action == UNCHANGED
    assert dry.rows[0].action == UPDATE and not dry.committed
    assert dry.rows[0].changes == [["delivery_confidence", "amber", "amber_red", later.isoformat()]]
    assert changed.rows[0].action == UPDATE
    project = Project.objects.get(code="PRJ-1")
    assert project.confidence_assessments.count() == 2
    assert confidence_as_at([project.pk], later)[project.pk].rating == Confidence.AMBER_RED
    assert confidence_as_at([project.pk], first)[project.pk].rating == Confidence.AMBER


def test_without_a_period_column_the_assessment_is_dated_by_the_mappings_period_else_today(directorate):
    rows = [["PRJ-1", "Portail", "DSI", "Green", ""]]
    run(rows, status_period="2024-06-28")
    run([["PRJ-2", "Paie", "DSI", "Green", ""]])

    assert latest_of("PRJ-1").assessed_on == date(2024, 6, 28)
    assert latest_of("PRJ-2").assessed_on == timezone.localdate()


def test_the_reason_is_the_confidence_commentary_else_the_explanation_of_a_file_without_a_declared_rag(
    directorate,
):
    headers = [*HEADERS, "Overall RAG", "Commentary"]
    columns = dict.fromkeys(headers)
    columns.update(Code="code", Name="name", Directorate="directorate", Commentary="explanation")
    columns["IPA Delivery Confidence Assessment"] = "delivery_confidence"

    only_dca = import_table(
        table=table_of([headers, ["PRJ-1", "Portail", "DSI", "Red", "", "", "Supplier in recovery."]]),
        mapping=mapping_of(columns=columns, defaults={"state": "active"}),
        commit=True,
    )
    with_rag = import_table(
        table=table_of([headers, ["PRJ-2", "Paie", "DSI", "Red", "", "Amber", "Late by a month."]]),
        mapping=mapping_of(columns=columns | {"Overall RAG": "overall_rag"}, defaults={"state": "active"}),
        commit=True,
    )

    assert only_dca.committed and with_rag.committed, [only_dca.errors, with_rag.errors]
    assert latest_of("PRJ-1").reason == "Supplier in recovery."
    # The project manager's explanation of a declared amber is theirs, not the assessment's reason.
    assert latest_of("PRJ-2").reason == ""
    assert Project.objects.get(code="PRJ-2").last_report.overall_rag == "amber"
    assert latest_of("PRJ-2").rating == Confidence.RED


def test_a_delivery_confidence_is_never_a_default():
    with pytest.raises(MappingError) as refused:
        mapping_of(columns={"Code": "code"}, defaults={"delivery_confidence": "green"})
    assert "delivery_confidence" in str(refused.value)


def test_a_delivery_confidence_header_is_guessed_as_the_assessment_not_the_declared_rag():
    headers = ["Code", "Overall RAG", "IPA Delivery Confidence Assessment", "DCA commentary"]
    assert list(guess_columns(headers).values()) == [
        "code",
        "overall_rag",
        "delivery_confidence",
        "confidence_reason",
    ]
    assert guess_columns(["Code", "DCA"])["DCA"] == "delivery_confidence"
    assert guess_columns(["Code", "Confiance dans la livraison"])["Confiance dans la livraison"] == (
        "delivery_confidence"
    )


# --- in the browser --------------------------------------------------------------------------------


def test_the_browser_import_guesses_the_levels_and_records_the_assessments(
    client, world, directorate, django_capture_on_commit_callbacks
):
    rows = [
        ["Code", "Name", "Directorate", "IPA Delivery Confidence Assessment"],
        ["PRJ-301", "Portail", "DSI", "Amber-Green"],
        ["PRJ-302", "Paie", "DSI", "Amber / Red"],
    ]
    on = timezone.localdate() - timedelta(days=10)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(world.pmo)
    upload = make_import(world.pmo, rows)

    page = client.get(reverse("imports:columns", args=[upload.pk])).content.decode()
    assert '<option value="delivery_confidence" selected>' in page
    columns = {"column_0": "code", "column_1": "name", "column_2": "directorate"}
    columns |= {"column_3": "delivery_confidence", "status_period": on.isoformat()}
    assert client.post(reverse("imports:columns", args=[upload.pk]), columns).status_code == 302
    page = client.get(reverse("imports:values", args=[upload.pk])).content.decode()
    assert '<option value="amber_green" selected>' in page and '<option value="amber_red" selected>' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:values", args=[upload.pk]),
            {"value_delivery_confidence_0": "", "value_delivery_confidence_1": "", "default_state": "active"},
        )
    english = client.get(response.url).content.decode()
    french = client.get(response.url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        french_label = str(Confidence.AMBER_GREEN.label)
    assert "Delivery confidence (assessed)" in english and "<span>Amber/Green</span>" in english
    assert f"<span>{french_label}</span>" in french
    assert not DeliveryConfidence.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[upload.pk]))

    assert [result["action"] for result in Import_results(upload)] == [CREATE, CREATE]
    assert {(a.project.code, a.rating, a.assessed_on) for a in DeliveryConfidence.objects.all()} == {
        ("PRJ-301", Confidence.AMBER_GREEN, on),
        ("PRJ-302", Confidence.AMBER_RED, on),
    }


def Import_results(upload):
    upload.refresh_from_db()
    return upload.results
