"""The import screens: who may use them, what the upload refuses, and the steps from file to projects."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from imports.models import ColumnMapping, Import
from imports.tasks import discard_expired_files
from imports.uploads import store_upload
from pmo.roles import Role
from portfolio.models import Project
from tests.factories import UserFactory
from tests.imports.conftest import csv_bytes
from tests.imports.test_tables import PNG

ROWS = [
    ["Code", "Name", "Directorate", "Overall RAG", "Budget"],
    ["PRJ-101", "Refonte CRM", "DSI", "Amber/Red", "1 200 000"],
    ["PRJ-102", "Data platform", "DSI", "Green", "350 000,50"],
]


@pytest.fixture
def client_en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def make_import(user, rows=ROWS) -> Import:
    return store_upload(
        data=csv_bytes(rows), kind="csv", original_name="portfolio.csv", user=user, start_from=None
    )


def step_urls(upload: Import) -> list[str]:
    return [
        reverse(name, args=[upload.pk])
        for name in ("imports:step", "imports:columns", "imports:values", "imports:dry_run", "imports:commit")
    ]


# --- who may use them --------------------------------------------------------------------------------


def test_every_import_page_is_for_the_pmo_and_administrators_only(client, world):
    upload = make_import(world.pmo)
    mapping = ColumnMapping.objects.create(name="Ours", definition={"columns": {"Code": "code"}})
    urls = [reverse("imports:start"), *step_urls(upload), reverse("imports:mapping_json", args=[mapping.pk])]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    for user in (world.pmo, world.admin):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200] * len(urls), user
    for user in (world.pm, world.other_pm, world.executive, world.member):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403] * len(urls), user


def test_an_import_is_its_authors_another_pmo_gets_404(client, world):
    upload = make_import(world.pmo)
    client.force_login(UserFactory(username="pmo2", roles=[Role.PMO]))

    assert [client.get(url).status_code for url in step_urls(upload)] == [404] * 5
    assert client.post(reverse("imports:commit", args=[upload.pk])).status_code == 404
    assert b"portfolio.csv" not in client.get(reverse("imports:start")).content


def test_the_imports_menu_entry_is_the_pmos(client, world):
    client.force_login(world.pmo)
    assert reverse("imports:start").encode() in client.get(reverse("portfolio:project_list")).content
    client.force_login(world.executive)
    assert reverse("imports:start").encode() not in client.get(reverse("portfolio:project_list")).content


# --- the upload --------------------------------------------------------------------------------------


def test_a_picture_named_csv_is_refused_with_a_message_and_nothing_is_kept(client_en, world):
    client_en.force_login(world.pmo)

    response = client_en.post(
        reverse("imports:start"), {"file": SimpleUploadedFile("portfolio.csv", PNG, content_type="text/csv")}
    )

    assert response.status_code == 200
    assert "The file is neither a CSV text file nor an Excel workbook (.xlsx)." in response.content.decode()
    assert not Import.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "imports").exists()


def test_a_file_over_the_size_limit_is_refused_with_a_message(client_en, world, settings):
    settings.IMPORT_MAX_BYTES = 2048
    client_en.force_login(world.pmo)
    big = csv_bytes([["Code", "Name"]] + [[f"PRJ-{n}", "x" * 40] for n in range(100)])

    response = client_en.post(reverse("imports:start"), {"file": SimpleUploadedFile("big.csv", big)})

    assert "the largest file accepted is 2.0\xa0KB" in response.content.decode()
    assert not Import.objects.exists()


def test_a_workbook_named_anything_is_taken_as_a_workbook_and_stored_under_a_random_name(client_en, world):
    book = Workbook()
    book.active.append(["Code", "Name"])
    book.active.append(["PRJ-1", "Alpha"])
    buffer = io.BytesIO()
    book.save(buffer)
    client_en.force_login(world.pmo)

    response = client_en.post(
        reverse("imports:start"), {"file": SimpleUploadedFile("../../etc/passwd.txt", buffer.getvalue())}
    )

    upload = Import.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:columns", args=[upload.pk])
    assert upload.kind == "xlsx" and upload.original_name == "passwd.txt"
    stored = Path(upload.file.path)
    assert stored.parent == Path(settings.MEDIA_ROOT) / "imports"
    assert len(stored.stem) == 32 and "passwd" not in stored.name
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert client_en.get(f"/{settings.MEDIA_URL}{upload.file.name}").status_code == 404  # never served


# --- the steps ---------------------------------------------------------------------------------------


def columns_post(upload: Import, **choices) -> dict:
    """The columns form as posted: each header's choice by position, then the options."""
    data = {f"column_{index}": "" for index in range(len(ROWS[0]))}
    data.update(choices)
    return data


