"""Reports print what users typed as text, and fetch nothing but the app's own static files.

Markup and URLs are planted in every free-text field a report may print (project names and descriptions,
status report texts, milestone names, risk titles, decisions, actions, meetings, agenda items, minutes,
the directorate's name); a small HTTP server on 127.0.0.1 counts the requests it gets. Every report kind
is generated: the server must get none, WeasyPrint's fetcher must be asked for nothing but static files,
and whatever planted text a report prints must come out whole, as text, in `pdftotext`.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from governance import services as governance
from governance.models import AgendaItem
from portfolio.models import Milestone, Rag
from reporting.models import Report
from reporting.pdf import BASE_URL
from reporting.pdf.fetcher import RefusedURL, StaticOnlyFetcher
from reporting.periods import Period
from reporting.reports import report_build, report_request
from tests.factories import CommitteeFactory, ProjectFactory, StatusReportFactory, make_risk, planned_meeting

pytestmark = pytest.mark.django_db


class Trap(ThreadingHTTPServer):
    requests: list[str]


class _Counting(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # http.server's name for it
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def trap() -> Iterator[Trap]:
    server = Trap(("127.0.0.1", 0), _Counting)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def planted(label: str, port: int) -> str:
    """What a hostile (or careless) user types into a field: markup that would fetch, and a file URL."""
    return (
        f'{label} <img src="http://127.0.0.1:{port}/{label}.png"> '
        f'<link rel=stylesheet href="http://127.0.0.1:{port}/{label}.css"> '
        f'<iframe src="file:///etc/passwd"></iframe> file:///etc/passwd'
    )


@pytest.fixture
def hostile(world, trap, settings, tmp_path):
    """Planted text in every free-text field of a project, its status, risks and governance."""
    settings.REPORT_CHARTS = False
    settings.MEDIA_ROOT = tmp_path / "media"
    port = trap.server_address[1]
    texts: dict[str, str] = {}

    def plant(label: str) -> str:
        texts[label] = planted(label, port)
        return texts[label]

    today = timezone.localdate()
    directorate = world.it
    directorate.name = plant("DIRECTORATE")
    directorate.save()
    project = ProjectFactory(
        directorate=directorate,
        code="DSI-666",
        name=plant("PROJECTNAME"),
        description=plant("PROJECTDESCRIPTION"),
        project_manager=world.pm,
    )
    StatusReportFactory(
        project=project,
        rag=Rag.RED,
        cost_rag=Rag.AMBER,
        summary=plant("SUMMARY"),
        achievements=plant("ACHIEVEMENTS"),
        next_steps=plant("NEXTSTEPS"),
        help_needed=plant("HELPNEEDED"),
    )
    Milestone.objects.create(
        project=project,
        name=plant("MILESTONE"),
        baseline_date=today + timedelta(days=10),
        forecast_date=today + timedelta(days=20),
    )
    make_risk(project=project, probability=5, impact=5, title=plant("RISKTITLE"), by=world.pm)

    committee = CommitteeFactory(name=plant("COMMITTEE"), members=[world.pmo, world.executive])
    # Before the committee: a planned meeting whose agenda is about the planted project (the pack).
    coming = planned_meeting(
        committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=3), title=plant("PACK")
    )
    governance.agenda_add(
        meeting=coming, title=plant("AGENDAITEM"), kind=AgendaItem.Kind.PROJECT_REVIEW, project=project
    )
    # After it: a closed meeting with its decisions, actions and notes (the minutes).
    held = planned_meeting(
        committee=committee,
        by=world.pmo,
        starts_at=timezone.now() - timedelta(hours=2),
        title=plant("MINUTES"),
    )
    item = governance.agenda_add(
        meeting=held, title=plant("HELDITEM"), kind=AgendaItem.Kind.PROJECT_REVIEW, project=project
    )
    governance.meeting_start(meeting=held, by=world.pmo)
    governance.agenda_item_minutes(item=item, minutes=plant("ITEMMINUTES"))
    decision = governance.decision_record(
        committee=committee,
        meeting=held,
        agenda_item=item,
        title=plant("DECISIONTITLE"),
        description=plant("DECISIONTEXT"),
        by=world.pmo,
    )
    governance.action_create(
        title=plant("ACTIONTITLE"),
        owner=world.pm,
        due_date=today - timedelta(days=1),
        by=world.pmo,
        decision=decision,
    )
    held.notes = plant("MEETINGNOTES")
    held.save(update_fields=["notes"])
    governance.meeting_close(meeting=held, by=world.pmo)
    return SimpleNamespace(texts=texts, directorate=directorate, coming=coming, held=held)


def squeezed(text: str) -> str:
    """Text without whitespace: a table cell may wrap a long value over several lines."""
    return re.sub(r"\s+", "", text)


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as pdf:
        completed = subprocess.run(["pdftotext", "-", "-"], input=pdf.read(), capture_output=True, check=True)
    return completed.stdout.decode()


def this(kind: str) -> Period:
    return Period.containing(Report.PERIODIC[kind], timezone.localdate())


def reports_of_every_kind(hostile) -> dict[str, dict]:
    return {
        # Scoped to the planted directorate, so that its name is in the header.
        "weekly": {"period": this("weekly"), "directorate": hostile.directorate},
        "monthly": {"period": this("monthly")},
        "quarterly": {"period": this("quarterly")},
        "pack": {"meeting": hostile.coming},
        "minutes": {"meeting": hostile.held},
    }


@pytest.mark.parametrize("kind", ["weekly", "monthly", "quarterly", "pack", "minutes"])
def test_no_report_kind_fetches_anything_and_planted_text_prints_as_text(hostile, trap, kind):
    asked: list[str] = []
    fetch = StaticOnlyFetcher.fetch

    def watched(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    report, _created = report_request(
        kind=kind, language="en", queue=False, **reports_of_every_kind(hostile)[kind]
    )
    with mock.patch.object(StaticOnlyFetcher, "fetch", watched):
        built = report_build(report.pk)

    assert built.state == Report.State.DONE, built.error
    assert trap.requests == []
    static = f"{BASE_URL}static/"
    assert asked and all(url.startswith(static) for url in asked), asked  # the stylesheet, nothing else

    text = squeezed(pdf_text(built))
    printed = [label for label in hostile.texts if label in text]
    # Each planted field the report prints comes out as characters, not markup: its tag is there as
    # text (a table cell may shorten a long value, so its first characters are what is compared).
    for label in printed:
        assert squeezed(hostile.texts[label])[: len(label) + 8] in text, label
    # Every kind prints the fields it is about: a kind that stopped printing one would prove nothing.
    must_print = {
        "weekly": {"DIRECTORATE"},
        "monthly": {"PROJECTNAME", "MILESTONE", "RISKTITLE"},
        "quarterly": {"PROJECTNAME"},
        "pack": {"PACK", "AGENDAITEM", "ACHIEVEMENTS", "NEXTSTEPS", "HELPNEEDED", "RISKTITLE"},
        "minutes": {"MINUTES", "HELDITEM", "ITEMMINUTES", "DECISIONTITLE", "ACTIONTITLE", "MEETINGNOTES"},
    }[kind]
    assert must_print <= set(printed), printed


def test_a_chart_whose_labels_carry_planted_markup_fetches_nothing(trap, settings):
    """Names users typed reach the charts' labels, and Plotly's labels understand a little HTML (<b>,
    <a href>, <span style>): the SVG kaleido exports is printed as it is, so the fetcher is the wall.
    A paint server and a link planted in a label fetch nothing when the report is laid out."""
    from reporting.pdf import charts as pdf_charts
    from reporting.pdf.render import render_html

    settings.REPORT_CHARTS = True
    port = trap.server_address[1]
    label = (
        f'<span style="fill:url(http://127.0.0.1:{port}/paint)">PAINT</span>'
        f' <a href="http://127.0.0.1:{port}/link">LINK</a>'
    )
    figure = {"data": [{"type": "bar", "orientation": "h", "y": [label], "x": [3]}], "layout": {}}
    try:
        image = pdf_charts.svg(figure, width=500, height=300)
    finally:
        pdf_charts.stop()  # the next tests run without charts
    assert image and "PAINT" in image  # exported, with the planted label: the case this test is about
    asked: list[str] = []
    fetch = StaticOnlyFetcher.fetch

    def watched(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    with mock.patch.object(StaticOnlyFetcher, "fetch", watched):
        rendered = render_html(f"<html><body><div class=chart>{image}</div></body></html>")

    assert rendered.pages == 1
    assert trap.requests == []
    assert all(url.startswith(BASE_URL) for url in asked), asked


# --- The fetcher on its own -----------------------------------------------------------------------------


def test_the_fetcher_serves_the_reports_stylesheet():
    fetcher = StaticOnlyFetcher()

    response = fetcher.fetch(f"{BASE_URL}static/css/report.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/css/report.css",  # the network, even the app's own server
        "http://report.invalid/static/css/report.css",  # the right host, the wrong scheme
        "https://other-host.example/static/css/report.css",
        "https://report.invalid:8443/static/css/report.css",
        "file:///etc/passwd",
        "file:///work/static/css/report.css",
        "data:text/css;base64,Ym9keSB7IGNvbG9yOiByZWQgfQ==",
        f"{BASE_URL}static/..%2F..%2Fpmo/settings.py",
        f"{BASE_URL}static/css/../../pmo/settings.py",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/css/not-there.css",
        f"{BASE_URL}media/reports/someone-elses.pdf",
        f"{BASE_URL}static/",
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    fetcher = StaticOnlyFetcher()

    with pytest.raises(RefusedURL):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_the_trap_sees_unescaped_markup_unless_the_fetcher_stands_in_the_way(trap):
    """The control: if planted markup ever reached WeasyPrint unescaped, WeasyPrint's own fetcher would
    call the trap; the report's fetcher turns each URL down instead."""
    from weasyprint import HTML

    from reporting.pdf.render import render_html

    markup = f"<p>{planted('RAW', trap.server_address[1])}</p>"

    HTML(string=markup).write_pdf()
    assert trap.requests  # the trap is live: the test above would see a fetch
    trap.requests.clear()

    rendered = render_html(markup)
    assert trap.requests == []
    assert {url for url in rendered.refused if url.startswith("http://127.0.0.1")}
