"""A committee meeting's pack (before it) and minutes (once closed) as PDF, and the buttons that ask for
them on the meeting's page."""

from __future__ import annotations

import http.server
import subprocess
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from governance import services
from governance.models import AgendaItem, Attendance
from portfolio.models import Milestone, Phase, StatusReport
from reporting.models import Report
from reporting.pdf.kinds import build
from reporting.reports import report_build, report_request
from risks.models import Escalation
from risks.selectors import top_risks
from risks.services import risk_escalate
from tests.factories import (
    CommitteeFactory,
    ProjectFactory,
    StatusReportFactory,
    UserFactory,
    make_risk,
    planned_meeting,
)

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "en"]


@pytest.fixture(autouse=True)
def _reports_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as pdf:
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf.read(), capture_output=True, check=True
        ).stdout.decode()


def built(meeting, kind: str, language: str) -> Report:
    report, _created = report_request(kind=kind, meeting=meeting, language=language, queue=False)
    report_build(report.pk)
    report.refresh_from_db()
    return report


def reporting_project(code: str, *, manager, weeks: int = 3):
    """A project with a weekly status for the last `weeks` weeks, a milestone ahead, an open risk and an
    open action."""
    project = ProjectFactory(code=code, name=f"Projet {code}", project_manager=manager)
    for weeks_ago in range(weeks - 1, -1, -1):
        StatusReportFactory(
            project=project,
            weeks_ago=weeks_ago,
            slipping=True,
            percent_complete=Decimal(40 + weeks_ago),
            achievements=f"Lot 1 livré pour {code}",
            help_needed="Arbitrage du comité sur le <b>périmètre</b>",
        )
    Milestone.objects.create(
        project=project,
        name=f"Recette {code}",
        baseline_date=timezone.localdate() + timedelta(days=10),
        forecast_date=timezone.localdate() + timedelta(days=30),
    )
    make_risk(project=project, title=f"Risque fournisseur {code}", probability=4, impact=4)
    services.action_create(
        title=f"Relancer le fournisseur {code}",
        owner=manager,
        due_date=timezone.localdate() + timedelta(days=5),
        by=manager,
        project=project,
    )
    return project


@pytest.fixture
def people(world):
    return {
        "chair": UserFactory(username="chair", first_name="Ayoub", last_name="Roux"),
        "secretary": UserFactory(username="secretary", first_name="Salma", last_name="Bennani"),
        "manager": UserFactory(username="manager", first_name="Nathalie", last_name="Lambert"),
        "owner": UserFactory(username="owner", first_name="Omar", last_name="Berrada"),
    }


@pytest.fixture
def committee(world, people):
    return CommitteeFactory(
        name="COPIL Transformation",
        chair=people["chair"],
        secretary=people["secretary"],
        members=[world.member, people["owner"]],
        quorum=1,
    )


@pytest.fixture
def meeting(world, committee, people):
    meeting = planned_meeting(
        committee=committee, by=world.pmo, title="COPIL de décembre", location="Salle Anfa"
    )
    for code in ("PRJ-0101", "PRJ-0102"):
        project = reporting_project(code, manager=people["manager"])
        services.agenda_add(
            meeting=meeting,
            title=f"Revue du projet {code}",
            kind=AgendaItem.Kind.PROJECT_REVIEW,
            project=project,
            presenter=people["manager"],
        )
    services.agenda_add(meeting=meeting, title="Questions <b>diverses</b>")
    return meeting


@pytest.fixture
def closed(world, meeting, people):
    """The meeting held: attendance taken, a decision and an action on the first item, a decision outside
    the agenda, notes, then closed."""
    services.meeting_start(meeting=meeting, by=world.pmo)
    statuses = iter([Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT])
    for attendance in meeting.attendances.all():
        services.attendance_set(attendance=attendance, status=next(statuses, Attendance.Status.PRESENT))
    item = meeting.items.get(project__code="PRJ-0101")
    decision = services.decision_record(
        committee=meeting.committee,
        meeting=meeting,
        agenda_item=item,
        title="Enveloppe complémentaire accordée",
        by=world.pmo,
        implementation_due=timezone.localdate() + timedelta(days=60),
    )
    services.action_create(
        title="Transmettre le chiffrage au contrôle de gestion",
        owner=people["owner"],
        due_date=timezone.localdate() + timedelta(days=14),
        by=world.pmo,
        meeting=meeting,
        agenda_item=item,
        decision=decision,
        project=item.project,
    )
    services.decision_record(
        committee=meeting.committee, meeting=meeting, title="Calendrier 2027 adopté", by=world.pmo
    )
    meeting.notes = "Séance ouverte à l'heure <b>pile</b>."
    meeting.save(update_fields=["notes"])
    services.meeting_close(meeting=meeting, by=world.pmo)
    meeting.refresh_from_db()
    return meeting