def test_from_upload_to_commit_with_a_value_fixed_after_the_dry_run(
    client_en, world, django_capture_on_commit_callbacks
):
    client_en.force_login(world.pmo)
    upload = make_import(world.pmo)

    # 2. Columns: guessed from the headers, then saved under a name.
    page = client_en.get(reverse("imports:columns", args=[upload.pk])).content.decode()
    assert '<option value="overall_rag" selected>' in page
    data = columns_post(
        upload,
        column_0="code",
        column_1="name",
        column_2="directorate",
        column_3="overall_rag",
        column_4="budget",
        save_as="CRM portfolio",
        create=["directorate"],
    )
    response = client_en.post(reverse("imports:columns", args=[upload.pk]), data)
    assert response.status_code == 302 and response.url == reverse("imports:values", args=[upload.pk])
    saved = ColumnMapping.objects.get(name="CRM portfolio")
    assert saved.definition["columns"]["Overall RAG"] == "overall_rag"

    # 3. Values: "Amber/Red" is not a rating by itself; the dry run says so, row and column.
    page = client_en.get(reverse("imports:values", args=[upload.pk])).content.decode()
    assert "Amber/Red" in page
    values = {
        "value_overall_rag_0": "",  # Amber/Red: as in the file
        "value_overall_rag_1": "green",
        "value_directorate_0": "",
        "default_state": "active",
        "default_percent_complete": "10",
        "default_actual_cost": "0",
        "default_explanation": "Imported from the CRM portfolio.",
        "update_saved": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):  # the dry run's task, in-process in tests
        response = client_en.post(reverse("imports:values", args=[upload.pk]), values)
    assert response.url == reverse("imports:dry_run", args=[upload.pk])
    page = client_en.get(response.url).content.decode()
    assert "Not one of: Green, Amber, Red. Map it in the value mapping." in page
    assert "Overall RAG" in page and "Amber/Red" in page
    assert client_en.post(reverse("imports:commit", args=[upload.pk])).status_code == 200  # refused
    assert not Project.objects.exists()

    # Map it, and the dry run is clean; the saved mapping learns it too.
    values["value_overall_rag_0"] = "red"
    with django_capture_on_commit_callbacks(execute=True):
        client_en.post(reverse("imports:values", args=[upload.pk]), values)
    upload.refresh_from_db()
    assert upload.summary["counts"] | {"blanked": 0} == {
        "rows": 2,
        "create": 2,
        "update": 0,
        "unchanged": 0,
        "error_rows": 0,
        "errors": 0,
        "blanked": 0,
    }
    saved.refresh_from_db()
    assert saved.definition["values"]["overall_rag"] == {"Amber/Red": "red", "Green": "green"}
    assert not Project.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_en.post(reverse("imports:commit", args=[upload.pk]))

    assert response.status_code == 302 and response.url == upload.get_absolute_url()
    project = Project.objects.get(code="PRJ-101")
    assert project.last_report.overall_rag == "red" and project.budget == 1200000
    assert project.last_report.explanation == "Imported from the CRM portfolio."
    upload.refresh_from_db()
    assert upload.state == Import.State.COMMITTED and not upload.file  # the file is gone
    page = client_en.get(upload.get_absolute_url()).content.decode()
    assert "Import committed" in page and reverse("portfolio:project_detail", args=["PRJ-101"]) in page
    assert client_en.get(reverse("imports:columns", args=[upload.pk])).status_code == 302  # to the summary
    again = client_en.post(reverse("imports:commit", args=[upload.pk]))  # a second click
    assert again.status_code == 302 and again.url == upload.get_absolute_url()
    assert Project.objects.count() == 2 and project.status_reports.count() == 1


