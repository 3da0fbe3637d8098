"""The PMO brings a small portfolio in from Excel through the import screens, fixing the mapping."""

import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from imports.models import Import
from portfolio.models import Project
from tests.browser.test_smoke import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en",
        "extra_http_headers": {"Accept-Language": "en"},
        "viewport": {"width": 1366, "height": 768},
    }


@pytest.fixture
def workbook(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    book = Workbook()
    sheet = book.active
    sheet.title = "Portefeuille"
    sheet.append(
        ["Code", "Project name", "Direction", "RAG", "Budget (MAD)", "Start date", "End date", "Comment"]
    )
    sheet.append(
        ["PRJ-0201", "Refonte du CRM", "DSI", "Green", 1_250_000, date(2026, 1, 5), date(2026, 12, 18), ""]
    )
    sheet.append(
        ["PRJ-0202", "Data platform", "DSI", "Amber/Red", "2,5 M", "05/01/2026", "30.06.2027", "Late"]
    )
    sheet.append(
        [
            "PRJ-0203",
            "Paiements instantanés",
            "DSI",
            "Amber",
            "980 000,50",
            "2026-02-02",
            "2026-11-30",
            "Tests",
        ]
    )
    path = tmp_path / "portefeuille.xlsx"
    book.save(path)
    return path


def test_the_pmo_imports_a_workbook_sees_a_row_error_fixes_the_mapping_and_commits(
    page: Page, live_server, world, workbook
):
    sign_in(page, live_server.url, "pmo", world.password)
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import a portfolio")).to_be_visible()

    # 1. Upload.
    page.get_by_label("Spreadsheet").set_input_files(workbook)
    page.get_by_role("button", name="Upload and map the columns").click()

    # 2. Columns: guessed from the headers; the PMO checks one and names the mapping.
    expect(page.get_by_role("heading", name="Map the columns")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("Step 2")
    expect(page.get_by_label("RAG", exact=True)).to_have_value("overall_rag")
    expect(page.get_by_label("Comment", exact=True)).to_have_value("explanation")
    page.get_by_label("Project name", exact=True).select_option("name")
    page.get_by_label("Save this mapping as").fill("Portefeuille DSI")
    page.get_by_role("button", name="Next: map the values").click()

    # 3. Values: "Amber/Red" is left as in the file, so the dry run reports it.
    expect(page.get_by_role("heading", name="Map the values")).to_be_visible()
    expect(page.get_by_label("Amber/Red")).to_have_value("")
    expect(page.get_by_label("Amber", exact=True)).to_have_value("amber")
    page.get_by_label("State", exact=True).select_option("active")
    page.get_by_label("Status: completion").fill("0")
    page.get_by_label("Status: actual cost to date").fill("0")
    page.get_by_role("button", name="Run the dry run").click()

    # 4. Dry run: the error names the row, the column and the value.
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    error_row = page.get_by_role("row").filter(has_text="PRJ-0202")
    expect(error_row).to_contain_text("Error")
    expect(error_row).to_contain_text("RAG “Amber/Red”: Not one of: Green, Amber, Red.")
    expect(page.get_by_role("link", name="Next: commit")).to_have_count(0)
    assert not Project.objects.exists()

    # The PMO fixes the value mapping and runs the dry run again.
    page.get_by_role("link", name="Back to the values").click()
    page.get_by_label("Amber/Red").select_option("red")
    page.get_by_role("button", name="Run the dry run").click()
    expect(
        page.get_by_role("alert").or_(page.get_by_role("status")).filter(has_text="No error")
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="PRJ-0202")).to_contain_text("Red")

    # 5. Commit.
    page.get_by_role("link", name="Next: commit").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Step 5")
    page.get_by_role("button", name="Commit the import").click()
    expect(page.get_by_role("heading", name="Import committed")).to_be_visible()
    expect(page.get_by_text(re.compile("3 projects created, 0 updated"))).to_be_visible()

    projects = {
        project.code: project for project in Project.objects.select_related("last_report", "directorate")
    }
    assert set(projects) == {"PRJ-0201", "PRJ-0202", "PRJ-0203"}
    assert projects["PRJ-0202"].last_report.overall_rag == "red"
    assert projects["PRJ-0202"].budget == Decimal("2500000.00")
    assert projects["PRJ-0203"].budget == Decimal("980000.50")
    assert projects["PRJ-0201"].baseline_start == date(2026, 1, 5)
    assert {project.directorate for project in projects.values()} == {world.it}
    upload = Import.objects.get()
    assert upload.state == Import.State.COMMITTED and not upload.file
    page.get_by_role("link", name="PRJ-0202").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data platform")


@pytest.fixture
def worker(monkeypatch):
    """A worker beside the live server: the runs the pages ask for are taken by a thread of their own, as
    a Celery worker would take them, so that the page shows the run under way (the tests otherwise run
    tasks in the process that sends them, where the click returns only once the run is over)."""
    import threading

    from django.db import connection

    from imports import runs

    threads: list[threading.Thread] = []

    def run(import_id: int, run_number: int) -> None:
        try:
            runs.run_import(import_id, run_number)
        finally:
            connection.close()

    def send(import_id: int, run_number: int) -> None:
        thread = threading.Thread(target=run, args=(import_id, run_number), daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(runs, "_send", send)
    yield
    for thread in threads:
        thread.join(timeout=120)


def test_a_large_import_shows_its_progress_then_its_results(
    page: Page, live_server, world, worker, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    lines = ["Code,Name,Directorate,RAG,Completion,Actual cost"]
    lines += [f"IMP-{n:04d},Projet {n},DSI,Green,10,0" for n in range(200)]
    csv_file = tmp_path / "large.csv"
    csv_file.write_text("\n".join(lines) + "\n")
    sign_in(page, live_server.url, "pmo", world.password)
    page.goto(f"{live_server.url}/imports/")

    page.get_by_label("Spreadsheet").set_input_files(csv_file)
    page.get_by_role("button", name="Upload and map the columns").click()
    page.get_by_role("button", name="Next: map the values").click()
    page.get_by_label("State", exact=True).select_option("active")
    page.get_by_role("button", name="Run the dry run").click()

    # The page follows the run: a progress bar, rows done out of 200, until the results replace it.
    progress = page.get_by_role("progressbar")
    expect(progress).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ of 200 rows"))).to_be_visible()
    # A shared CI machine may take minutes: the page keeps following.
    expect(page.get_by_role("status").filter(has_text="No error")).to_be_visible(timeout=300_000)
    expect(progress).to_have_count(0)

    page.get_by_role("link", name="Next: commit").click()
    page.get_by_role("button", name="Commit the import").click()
    expect(page.get_by_role("heading", name="Committing the import")).to_be_visible()
    expect(page.get_by_role("heading", name="Import committed")).to_be_visible(timeout=120_000)
    expect(
        page.get_by_text("Import committed: 200 projects created, 0 updated, 0 unchanged.")
    ).to_be_visible()
    assert Project.objects.filter(code__startswith="IMP-").count() == 200