# --- The pack --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_pack_shows_the_agenda_and_a_page_per_project_on_it(meeting, language):
    report = built(meeting, Report.Kind.PACK, language)

    assert report.state == Report.State.DONE, report.error
    text = pdf_text(report)
    for item in meeting.items.select_related("project"):
        assert item.title in text
    projects = [item.project for item in meeting.items.exclude(project=None).select_related("project")]
    # The cover and agenda, then a page per project.
    assert report.pages >= 1 + len(projects)
    for project in projects:
        assert project.code in text
        assert f"Lot 1 livré pour {project.code}" in text
        assert f"Recette {project.code}" in text
        for risk in top_risks(project.risks.all()):
            assert risk.reference in text
        for action in project.actions.all():
            assert action.reference in text
    assert "Nathalie Lambert" in text  # the presenter, the actions' and risks' owner
    assert "Ayoub Roux" in text and "Salle Anfa" in text


def test_pack_agenda_gives_the_page_of_each_projects_summary(meeting):
    pages = pdf_text(built(meeting, Report.Kind.PACK, "en")).split("\f")

    for item in meeting.items.exclude(project=None).select_related("project"):
        heading = f"{item.project.code} — {item.project.name}"
        page = next(n for n, text in enumerate(pages, start=1) if heading in text)
        line = next(line for line in pages[0].splitlines() if item.title in line)
        assert line.split()[-1] == str(page) != "1"


def test_pack_is_in_the_report_language(meeting):
    english, french = (pdf_text(built(meeting, Report.Kind.PACK, lang)) for lang in ("en", "fr"))

    assert "Agenda" in english and "Top risks" in english
    assert "Ordre du jour" in french and "Agenda" not in french


def test_pack_prints_what_users_typed_as_text(meeting):
    text = pdf_text(built(meeting, Report.Kind.PACK, "en"))

    assert "Questions <b>diverses</b>" in text
    assert "<b>périmètre</b>" in text


def test_pack_puts_what_the_committee_must_decide_on_the_projects_page(meeting, committee, world):
    first = meeting.items.get(project__code="PRJ-0101").project
    first.phase = Phase.objects.order_by("order")[1]
    first.save(update_fields=["phase"])
    review = services.gate_review_request(project=first, committee=committee, by=world.pmo)
    services.agenda_add(
        meeting=meeting,
        title="Passage de phase",
        kind=AgendaItem.Kind.STAGE_GATE,
        project=first,
        gate_review=review,
    )
    second = meeting.items.get(project__code="PRJ-0102").project
    risk = second.risks.get()
    escalation = risk_escalate(
        risk=risk, committee=committee, reason="Choisir un fournisseur de secours", by=world.pmo
    )
    item = services.agenda_add(
        meeting=meeting,
        title=f"{risk.reference} {risk.title}",
        kind=AgendaItem.Kind.RISK_ESCALATION,
        project=second,
    )
    Escalation.objects.filter(pk=escalation.pk).update(agenda_item=item)

    text = pdf_text(built(meeting, Report.Kind.PACK, "en"))

    decide = text[text.index("For decision") :]
    with translation.override("en"):  # phases have an English name
        assert f"From {review.from_phase} to {review.to_phase}" in " ".join(decide.split())
    assert "Choisir un fournisseur de secours" in decide


def test_pack_costs_the_same_queries_for_two_or_six_projects_on_the_agenda(meeting, committee, people):
    def queries_for(meeting) -> int:
        report, _created = report_request(kind=Report.Kind.PACK, meeting=meeting, language="en", queue=False)
        report = Report.objects.select_related("meeting__committee").get(pk=report.pk)
        with CaptureQueriesContext(connection) as queries:
            build(report)
        return len(queries)

    larger = planned_meeting(committee=committee, starts_at=timezone.now() + timedelta(days=21))
    for n in range(6):
        project = reporting_project(f"PRJ-02{n:02d}", manager=people["manager"])
        services.agenda_add(
            meeting=larger, title=f"Revue {n}", kind=AgendaItem.Kind.PROJECT_REVIEW, project=project
        )

    assert queries_for(larger) == queries_for(meeting)


