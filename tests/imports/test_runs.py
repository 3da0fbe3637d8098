"""Large imports: the dry run and the commit run in a worker with their progress on the import's page, a
workbook that would inflate too far is refused at upload, and a file is parsed once, not at every step."""

import io
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from imports import rowcache, tables
from imports.models import Import
from imports.runs import progress_key, run_request
from imports.tables import Table
from imports.tasks import run_import_task
from portfolio.models import Project, StatusReport
from tests.imports.conftest import csv_bytes
from tests.imports.test_views import make_import

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
DEFAULTS = {"state": "active", "percent_complete": "10", "actual_cost": "0"}


def rows(count: int) -> list[list]:
    return [["Code", "Name", "Directorate", "Overall RAG"]] + [
        [f"PRJ-{n:04d}", f"Projet {n}", "DSI", "Green"] for n in range(count)
    ]


def ready_to_run(world, count: int) -> Import:
    """An import of `count` new projects of the IT directorate, its columns mapped."""
    upload = make_import(world.pmo, rows(count))
    upload.mapping = {**upload.mapping, "key_column": "Code", "defaults": DEFAULTS}
    upload.state = Import.State.MAPPED
    upload.save()
    return upload


# --- a workbook that inflates too far ----------------------------------------------------------------


def inflating_workbook(inflated_bytes: int) -> bytes:
    """A real workbook whose sheet XML takes `inflated_bytes` once unzipped but compresses well (though
    less than a hundredfold, so the ratio alone would let it through). Built in a few milliseconds."""
    book = Workbook()
    book.active.append(["Code", "Name"])
    small = io.BytesIO()
    book.save(small)
    row = (
        '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>PRJ-{n}</t></is></c>'
        '<c r="B{n}" t="inlineStr"><is><t>Projet numéro {n}</t></is></c><c r="C{n}"><v>{n}</v></c></row>'
    )
    body = "".join(row.format(n=n) for n in range(2, inflated_bytes // 170))
    sheet = f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    out = io.BytesIO()
    with (
        zipfile.ZipFile(small) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


def test_a_workbook_that_would_inflate_past_the_bound_is_refused_at_upload_before_openpyxl_opens_it(
    client, world, settings
):
    settings.IMPORT_MAX_INFLATED_BYTES = 2 * MB
    data = inflating_workbook(3 * MB)
    assert 3 * MB <= sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) < 100 * len(data)
    client.force_login(world.pmo)

    with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("opened")) as opened:
        english = client.post(
            reverse("imports:start"),
            {"file": SimpleUploadedFile("big.xlsx", data)},
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
        french = client.post(
            reverse("imports:start"),
            {"file": SimpleUploadedFile("big.xlsx", data)},
            HTTP_ACCEPT_LANGUAGE="fr",
        ).content.decode()

    assert "The workbook would take 3.0\xa0MB once unzipped; the most accepted is 2.0\xa0MB." in english
    assert "Save it as CSV, or split it into smaller files." in english
    assert "une fois décompressé" in french
    assert not opened.called and not Import.objects.exists()


def test_a_workbook_under_the_bound_is_accepted(client, world, settings):
    settings.IMPORT_MAX_INFLATED_BYTES = 4 * MB
    client.force_login(world.pmo)

    response = client.post(
        reverse("imports:start"), {"file": SimpleUploadedFile("big.xlsx", inflating_workbook(3 * MB))}
    )

    assert response.status_code == 302 and Import.objects.get().kind == "xlsx"


# --- the run in a worker, and its progress ------------------------------------------------------------


def test_the_dry_run_waits_for_a_worker_and_its_page_shows_rows_done_out_of_the_total(
    client, world, django_capture_on_commit_callbacks
):
    upload = ready_to_run(world, 120)
    client.force_login(world.pmo)

    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = client.post(reverse("imports:dry_run", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="en")
    upload.refresh_from_db()
    cache.set(progress_key(upload.pk, upload.run), 50)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    partial = client.get(
        reverse("imports:progress", args=[upload.pk]), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert len(sent) == 1 and upload.state == Import.State.CHECKING and upload.rows_total == 120
    assert "Dry run in progress" in page and "50 of 120 rows" in page
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="import-progress"') and "<html" not in body
    assert '<progress class="import-progress-bar" max="120" value="50"' in body
    assert 'hx-trigger="every 2s"' in body and "HX-Redirect" not in partial
    assert not Project.objects.exists()

    sent[0]()  # the worker takes the task
    done = client.get(reverse("imports:progress", args=[upload.pk]), HTTP_HX_REQUEST="true")

    upload.refresh_from_db()
    assert upload.state == Import.State.DRY_RUN and upload.summary["counts"]["create"] == 120
    assert done["HX-Redirect"] == reverse("imports:dry_run", args=[upload.pk])
    assert "hx-trigger" not in done.content.decode()  # the polling stops
    assert "PRJ-0000" in client.get(reverse("imports:dry_run", args=[upload.pk])).content.decode()


def test_the_commit_waits_for_a_worker_then_the_progress_sends_the_browser_to_the_summary(
    client, world, django_capture_on_commit_callbacks
):
    upload = ready_to_run(world, 30)
    client.force_login(world.pmo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:dry_run", args=[upload.pk]))

    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = client.post(reverse("imports:commit", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = client.post(reverse("imports:commit", args=[upload.pk]))  # a second click meanwhile

    assert response.url == upload.get_absolute_url() and "Committing the import" in page
    assert "0 of 30 rows" in page and "Waiting for a worker" in page
    assert again.status_code == 302 and len(sent) == 1

    sent[0]()
    done = client.get(reverse("imports:progress", args=[upload.pk]), HTTP_HX_REQUEST="true")

    assert done["HX-Redirect"] == upload.get_absolute_url()
    assert Project.objects.count() == 30
    upload.refresh_from_db()
    assert upload.state == Import.State.COMMITTED and not upload.file and not upload.parsed


def test_the_run_task_is_idempotent_a_commit_delivered_twice_saves_once(world):
    upload = ready_to_run(world, 5)
    run_request(upload, commit=False, by=world.pmo)
    run_import_task.delay(upload.pk, upload.run)
    upload.refresh_from_db()
    first = upload.results
    run_import_task.delay(upload.pk, upload.run)  # delivered again: nothing to do
    upload.refresh_from_db()
    assert upload.state == Import.State.DRY_RUN and upload.results == first

    run_request(upload, commit=True, by=world.pmo)
    with mock.patch.object(Import, "discard_file"):  # the worker is killed before it deletes the file
        run_import_task.delay(upload.pk, upload.run)
    run_import_task.delay(upload.pk, upload.run)  # so the message is handed out again

    upload.refresh_from_db()
    assert upload.state == Import.State.COMMITTED and upload.summary["counts"]["create"] == 5
    assert Project.objects.count() == 5 and StatusReport.objects.count() == 5


def test_a_dry_run_superseded_by_a_later_request_writes_nothing(world):
    upload = ready_to_run(world, 5)
    run_request(upload, commit=False, by=world.pmo)
    stale = upload.run
    upload.mapping = {**upload.mapping, "defaults": {**DEFAULTS, "percent_complete": "20"}}
    upload.save()
    run_request(upload, commit=False, by=world.pmo)

    run_import_task.delay(upload.pk, stale)

    upload.refresh_from_db()
    assert upload.state == Import.State.CHECKING and upload.results == []
    run_import_task.delay(upload.pk, upload.run)
    upload.refresh_from_db()
    assert upload.state == Import.State.DRY_RUN and len(upload.results) == 5


def test_a_run_that_breaks_says_so_on_the_import_and_offers_to_run_again(client, world):
    upload = ready_to_run(world, 5)
    run_request(upload, commit=False, by=world.pmo)

    with mock.patch("imports.runs.import_table", side_effect=RuntimeError("the disk is full")):
        run_import_task.delay(upload.pk, upload.run)

    upload.refresh_from_db()
    assert upload.state == Import.State.FAILED and "the disk is full" in upload.run_error
    client.force_login(world.pmo)
    page = client.get(
        reverse("imports:dry_run", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The run stopped with an error" in page and "the disk is full" in page
    assert "Run the dry run again" in page and "can be committed" not in page


def test_a_run_cut_off_by_its_time_limit_says_so_on_the_import(world, settings):
    from celery.exceptions import SoftTimeLimitExceeded

    upload = ready_to_run(world, 5)
    run_request(upload, commit=True, by=world.pmo)

    with mock.patch("imports.runs.import_table", side_effect=SoftTimeLimitExceeded()):
        run_import_task.delay(upload.pk, upload.run)

    upload.refresh_from_db()
    assert upload.state == Import.State.FAILED and not Project.objects.exists()
    assert f"longer than the {settings.IMPORT_TIME_LIMIT} s a run may take" in upload.run_error


def test_when_the_workers_queue_does_not_answer_the_page_says_so_and_offers_to_run_again(
    client, world, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    upload = ready_to_run(world, 5)
    client.force_login(world.pmo)

    with (
        mock.patch.object(run_import_task, "delay", side_effect=OperationalError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("imports:dry_run", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="en")

    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    upload.refresh_from_db()
    assert response.status_code == 302 and upload.state == Import.State.FAILED
    assert "The queue of the workers did not answer: nothing was run." in page
    assert "Run the dry run again" in page


# --- a file is parsed once ----------------------------------------------------------------------------


def test_a_file_is_parsed_once_from_the_upload_to_the_commit(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.pmo)
    parse = mock.Mock(wraps=tables._table)

    with mock.patch.object(tables, "_table", parse):
        client.post(reverse("imports:start"), {"file": SimpleUploadedFile("p.csv", csv_bytes(rows(40)))})
        upload = Import.objects.get()
        columns = client.get(reverse("imports:columns", args=[upload.pk]))
        form = {f"column_{i}": name for i, name in enumerate(["code", "name", "directorate", "overall_rag"])}
        client.post(reverse("imports:columns", args=[upload.pk]), {**form, "key_column": "Code"})
        client.get(reverse("imports:values", args=[upload.pk]))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("imports:values", args=[upload.pk]),
                {f"default_{name}": value for name, value in DEFAULTS.items()},
            )
        client.get(reverse("imports:dry_run", args=[upload.pk]))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:commit", args=[upload.pk]))

    assert columns.status_code == 200
    assert Project.objects.count() == 40
    assert parse.call_count == 1


def test_a_mapping_that_reads_another_header_row_parses_the_file_again_once(world):
    upload = make_import(world.pmo, [["Title"], *rows(3)])
    assert upload.table().headers == ["Title"]

    upload.mapping = {**upload.mapping, "header_row": 2}
    with mock.patch.object(tables, "_table", wraps=tables._table) as parse:
        assert upload.table().headers == ["Code", "Name", "Directorate", "Overall RAG"]
        assert upload.table().headers == ["Code", "Name", "Directorate", "Overall RAG"]
    assert parse.call_count == 1


def test_the_kept_rows_hold_a_workbooks_typed_cells_as_they_were():
    cells = [
        "PRJ-1",
        12,
        12.5,
        True,
        None,
        datetime(2026, 3, 4, 9, 30),
        date(2026, 3, 4),
        time(9, 30),
        timedelta(days=1, seconds=3),
        Decimal("1.10"),
    ]
    table = Table(headers=["A"], rows=[(2, cells)], kind="xlsx")
    key = rowcache.table_key({"sheet": "Projets"})

    back = rowcache.load(rowcache.dump(table, key), key)

    assert back.rows == [(2, cells)] and back.kind == "xlsx"
    assert rowcache.load(rowcache.dump(table, key), rowcache.table_key({})) is None
