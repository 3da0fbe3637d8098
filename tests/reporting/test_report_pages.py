"""The reports' pages: the Reports page and its archive, a report's page and its polled state, the
download, the PMO's Generate form, Retry and Regenerate, meeting packs and minutes, the menu."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Meeting
from reporting import reports as services
from reporting.models import Report, ReportSubscription
from reporting.periods import Frequency, Period
from reporting.report_forms import period_value
from tests.factories import (
    CommitteeFactory,
    DirectorateFactory,
    PortfolioFactory,
    ProjectFactory,
    planned_meeting,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = Period.containing(Frequency.MONTHLY, TODAY).previous()
PDF = b"%PDF-1.7\n% a stand-in for a built report\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_and_fast_reports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False
    settings.SITE_URL = "https://pmo.example.test"


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Reports asked for are not built: the ids sent to the workers are recorded instead."""
    sent: list[int] = []

    def enqueue(report: Report) -> None:
        sent.append(report.pk)
        Report.objects.filter(pk=report.pk).update(sent=True)  # as a broker that answered

    monkeypatch.setattr(services, "enqueue", enqueue)
    return sent


def built(
    kind: str = Report.Kind.MONTHLY, *, period: Period | None = None, language: str = "en", **fields
) -> Report:
    """A finished report with a stand-in PDF in the storage (rendering is the core's tests' business)."""
    if kind in Report.PERIODIC and "meeting" not in fields:
        period = period or Period.containing(Report.PERIODIC[kind], TODAY).previous()
        fields["period"] = period.start
    report = Report.objects.create(kind=kind, language=language, **fields)
    report.file.save(report.filename(), ContentFile(PDF), save=False)
    report.state, report.pages, report.size = Report.State.DONE, 3, len(PDF)
    report.finished_at = timezone.now()
    report.save()
    return report


def sign_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who may open what -------------------------------------------------------------------------------

ANONYMOUS = None
# (URL name, method, {role: expected status}); a role left out gets what "other" says.
MATRIX = [
    ("reporting:reports", "get", {"executive": 200, "pmo": 200, "admin": 200, "pm": 403, "member": 403}),
    (
        "reporting:report_generate",
        "get",
        {"executive": 403, "pmo": 200, "admin": 200, "pm": 403, "member": 403},
    ),
    (
        "reporting:report_detail",
        "get",
        {"executive": 200, "pmo": 200, "admin": 200, "pm": 404, "member": 404},
    ),
    ("reporting:report_state", "get", {"executive": 200, "pmo": 200, "admin": 200, "pm": 404, "member": 404}),
    (
        "reporting:report_download",
        "get",
        {"executive": 200, "pmo": 200, "admin": 200, "pm": 404, "member": 404},
    ),
    (
        "reporting:report_regenerate",
        "post",
        {"executive": 403, "pmo": 302, "admin": 302, "pm": 404, "member": 404},
    ),
    (
        "reporting:report_retry",
        "post",
        {"executive": 403, "pmo": 302, "admin": 302, "pm": 404, "member": 404},
    ),
]
CASES = [
    (name, method, role, status)
    for name, method, expected in MATRIX
    for role, status in [("anonymous", 302), *expected.items()]
]


@pytest.mark.parametrize(("name", "method", "role", "status"), CASES)
def test_each_role_gets_what_it_may(client, world, queued, name, method, role, status):
    report = built()
    args = [] if name in ("reporting:reports", "reporting:report_generate") else [report.pk]
    if role != "anonymous":
        client.force_login(getattr(world, role))
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_no_state_changes_on_get(client, world, queued):
    failed = built()
    Report.objects.filter(pk=failed.pk).update(state=Report.State.FAILED, error="Boom")
    sign_in(client, world.pmo)
    for name in ("reporting:report_retry", "reporting:report_regenerate"):
        assert client.get(reverse(name, args=[failed.pk])).status_code == 405
    assert client.get(reverse("reporting:report_meeting", args=[1])).status_code == 405
    assert Report.objects.get().state == Report.State.FAILED
    assert queued == []


# --- The Reports page ---------------------------------------------------------------------------------


