"""The PowerPoint versions of the monthly pack and of a meeting pack, read back with python-pptx: native
charts whose series are the dashboard's counts, a slide per exceptional project as the PDF lists them,
both languages, the organisation's template (found by its layouts' names, .potx accepted, anything else
refused), the curated pack's key messages and decisions, and who may download what."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from pptx import Presentation

from portfolio.models import Rag
from portfolio.models.assurance import Confidence
from reporting.models import ExecutivePack, PackPublication, Report, SlideTemplate
from reporting.pdf.content import common, monthly
from reporting.periods import Frequency, Period
from reporting.reports import report_build, report_request
from reporting.selectors import NO_STATUS, RAGS, PortfolioFigures
from reporting.slides import layouts
from tests.reporting.builders import build_portfolio, computed_kpi
from tests.reporting.test_meeting_reports import committee, meeting, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
KPIS = ("status_compliance", "rag_red_share", "portfolio_cpi")


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_CHARTS = False


def mixed(index: int, week) -> str:
    """Red, amber, green, then green; project 4 has no status at all (a fifth of them)."""
    return {0: Rag.RED, 1: Rag.AMBER, 2: Rag.AMBER, 4: None}.get(index % 5, Rag.GREEN)


@pytest.fixture
def portfolio(world):
    for function in KPIS:
        computed_kpi(function)
    return build_portfolio(
        count=7, weeks=3, today=timezone.localdate(), directorate=world.it, rag=mixed, prefix="SLD"
    )


def monthly_report(language: str, **fields) -> Report:
    period = Period.containing(Frequency.MONTHLY, timezone.localdate())
    report, _created = report_request(kind=Report.Kind.MONTHLY, language=language, period=period, queue=False)
    if fields:
        Report.objects.filter(pk=report.pk).update(**fields)
    built = report_build(report.pk)
    assert built.state == Report.State.DONE, built.error
    return built


def deck_of(report: Report) -> Presentation:
    with report.slides.open("rb") as handle:
        return Presentation(BytesIO(handle.read()))


def titles(deck) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title else "" for slide in deck.slides]


def texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return " ".join(parts)


def charts(deck) -> list:
    return [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]


def test_the_monthly_slides_chart_the_dashboards_rag_counts_natively(portfolio):
    report = monthly_report("en")
    deck = deck_of(report)

    figures = PortfolioFigures.for_everyone(scope=report.scope, today=timezone.localdate())
    snapshot = figures.snapshot(common.as_at(report))
    expected = [snapshot.count(rag) for rag in (*RAGS, NO_STATUS)]
    assert sum(expected) == len(portfolio) and all(expected)  # every RAG, and "no status", are there
    chart = charts(deck)[0]  # a PowerPoint chart, not a picture
    assert [int(value) for value in chart.plots[0].series[0].values] == expected
    assert list(chart.plots[0].categories) == ["Green", "Amber", "Red", "No status"]
    # The KPI scorecard is a native table with a line per dashboard KPI.
    kpi_slide = next(slide for slide in deck.slides if slide.shapes.title.text == "KPI scorecard")
    table = next(shape.table for shape in kpi_slide.shapes if shape.has_table)
    assert len(table.rows) == 1 + len(KPIS)
    assert report.slides.name.endswith(".pptx")


def test_the_quarterly_report_has_its_slides_too(portfolio):
    period = Period.containing(Frequency.QUARTERLY, timezone.localdate())
    report, _created = report_request(kind=Report.Kind.QUARTERLY, language="en", period=period, queue=False)
    report = report_build(report.pk)

    assert report.state == Report.State.DONE, report.error
    found = titles(deck_of(report))
    assert found[0] == "Quarterly report" and "Projects by latest RAG" in found


def test_the_delivery_confidence_is_charted_when_the_rows_carry_it(portfolio, monkeypatch):
    """The snapshot's rows carry the PMO's confidence once the assurance work adds it: the doughnut's
    series are the rows' own ratings (here given to the rows the snapshot returns)."""
    levels = ["green", "amber_red", None]
    snapshot_of = PortfolioFigures.snapshot

    def with_confidence(figures, on):
        snapshot = snapshot_of(figures, on)
        for n, row in enumerate(snapshot.rows):
            row.confidence = levels[n % len(levels)]
        return snapshot

    monkeypatch.setattr(PortfolioFigures, "snapshot", with_confidence)
    report = monthly_report("en")
    deck = deck_of(report)

    figures = PortfolioFigures.for_everyone(scope=report.scope, today=timezone.localdate())
    rows = with_confidence(figures, common.as_at(report)).rows
    slide = next(slide for slide in deck.slides if slide.shapes.title.text == "Delivery confidence")
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    with translation.override("en"):
        expected = [
            (str(level.label), sum(1 for row in rows if row.confidence == level)) for level in Confidence
        ]
    expected.append(("Not assessed", sum(1 for row in rows if not row.confidence)))
    expected = [(label, count) for label, count in expected if count]  # no empty slice
    assert list(chart.plots[0].categories) == [label for label, _count in expected]
    assert [int(value) for value in chart.plots[0].series[0].values] == [count for _label, count in expected]
    assert chart.plots[0].data_labels.show_value  # each slice says its count