# --- The minutes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_minutes_show_attendance_decisions_and_actions_with_their_owners(closed, language):
    report = built(closed, Report.Kind.MINUTES, language)

    assert report.state == Report.State.DONE, report.error
    text = pdf_text(report)
    for item in closed.items.all():
        assert item.title in text
    for decision in closed.decisions.all():
        assert decision.reference in text and decision.title in text
    for action in closed.actions.select_related("owner"):
        assert action.reference in text and str(action.owner) in text
    for attendance in closed.attendances.select_related("user"):
        assert str(attendance.user) in text
    assert "<b>pile</b>" in text  # the general notes, as typed


def test_minutes_of_a_meeting_not_closed_fail_with_a_readable_error(meeting):
    report = built(meeting, Report.Kind.MINUTES, "en")

    assert report.state == Report.State.FAILED
    assert not report.file
    assert "once the meeting is closed" in report.error
    assert str(meeting) in report.error


# --- Asking for them from the meeting's page ---------------------------------------------------------------


def test_closed_meeting_page_offers_the_minutes(client, world, closed):
    client.force_login(world.member)
    url = reverse("reporting:report_meeting", args=[closed.pk])
    page = client.get(reverse("governance:meeting_detail", args=[closed.pk])).content.decode()
    assert url in page and "Minutes (PDF)" in page and "Meeting pack (PDF)" not in page


def test_planned_meeting_page_offers_the_pack(client, world, meeting):
    client.force_login(world.member)
    page = client.get(reverse("governance:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("reporting:report_meeting", args=[meeting.pk]) in page
    assert "Meeting pack (PDF)" in page and "Minutes (PDF)" not in page


def test_a_member_asks_for_the_pack_in_their_language(client, world, meeting):
    client.force_login(world.member)
    response = client.post(
        reverse("reporting:report_meeting", args=[meeting.pk]), {"kind": "pack"}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    report = Report.objects.get(meeting=meeting)
    assert (report.kind, report.language, report.requested_by) == (Report.Kind.PACK, "fr", world.member)
    assert response.status_code == 302 and response.url == report.get_absolute_url()


def test_minutes_are_refused_before_the_meeting_is_closed(client, world, meeting):
    client.force_login(world.pmo)
    response = client.post(reverse("reporting:report_meeting", args=[meeting.pk]), {"kind": "minutes"})

    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert not Report.objects.filter(meeting=meeting).exists()
    page = client.get(response.url).content.decode()
    assert "once the meeting is closed" in page


def test_minutes_of_a_closed_meeting_are_asked_for_once(client, world, closed):
    client.force_login(world.pmo)
    url = reverse("reporting:report_meeting", args=[closed.pk])
    client.post(url, {"kind": "minutes"})
    client.post(url, {"kind": "minutes"})

    assert Report.objects.filter(meeting=closed, kind=Report.Kind.MINUTES).count() == 1


def test_someone_outside_the_committee_cannot_ask_for_its_pack(client, world, meeting):
    client.force_login(world.other_pm)
    response = client.post(reverse("reporting:report_meeting", args=[meeting.pk]), {"kind": "pack"})

    assert response.status_code == 404
    assert not Report.objects.exists()


# --- Safe rendering ----------------------------------------------------------------------------------------


@pytest.fixture
def listener():
    """A local web server that records every request it gets: a report must send it none."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


@pytest.mark.parametrize("kind", Report.FOR_MEETING)
def test_markup_typed_into_a_meeting_fetches_nothing(closed, listener, kind):
    port, hits = listener
    planted = f'<img src="http://127.0.0.1:{port}/x"> <img src="file:///etc/passwd">'
    closed.notes = planted
    closed.save(update_fields=["notes"])
    closed.items.update(minutes=planted)
    closed.decisions.update(description=planted)
    StatusReport.objects.update(achievements=planted, help_needed=planted)
    report, _created = report_request(kind=kind, meeting=closed, language="en", queue=False)

    rendered = build(Report.objects.select_related("meeting__committee").get(pk=report.pk))

    assert hits == [] and rendered.refused == []
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=rendered.pdf, capture_output=True, check=True
    ).stdout.decode()
    # Shown as the text it is (narrow boxes wrap it: compare without the line breaks).
    assert f'<imgsrc="http://127.0.0.1:{port}/x">' in "".join(text.split())