def test_an_executive_sees_the_latest_of_each_kind_in_their_language_and_downloads_it(client, world):
    older = built(Report.Kind.MONTHLY, period=LAST_MONTH.previous(), language="en")
    french = built(Report.Kind.MONTHLY, language="fr")
    english = built(Report.Kind.MONTHLY, language="en")
    directorate = built(Report.Kind.WEEKLY, directorate=world.it)  # a part only: still the latest weekly
    sign_in(client, world.executive)

    response = client.get(reverse("reporting:reports"))

    latest = {item["kind"]: item["report"] for item in response.context["latest"]}
    assert latest == {"weekly": directorate, "monthly": english, "quarterly": None}
    content = response.content.decode()
    assert english.download_url() in content
    assert "None has been built yet." in content  # the quarterly card
    assert {row.pk for row in response.context["page"].object_list} == {
        older.pk,
        french.pk,
        english.pk,
        directorate.pk,
    }

    download = client.get(english.download_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{english.filename()}"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_report_not_built_yet_cannot_be_downloaded(client, world, queued):
    report, _created = services.report_request(kind="monthly", period=LAST_MONTH, language="en")
    sign_in(client, world.executive)
    assert client.get(report.download_url()).status_code == 404


def test_the_empty_archive_says_how_reports_come(client, world):
    sign_in(client, world.pmo)
    content = client.get(reverse("reporting:reports")).content.decode()
    assert "No report has been built yet." in content
    assert reverse("reporting:report_generate") in content


def test_the_archive_filters_by_kind_scope_period_and_language(client, world):
    portfolio = PortfolioFactory(directorate=world.it)
    weekly = built(Report.Kind.WEEKLY, language="fr")
    monthly_it = built(Report.Kind.MONTHLY, directorate=world.it)
    monthly_pf = built(Report.Kind.MONTHLY, portfolio=portfolio)
    old_quarter = Period.containing(Frequency.QUARTERLY, TODAY).previous().previous()
    quarterly = built(Report.Kind.QUARTERLY, period=old_quarter)
    sign_in(client, world.executive)

    def listed(**params) -> set[int]:
        response = client.get(reverse("reporting:reports"), params)
        return {report.pk for report in response.context["page"].object_list}

    assert listed() == {weekly.pk, monthly_it.pk, monthly_pf.pk, quarterly.pk}
    assert listed(kind="monthly") == {monthly_it.pk, monthly_pf.pk}
    assert listed(directorate=world.it.pk) == {monthly_it.pk}
    assert listed(portfolio=portfolio.pk) == {monthly_pf.pk}
    assert listed(language="fr") == {weekly.pk}
    assert listed(end=(old_quarter.end).isoformat()) == {quarterly.pk}
    assert listed(start=old_quarter.next().start.isoformat()) == {weekly.pk, monthly_it.pk, monthly_pf.pk}
    response = client.get(reverse("reporting:reports"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert "The period window ends before it starts." in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_the_archive_sorts_by_period(client, world):
    periods = LAST_MONTH.last(3)
    for period in (periods[1], periods[2], periods[0]):
        built(Report.Kind.MONTHLY, period=period)
    sign_in(client, world.executive)
    response = client.get(reverse("reporting:reports"), {"sort": "-period"})
    assert [report.period for report in response.context["page"].object_list] == [
        p.start for p in periods[::-1]
    ]


def archive_queries(client, count: int) -> int:
    """The queries of the Reports page once there are `count` reports, each of another month, every
    other one a directorate's."""
    existing = Report.objects.count()
    periods = LAST_MONTH.last(count)[::-1]
    for index, period in enumerate(periods[existing:], start=existing):
        built(Report.Kind.MONTHLY, period=period, directorate=DirectorateFactory() if index % 2 else None)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reporting:reports")).status_code == 200
    return len(queries)


def test_the_archive_page_reads_a_fixed_number_of_queries(client, world):
    sign_in(client, world.executive)
    # Session, user, their groups; subscriptions; the latest weekly, monthly and quarterly; the archive's
    # count and page; the directorates and portfolios of the filters.
    assert archive_queries(client, 3) == archive_queries(client, 30) == 11


# --- The Generate form --------------------------------------------------------------------------------


def test_the_form_proposes_the_last_ended_period_of_the_kind_in_the_readers_language(client, world):
    sign_in(client, world.pmo)
    form = client.get(reverse("reporting:report_generate"), {"kind": "weekly"}).context["form"]
    last_week = Period.containing(Frequency.WEEKLY, TODAY).previous()
    assert form["period"].value() == period_value(last_week)
    assert form["language"].value() == "en"
    assert period_value(last_week) in dict(form.fields["period"].widget.choices)
    monthly = client.get(reverse("reporting:report_generate")).context["form"]
    assert monthly["period"].value() == period_value(LAST_MONTH)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"period": "2999-01"}, "period", "has not started yet: a report cannot cover the future."),
        ({"period": "next month"}, "period", "is not a period of this report"),
        ({"kind": "quarterly", "period": "2026-W03"}, "period", "is not a period of this report"),
        ({"kind": "pack"}, "kind", "Select a valid choice."),
    ],
)
def test_the_form_refuses_what_cannot_be_reported(client, world, queued, fields, field, message):
    sign_in(client, world.pmo)
    data = {"kind": "monthly", "period": period_value(LAST_MONTH), "language": "en", **fields}
    response = client.post(reverse("reporting:report_generate"), data)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Report.objects.exists()