def test_without_any_confidence_there_is_no_confidence_slide(portfolio):
    assert "Delivery confidence" not in titles(deck_of(monthly_report("en")))


def test_there_is_a_slide_per_exceptional_project_as_the_pdf_lists_them(portfolio):
    report = monthly_report("en")
    deck = deck_of(report)

    with translation.override("en"):
        listed = monthly.context(report)["exceptions_shown"]
    codes = [line.project.code for line in listed]
    project_titles = [title for title in titles(deck) if title.startswith("SLD-")]
    assert listed and [title.split(" ")[0] for title in project_titles] == codes
    first = next(slide for slide in deck.slides if slide.shapes.title.text.startswith(codes[0]))
    assert "Red" in texts(first) and "Achievements" in texts(first)


def test_french_and_english_slides_are_each_in_their_language(portfolio):
    english, french = titles(deck_of(monthly_report("en"))), titles(deck_of(monthly_report("fr")))

    for language, found in (("en", english), ("fr", french)):
        with translation.override(language):
            assert str(Report.Kind.MONTHLY.label) == found[0]
            assert translation.gettext("KPI scorecard") in found
            assert translation.gettext("Projects by latest RAG") in found
    # Slide by slide, each title but the projects' (their codes and names) is said in each language.
    assert len(english) == len(french)
    for in_english, in_french in zip(english, french, strict=True):
        assert (in_english == in_french) == in_english.startswith("SLD-"), in_english


def test_the_curated_packs_key_messages_decisions_and_comments_are_slides(portfolio, world):
    period = Period.containing(Frequency.MONTHLY, timezone.localdate())
    pack = ExecutivePack.objects.create(kind=Report.Kind.MONTHLY, period=period.start)
    red = next(project for n, project in enumerate(portfolio) if n % 5 == 0)
    content = {
        "key_messages": ["Le portefeuille tient ses dates", "Deux projets demandent un arbitrage"],
        "decisions_expected": [{"title": "Arbitrer le budget de SLD", "detail": "Avant la fin du mois"}],
        "section_comments": {},
        "project_comments": {red.code: "Le PMO suit ce projet chaque semaine."},
    }
    publication = PackPublication.objects.create(pack=pack, number=1, content=content, published_by=world.pmo)
    deck = deck_of(monthly_report("fr", publication=publication))

    found = titles(deck)
    with translation.override("fr"):
        assert found[1] == translation.gettext("Key messages")
        assert found[-1] == translation.gettext("Decisions expected from the committee")
    assert "Le portefeuille tient ses dates" in texts(deck.slides[1])
    assert "Arbitrer le budget de SLD" in texts(deck.slides[len(found) - 1])
    project = next(slide for slide in deck.slides if slide.shapes.title.text.startswith(red.code))
    assert "Le PMO suit ce projet chaque semaine." in texts(project)


