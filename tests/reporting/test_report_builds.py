"""Asking for, building, retrying and scheduling reports: what the Report row says after each step, as the
pages show it to users. The task bodies run here in the test process (the broker is another test's)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from reporting.models import Report
from reporting.pdf import kinds
from reporting.periods import Period
from reporting.reports import report_build, report_regenerate, report_request, report_retry
from reporting.tasks import build_report, scheduled_report
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reports_without_charts(settings, tmp_path):
    # Chart export (a Chromium per process) is the chart tests' business; these are about the row.
    settings.REPORT_CHARTS = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def last_week():
    return Period.containing(Report.PERIODIC[Report.Kind.WEEKLY], timezone.localdate()).previous()


@pytest.fixture
def weekly(world, last_week) -> Report:
    ProjectFactory(directorate=world.it, code="DSI-001", name="Refonte du portail")
    report, _created = report_request(
        kind=Report.Kind.WEEKLY, language="en", by=world.pmo, period=last_week, queue=False
    )
    return report


def test_asking_twice_for_the_same_report_gives_one_row(world, last_week):
    first, created = report_request(kind="weekly", language="en", by=world.pmo, period=last_week, queue=False)
    again, created_again = report_request(
        kind="weekly", language="en", by=world.executive, period=last_week, queue=False
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Report.objects.count() == 1
    # Another language is another report.
    french, created_french = report_request(kind="weekly", language="fr", period=last_week, queue=False)
    assert created_french and french.pk != first.pk


def test_regenerating_makes_version_2_and_keeps_the_first(weekly, world):
    first = report_build(weekly.pk)
    first_name = first.file.name

    second = report_regenerate(first, by=world.pmo, queue=False)
    built = report_build(second.pk)

    assert (built.version, built.state) == (2, Report.State.DONE)
    assert built.file.name != first_name
    first.refresh_from_db()
    assert (first.version, first.state, first.file.name) == (1, Report.State.DONE, first_name)
    assert first.file.storage.exists(first_name)
    # Asking again now gives the latest version.
    latest, _created = report_request(kind="weekly", language="en", period=weekly.as_period, queue=False)
    assert latest.pk == second.pk


def _template_missing(report):
    def deep_inside():
        raise ValueError("the template reporting/pdf/nowhere.html does not exist")

    deep_inside()


def test_a_build_that_fails_records_a_readable_error_without_the_traceback(weekly):
    with mock.patch.object(kinds, "build", side_effect=_template_missing):
        report = report_build(weekly.pk)

    assert report.state == Report.State.FAILED
    assert report.finished_at is not None
    lines = report.error.splitlines()
    assert lines[0] == "The report could not be built: the template reporting/pdf/nowhere.html does not exist"
    assert lines[-1] == "ValueError: the template reporting/pdf/nowhere.html does not exist"
    assert "Traceback" not in report.error
    assert "File " not in report.error and "deep_inside" not in report.error
    assert not report.file


def test_a_transient_database_error_is_retried_and_the_report_is_built(weekly):
    real_build = kinds.build
    calls = []

    def locked_once(report):
        calls.append(report.pk)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_build(report)

    with mock.patch.object(kinds, "build", side_effect=locked_once):
        build_report.apply(args=(weekly.pk,))

    weekly.refresh_from_db()
    assert len(calls) == 2
    assert (weekly.state, weekly.attempts, weekly.error) == (Report.State.DONE, 2, "")
    assert weekly.file.open("rb").read(4) == b"%PDF"


def test_a_transient_error_that_never_clears_fails_the_report_readably(weekly):
    with mock.patch.object(kinds, "build", side_effect=OperationalError("could not connect to server")):
        build_report.apply(args=(weekly.pk,))

    weekly.refresh_from_db()
    assert weekly.state == Report.State.FAILED
    assert weekly.error.startswith("The report could not be built: could not connect to server")
    # Every try was a delivery of its own: the first plus the task's retries, none mistaken for a kill.
    assert weekly.attempts == build_report.max_retries + 1
    assert "interrupted" not in weekly.error


def test_a_second_delivery_of_a_finished_report_does_nothing(weekly):
    done = report_build(weekly.pk)
    name, content = done.file.name, done.file.open("rb").read()
    done.file.close()

    with mock.patch.object(kinds, "build", wraps=kinds.build) as build:
        assert report_build(weekly.pk) is None
        build_report.apply(args=(weekly.pk,))

    build.assert_not_called()
    weekly.refresh_from_db()
    assert (weekly.state, weekly.attempts, weekly.file.name) == (Report.State.DONE, 1, name)
    assert weekly.file.open("rb").read() == content
    assert Report.objects.count() == 1


def test_a_failed_report_is_built_again_by_retry(weekly, django_capture_on_commit_callbacks):
    with mock.patch.object(kinds, "build", side_effect=_template_missing):
        report_build(weekly.pk)
    weekly.refresh_from_db()

    with mock.patch.object(build_report, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        assert report_retry(weekly) is True
    delay.assert_called_once_with(weekly.pk)
    weekly.refresh_from_db()
    assert (weekly.state, weekly.error, weekly.attempts) == (Report.State.QUEUED, "", 0)

    built = report_build(weekly.pk)
    assert built.state == Report.State.DONE
    # A report that has not failed has nothing to retry.
    assert report_retry(built) is False


def test_a_report_whose_builds_keep_being_cut_off_fails_as_interrupted(weekly):
    # The last delivery claimed it (running) and never finished: a worker killed each time.
    Report.objects.filter(pk=weekly.pk).update(
        state=Report.State.RUNNING, attempts=settings.REPORT_MAX_ATTEMPTS
    )

    with mock.patch.object(kinds, "build", wraps=kinds.build) as build:
        assert report_build(weekly.pk) is None

    build.assert_not_called()
    weekly.refresh_from_db()
    assert weekly.state == Report.State.FAILED
    assert (
        f"The build was interrupted {settings.REPORT_MAX_ATTEMPTS} times (was a worker stopped?)."
        in weekly.error
    )


def test_a_report_is_sent_to_the_workers_only_once_its_row_is_committed(
    world, last_week, django_capture_on_commit_callbacks
):
    with mock.patch.object(build_report, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            report, created = report_request(kind="monthly", language="fr", by=world.pmo, period=last_week)
            assert created
            delay.assert_not_called()  # the worker could not see the row yet
        assert len(callbacks) == 1
        callbacks[0]()
        delay.assert_called_once_with(report.pk)

        # Asking again enqueues nothing: the report exists.
        with django_capture_on_commit_callbacks(execute=True) as again:
            report_request(kind="monthly", language="fr", period=last_week)
        assert again == []
        assert delay.call_count == 1


def test_the_scheduled_report_asks_for_one_report_per_language_once(
    world, django_capture_on_commit_callbacks
):
    last_month = Period.containing(Report.PERIODIC[Report.Kind.MONTHLY], timezone.localdate()).previous()
    with mock.patch.object(build_report, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            ids = scheduled_report("monthly")
        with django_capture_on_commit_callbacks(execute=True):
            again = scheduled_report("monthly")

    reports = Report.objects.filter(pk__in=ids)
    languages = sorted(code for code, _name in settings.LANGUAGES)
    assert sorted(reports.values_list("language", flat=True)) == languages
    assert {(r.kind, r.period, r.directorate_id, r.portfolio_id) for r in reports} == {
        ("monthly", last_month.start, None, None)
    }
    assert sorted(again) == sorted(ids)
    assert Report.objects.count() == len(settings.LANGUAGES)
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(ids)


def test_the_report_schedules_are_in_the_database_for_the_pmo_to_edit():
    schedules = {
        json.loads(task.kwargs)["kind"]: task.crontab
        for task in PeriodicTask.objects.filter(task="reporting.scheduled_report").select_related("crontab")
    }

    assert set(schedules) == {"weekly", "monthly", "quarterly"}
    as_fields = {
        kind: (c.minute, c.hour, c.day_of_week, c.day_of_month, c.month_of_year, str(c.timezone))
        for kind, c in schedules.items()
    }
    assert as_fields == {
        "weekly": ("0", "7", "1", "*", "*", "Africa/Casablanca"),
        "monthly": ("0", "7", "*", "1", "*", "Africa/Casablanca"),
        "quarterly": ("0", "7", "*", "1", "1,4,7,10", "Africa/Casablanca"),
    }


def _titles(outline) -> Iterator[str]:
    for item in outline:
        yield from _titles(item) if isinstance(item, list) else [item.title]


def _pages_text(pdf: bytes) -> list[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return text.stdout.decode().split("\f")[:-1]


def test_the_portfolio_table_joined_after_the_body_reads_as_one_report(world):
    """The quarterly's portfolio table (drawn by ReportLab, over several landscape pages) after its body
    (WeasyPrint): page numbers run through the whole report, the bookmarks of the body and of the table
    are there, and the table prints every project once, under its directorate."""
    from pypdf import PdfReader

    from reporting.pdf.content.common import portfolio_table
    from reporting.selectors import PortfolioFigures
    from tests.reporting.builders import build_portfolio

    today = timezone.localdate()
    build_portfolio(count=70, weeks=2, today=today, directorate=world.it)
    quarter = Period.containing(Report.PERIODIC[Report.Kind.QUARTERLY], today).previous()
    report, _created = report_request(kind="quarterly", language="en", period=quarter, queue=False)

    built = report_build(report.pk)

    assert built.state == Report.State.DONE, built.error
    pdf = built.file.open("rb").read()
    pages = _pages_text(pdf)
    assert len(pages) == built.pages == len(PdfReader(built.file.path).pages)
    for number, text in enumerate(pages, start=1):
        # Once per page: the body's own numbering is switched off before the join.
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of {built.pages}"]
    snapshot = PortfolioFigures.for_everyone(scope=report.scope).snapshot(quarter.end)
    codes = [line.project.code for line in portfolio_table(snapshot, on=quarter.end)]
    # The body names some projects too (exceptions, slips); the appendix prints each project once.
    first = next(n for n, text in enumerate(pages) if "Appendix: the whole portfolio" in text)
    appendix = "\n".join(pages[first:])
    assert len(pages) - first >= 2  # the table runs over more than one page, its headings repeated
    assert all(page.count("Next milestone") == 1 for page in pages[first:])
    assert all(appendix.count(code) == 1 for code in codes)
    assert world.it.name in appendix
    bookmarks = list(_titles(PdfReader(built.file.path).outline))
    assert "KPI scorecard" in bookmarks
    assert bookmarks.count("Appendix: the whole portfolio") == 1