def test_a_directorate_and_a_portfolio_together_are_refused(client, world, queued):
    sign_in(client, world.pmo)
    data = {
        "kind": "monthly",
        "period": period_value(LAST_MONTH),
        "language": "en",
        "directorate": world.it.pk,
        "portfolio": PortfolioFactory(directorate=world.it).pk,
    }
    response = client.post(reverse("reporting:report_generate"), data)
    assert "Choose a directorate or a portfolio, not both" in response.content.decode()
    assert not Report.objects.exists()


def generate(client, **fields):
    data = {"kind": "monthly", "period": period_value(LAST_MONTH), "language": "en", **fields}
    return client.post(reverse("reporting:report_generate"), data)


def test_the_pmo_generates_a_report_that_is_built_and_downloadable(
    client, world, django_capture_on_commit_callbacks
):
    ProjectFactory.create_batch(2, directorate=world.it)
    ReportSubscription.objects.create(user=world.executive, kind="monthly", language="en")
    sign_in(client, world.pmo)

    with django_capture_on_commit_callbacks(execute=True):
        response = generate(client, directorate="")

    report = Report.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert (report.kind, report.period, report.language, report.requested_by) == (
        "monthly",
        LAST_MONTH.start,
        "en",
        world.pmo,
    )
    assert report.state == Report.State.DONE, report.error
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Ready" in page and report.download_url() in page and 'hx-trigger="every 2s"' not in page
    assert b"".join(client.get(report.download_url()).streaming_content).startswith(b"%PDF")
    # The executive who asked for the monthly report by email gets a link, not the file.
    assert [message.to for message in mail.outbox] == [[world.executive.email]]
    assert f"https://pmo.example.test{report.download_url()}" in mail.outbox[0].body
    assert mail.outbox[0].attachments == []


def test_asking_twice_shows_the_same_report(client, world, queued):
    sign_in(client, world.pmo)
    first = generate(client)
    second = generate(client)
    report = Report.objects.get()
    assert first["Location"] == second["Location"] == report.get_absolute_url()
    assert queued == [report.pk]
    assert "This report already exists: here it is." in " ".join(messages_of(second))


def test_the_new_version_box_builds_version_2(client, world, queued):
    sign_in(client, world.pmo)
    generate(client)
    response = generate(client, new_version="on")
    versions = list(Report.objects.order_by("version").values_list("version", flat=True))
    assert versions == [1, 2]
    second = Report.objects.get(version=2)
    assert response["Location"] == second.get_absolute_url()
    assert queued == [Report.objects.get(version=1).pk, second.pk]


# --- A report's page: state, Retry, Regenerate ---------------------------------------------------------


def test_the_state_is_polled_until_the_report_is_finished(client, world, queued):
    report, _created = services.report_request(
        kind="weekly", period=Period.containing("weekly", TODAY), language="en"
    )
    sign_in(client, world.executive)
    state_url = reverse("reporting:report_state", args=[report.pk])

    waiting = client.get(state_url).content.decode()
    assert "Waiting" in waiting and 'hx-trigger="every 2s"' in waiting and f'hx-get="{state_url}"' in waiting
    Report.objects.filter(pk=report.pk).update(state=Report.State.RUNNING, started_at=timezone.now())
    assert "Being built" in client.get(state_url).content.decode()
    Report.objects.filter(pk=report.pk).update(
        state=Report.State.FAILED, error="The report could not be built: x"
    )
    failed = client.get(state_url).content.decode()
    assert "The report could not be built: x" in failed and "hx-trigger" not in failed
    assert "Retry" not in failed  # an executive reads the error; the PMO retries