def test_without_curation_there_is_no_key_messages_slide(portfolio):
    found = titles(deck_of(monthly_report("en")))
    assert "Key messages" not in found and "Decisions expected from the committee" not in found


def test_a_failure_of_the_slides_fails_the_report_with_its_message(portfolio, monkeypatch):
    def broken(report):
        raise ValueError("gabarit illisible")

    monkeypatch.setattr("reporting.slides.build", broken)
    period = Period.containing(Frequency.MONTHLY, timezone.localdate())
    report, _created = report_request(kind=Report.Kind.MONTHLY, language="en", period=period, queue=False)
    report_build(report.pk)

    report.refresh_from_db()
    assert report.state == Report.State.FAILED and "gabarit illisible" in report.error
    assert not report.slides and not report.file


# --- Templates ---------------------------------------------------------------------------------------


def named_layout_template() -> bytes:
    """PowerPoint's template with its "Title Only" renamed and another layout named "Titre seul" (so that
    a slide on "Titre seul" was found by its name, not by its place), and one slide to be dropped."""
    deck = Presentation()
    deck.slide_layouts[5].name = "Ancien"
    deck.slide_layouts[8].name = "Titre seul"
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Diapositive d'exemple"
    out = BytesIO()
    deck.save(out)
    return out.getvalue()


def as_potx(data: bytes) -> bytes:
    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == layouts.CONTENT_TYPES:
                content = content.replace(layouts.PRESENTATION_TYPE, layouts.TEMPLATE_TYPE)
            target.writestr(info, content)
    return out.getvalue()


def upload(client, name: str, filename: str, data: bytes):
    return client.post(
        reverse("reporting:slide_templates"),
        {"name": name, "file": ContentFile(data, name=filename)},
    )


def test_the_slides_use_the_uploaded_templates_layouts_by_name(client, world, portfolio):
    client.force_login(world.pmo)
    response = upload(client, "Charte groupe", "charte.pptx", named_layout_template())
    assert response.status_code == 302
    page = client.get(reverse("reporting:slide_templates")).content.decode()
    assert "Charte groupe" in page and "Titre seul" in page

    deck = deck_of(monthly_report("fr"))
    chart_slide = next(slide for slide in deck.slides if any(shape.has_chart for shape in slide.shapes))
    assert chart_slide.slide_layout.name == "Titre seul"
    assert "Diapositive d'exemple" not in titles(deck)  # the template's own slides are not kept


def test_a_potx_template_is_accepted(client, world, portfolio):
    client.force_login(world.pmo)
    assert upload(client, "Modèle", "modele.potx", as_potx(named_layout_template())).status_code == 302
    assert SlideTemplate.objects.get().active

    deck = deck_of(monthly_report("en"))
    assert any(slide.slide_layout.name == "Titre seul" for slide in deck.slides)


@pytest.mark.parametrize(
    "filename, data",
    [
        ("faux.pptx", b"ceci n'est pas une presentation"),
        ("classeur.pptx", b"PK\x03\x04 not really a zip"),
        ("notes.txt", None),
    ],
)
def test_a_file_that_is_not_a_powerpoint_template_is_refused(client, world, filename, data):
    if data is None:
        data = named_layout_template()  # a real template, but not named as one
    client.force_login(world.pmo)
    response = upload(client, "Mauvais", filename, data)

    assert response.status_code == 400
    assert not SlideTemplate.objects.exists()
    page = response.content.decode()
    assert "Mauvais" in page  # what was typed is kept
    assert "PowerPoint template" in page or ".pptx or .potx" in page


def test_a_zip_that_is_not_a_presentation_is_refused():
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(Exception, match="not a PowerPoint template"):
        layouts.inspect(out.getvalue())