def test_a_columns_form_with_mistakes_is_shown_again_as_typed_and_saves_nothing(client_en, world):
    client_en.force_login(world.pmo)
    upload = make_import(world.pmo)
    before = dict(upload.mapping)

    response = client_en.post(
        reverse("imports:columns", args=[upload.pk]), columns_post(upload, column_0="code", column_1="code")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Several columns are mapped to “code”" in page
    assert page.count('<option value="code" selected>') == 2
    upload.refresh_from_db()
    assert upload.mapping == before and upload.state == Import.State.UPLOADED


def test_a_saved_mapping_is_applied_to_a_new_file_and_downloadable_for_the_command(client_en, world):
    definition = {"columns": {"Code": "code", "Name": "name"}, "defaults": {"state": "active"}}
    saved = ColumnMapping.objects.create(name="Standard", definition=definition)
    client_en.force_login(world.pmo)
    upload = make_import(world.pmo)

    client_en.post(reverse("imports:columns", args=[upload.pk]), {"apply": "1", "saved_mapping": saved.pk})

    upload.refresh_from_db()
    assert upload.mapping == definition and upload.saved_mapping == saved
    response = client_en.get(reverse("imports:mapping_json", args=[saved.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="standard.json"'
    assert response.json() == definition


def test_the_dry_run_is_paginated_and_htmx_gets_the_table_alone(
    client_en, world, it_directorate, django_capture_on_commit_callbacks
):
    rows = [["Code", "Name", "Directorate"]] + [[f"PRJ-{n:03d}", f"Projet {n}", "DSI"] for n in range(120)]
    client_en.force_login(world.pmo)
    upload = make_import(world.pmo, rows)
    with django_capture_on_commit_callbacks(execute=True):
        client_en.post(reverse("imports:dry_run", args=[upload.pk]))

    page = client_en.get(reverse("imports:dry_run", args=[upload.pk]) + "?page=3").content.decode()
    partial = client_en.get(
        reverse("imports:dry_run", args=[upload.pk]) + "?page=2", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "PRJ-119" in page and "PRJ-000" not in page and "Page 3 of 3" in page
    assert partial.lstrip().startswith('<section class="card" id="import-results"') and "<html" not in partial
    assert "PRJ-050" in partial and "PRJ-049" not in partial


@pytest.fixture
def it_directorate(world):
    return world.it


def test_the_list_of_imports_takes_the_same_queries_for_2_or_20_imports(
    client, world, django_assert_num_queries
):
    client.force_login(world.pmo)
    for _ in range(2):
        make_import(world.pmo)
    # session, user, its groups (menu), count of imports, saved mappings for the upload form's choice and
    # for the list beside it (with their authors), the page of imports
    with django_assert_num_queries(7):
        assert client.get(reverse("imports:start")).status_code == 200
    for _ in range(18):
        make_import(world.pmo)
    ColumnMapping.objects.create(name="Another", definition={}, created_by=world.pmo)
    with django_assert_num_queries(7):
        assert client.get(reverse("imports:start")).status_code == 200


def test_files_not_committed_are_deleted_after_a_day_and_the_import_says_so(client_en, world):
    old, recent = make_import(world.pmo), make_import(world.pmo)
    Import.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    old_path = Path(old.file.path)

    assert discard_expired_files() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not old_path.exists() and recent.file
    client_en.force_login(world.pmo)
    response = client_en.get(reverse("imports:columns", args=[old.pk]), follow=True)
    assert "The file of this import was deleted after a day. Upload it again." in response.content.decode()
    assert discard_expired_files() == 0  # idempotent


def test_the_dry_run_labels_ratings_in_the_readers_language_whatever_language_it_ran_in(
    client, world, it_directorate, django_capture_on_commit_callbacks
):
    rows = [
        ["Code", "Name", "Directorate", "Overall RAG"],
        ["PRJ-201", "Portail", it_directorate.code, "Green"],
    ]
    client.force_login(world.pmo)
    upload = make_import(world.pmo, rows)
    with django_capture_on_commit_callbacks(execute=True):  # run by a French reader (or a worker in French)
        client.post(reverse("imports:dry_run", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="fr")

    english = client.get(
        reverse("imports:dry_run", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    french = client.get(
        reverse("imports:dry_run", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert "<span>Green</span>" in english and "Vert" not in english
    assert "<span>Vert</span>" in french