def test_the_pmo_retries_a_failed_report(client, world, queued):
    report = built()
    Report.objects.filter(pk=report.pk).update(
        state=Report.State.FAILED, error="The report could not be built: disk full\n\nOSError: disk full"
    )
    sign_in(client, world.pmo)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "disk full" in page and reverse("reporting:report_retry", args=[report.pk]) in page

    response = client.post(reverse("reporting:report_retry", args=[report.pk]))

    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert (report.state, report.error) == (Report.State.QUEUED, "")
    assert queued == [report.pk]
    again = client.post(reverse("reporting:report_retry", args=[report.pk]))
    assert "This report has not failed" in " ".join(messages_of(again))


def test_regenerate_makes_version_2_and_lists_version_1(client, world, queued):
    first = built()
    sign_in(client, world.pmo)

    response = client.post(reverse("reporting:report_regenerate", args=[first.pk]))

    second = Report.objects.get(version=2)
    assert (second.key, second.requested_by) == (first.key, world.pmo)
    assert response["Location"] == second.get_absolute_url()
    page = client.get(second.get_absolute_url())
    assert list(page.context["versions"]) == [first]
    assert first.download_url() in page.content.decode()


# --- Meeting packs and minutes ----------------------------------------------------------------------


@pytest.fixture
def meeting(world):
    committee = CommitteeFactory(chair=world.pmo, secretary=world.pmo, members=[world.pm])
    return planned_meeting(committee=committee, by=world.pmo)


def test_a_committee_member_asks_for_the_pack_of_their_meeting(client, world, queued, meeting):
    sign_in(client, world.pm)

    response = client.post(reverse("reporting:report_meeting", args=[meeting.pk]), {"kind": "pack"})

    report = Report.objects.get()
    assert (report.kind, report.meeting, report.language, report.requested_by) == (
        "pack",
        meeting,
        "en",
        world.pm,
    )
    assert response["Location"] == report.get_absolute_url()
    assert client.get(report.get_absolute_url()).status_code == 200
    # Someone outside the committee learns nothing of it, nor of its reports.
    sign_in(client, world.member)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("reporting:report_meeting", args=[meeting.pk]), {"kind": "pack"}).status_code
        == 404
    )


def test_minutes_wait_for_the_meeting_to_close(client, world, queued, meeting):
    sign_in(client, world.pm)
    url = reverse("reporting:report_meeting", args=[meeting.pk])

    refused = client.post(url, {"kind": "minutes"})

    assert refused["Location"] == meeting.get_absolute_url()
    assert "once the meeting is closed" in " ".join(messages_of(refused))
    assert not Report.objects.exists()
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.CLOSED)
    client.post(url, {"kind": "minutes"})
    assert Report.objects.get().kind == "minutes"


def test_the_executive_reads_a_meeting_report_in_the_archive(client, world, meeting):
    pack = built(Report.Kind.PACK, meeting=meeting)
    sign_in(client, world.executive)
    response = client.get(reverse("reporting:reports"), {"kind": "pack"})
    assert list(response.context["page"].object_list) == [pack]
    assert str(meeting) in response.content.decode()


# --- The menu ---------------------------------------------------------------------------------------


def active_entries(client, url: str) -> list[str]:
    return [str(item["label"]) for item in client.get(url).context["menu"] if item["active"]]


def test_the_reports_entry_is_lit_on_the_report_pages_and_the_dashboard_on_its_own(client, world):
    report = built()
    sign_in(client, world.executive)
    assert active_entries(client, reverse("reporting:reports")) == ["Reports"]
    assert active_entries(client, report.get_absolute_url()) == ["Reports"]
    assert active_entries(client, reverse("reporting:dashboard")) == ["Dashboard"]
    assert active_entries(client, reverse("reporting:kpi_list")) == ["Dashboard"]
    sign_in(client, world.pm)
    labels = [str(item["label"]) for item in client.get(reverse("portfolio:project_list")).context["menu"]]
    assert "Reports" not in labels


@pytest.mark.parametrize("who", ["pmo", "admin"])
def test_the_pmo_and_the_administrator_reach_the_reports_from_the_dashboard_whose_entry_stays_lit(
    client, world, who
):
    # Their menus have no room left for one more entry at 1200 px in French.
    sign_in(client, getattr(world, who))
    dashboard = client.get(reverse("reporting:dashboard"))
    assert reverse("reporting:reports") in dashboard.content.decode()
    assert "Reports" not in [str(item["label"]) for item in dashboard.context["menu"]]
    assert active_entries(client, reverse("reporting:reports")) == ["Dashboard"]