def test_the_pmo_switches_templates_and_back_to_the_default(client, world):
    client.force_login(world.pmo)
    upload(client, "Premier", "premier.pptx", named_layout_template())
    upload(client, "Second", "second.pptx", named_layout_template())
    first, second = SlideTemplate.objects.get(name="Premier"), SlideTemplate.objects.get(name="Second")
    assert (first.active, second.active) == (False, True)

    client.post(reverse("reporting:slide_template_activate", args=[first.pk]))
    assert list(SlideTemplate.objects.filter(active=True)) == [first]
    client.post(reverse("reporting:slide_template_use_default"))
    assert not SlideTemplate.objects.filter(active=True).exists()
    client.post(reverse("reporting:slide_template_delete", args=[second.pk]))
    assert list(SlideTemplate.objects.all()) == [first]
    default = client.get(reverse("reporting:slide_template_default"))
    assert default.status_code == 200
    assert "Title Only" in layouts.inspect(b"".join([default.content]))


def test_the_templates_page_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.pmo)
    for n in range(3):
        upload(client, f"Modèle {n}", f"modele-{n}.pptx", named_layout_template())
    # The session and its user, the user's roles, the templates with their uploaders.
    with django_assert_num_queries(4):
        page = client.get(reverse("reporting:slide_templates"))
    assert page.content.decode().count("data-template=") == 3


# --- The meeting pack ----------------------------------------------------------------------------


def test_the_meeting_pack_slides_show_the_agenda_and_a_slide_per_project(meeting):  # noqa: F811
    report, _created = report_request(kind=Report.Kind.PACK, meeting=meeting, language="fr", queue=False)
    report = report_build(report.pk)
    assert report.state == Report.State.DONE, report.error
    deck = deck_of(report)

    found = titles(deck)
    assert meeting.committee.name in found[0]
    assert "Salle Anfa" in texts(deck.slides[0])
    agenda = next(shape.table for shape in deck.slides[1].shapes if shape.has_table)
    items = list(meeting.items.all())
    assert len(agenda.rows) == 1 + len(items) + 1  # the header, each item, the total
    assert [title.split(" ")[0] for title in found[2:]] == ["PRJ-0101", "PRJ-0102"]
    project = texts(deck.slides[2])
    assert "Risque fournisseur PRJ-0101" in project and "Lot 1 livré pour PRJ-0101" in project
    headings = [
        re.search(r"Principaux risques \((\d+) ouvert(s?)\)", texts(slide)) for slide in list(deck.slides)[2:]
    ]
    assert headings and all(h[2] == ("s" if int(h[1]) > 1 else "") for h in headings)  # 1 ouvert, 2 ouverts


# --- Downloads -----------------------------------------------------------------------------------


def test_the_slides_download_beside_the_pdf(client, world, portfolio):
    report = monthly_report("en")
    client.force_login(world.executive)

    response = client.get(reverse("reporting:report_slides", args=[report.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )
    assert report.filename().removesuffix(".pdf") + ".pptx" in response["Content-Disposition"]
    assert Presentation(BytesIO(b"".join(response.streaming_content))).slides
    page = client.get(report.get_absolute_url()).content.decode()
    assert report.slides_url() in page and report.download_url() in page
    archive = client.get(reverse("reporting:reports")).content.decode()
    assert report.slides_url() in archive


def test_a_report_without_slides_answers_404(client, world):
    last_week = Period.containing(Frequency.WEEKLY, timezone.localdate()).previous()
    weekly, _created = report_request(kind=Report.Kind.WEEKLY, language="en", period=last_week, queue=False)
    weekly = report_build(weekly.pk)
    assert weekly.state == Report.State.DONE and not weekly.slides
    client.force_login(world.pmo)

    assert client.get(reverse("reporting:report_slides", args=[weekly.pk])).status_code == 404
    assert weekly.slides_url() not in client.get(weekly.get_absolute_url()).content.decode()
