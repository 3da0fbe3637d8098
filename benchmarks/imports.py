"""A large import through the browser's forms, and the status-history export, on the real stack.

    benchmarks/imports.py [--rows 20000] [--export-projects 1000] [--postgres URL]

A throwaway PostgreSQL database and redis-server, gunicorn (2 workers) and a Celery worker, as
benchmarks/run starts them (benchmarks/stack.py); then, as the PMO would in a browser:

1. a CSV of --rows new projects (each with a status) uploaded through the upload form, its columns
   and values mapped through their forms, then the dry run and the commit, each followed through the
   progress partial the page polls (HX-Request, every 2 s) until it sends the browser on. Timed: each
   web request (none may come near gunicorn's 30 s), the dry run and the commit from the click to the
   end, and the rows done at each poll;
2. `seed_demo --reset --projects N`, then the portfolio's status-history XLSX as the PMO downloads it,
   three times: its time, size and rows.

Writes docs/benchmarks-imports.md. Every process started is stopped and the database dropped on any
way out.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BASE_DIR, machine
from stack import Stack
from webclient import Browser, forms_of

OUTPUT = BASE_DIR / "docs" / "benchmarks-imports.md"
STARTED = time.monotonic()


def say(text: str) -> None:
    elapsed = int(time.monotonic() - STARTED)
    print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {text}", flush=True)


def portfolio_csv(rows: int, directorate: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Code", "Name", "Directorate", "Overall RAG", "Budget", "Completion", "Explanation"])
    for n in range(rows):
        rag = ("Green", "Amber", "Red")[n % 3]
        writer.writerow(
            [f"IMP-{n:05d}", f"Projet importé {n}", directorate, rag, 100_000 + n, n % 100, "Suivi."]
        )
    return buffer.getvalue().encode()


def follow(browser: Browser, pk: int, requests: list[float]) -> tuple[float, list[tuple[float, int]], str]:
    """Poll the progress partial as htmx does until it sends the browser on: the seconds it took, the
    (seconds, rows done) of each poll, and where it sent the browser."""
    started = time.monotonic()
    samples: list[tuple[float, int]] = []
    while True:
        answer = browser.get(f"/imports/{pk}/progress/", headers={"HX-Request": "true"})
        requests.append(answer.client_ms)
        if answer.status != 200:
            raise RuntimeError(f"progress answered {answer.status}: {answer.text[:300]}")
        done = re.search(r'value="(\d+)"', answer.text)  # no bar once the run is over
        samples.append(
            (time.monotonic() - started, int(done.group(1)) if done else samples[-1][1] if samples else 0)
        )
        if len(samples) % 15 == 0:
            say(f"  {samples[-1][0]:.0f} s: {samples[-1][1]:,} rows done")
        if "hx-redirect" in answer.headers:
            return time.monotonic() - started, samples, answer.headers["hx-redirect"]
        time.sleep(2)


def check(answer, status: int, what: str) -> None:
    if answer.status != status:
        raise RuntimeError(f"{what}: {answer.status} {answer.text[:500]}")


def import_through_the_forms(stack: Stack, rows: int) -> dict:
    directorate = stack.python("from pmo.models import Directorate; print(Directorate.objects.first().code)")
    data = portfolio_csv(rows, directorate.strip())
    browser = Browser(stack.base_url)
    browser.login("pmo", "demo")
    requests: list[float] = []

    form = forms_of(browser.get("/imports/").text, having="start_from")
    started = time.monotonic()
    answer = browser.upload("/imports/", form.values(), {"file": ("portfolio.csv", data)})
    check(answer, 302, "the upload")
    requests.append(answer.client_ms)
    pk = int(re.search(r"/imports/(\d+)/", answer.headers["location"]).group(1))
    upload_seconds = time.monotonic() - started

    page = browser.get(f"/imports/{pk}/columns/")
    requests.append(page.client_ms)
    columns = forms_of(page.text, having="key_column").values()
    answer = browser.post(f"/imports/{pk}/columns/", {**columns, "key_column": "Code"})
    check(answer, 302, "the columns")
    requests.append(answer.client_ms)

    page = browser.get(f"/imports/{pk}/values/")
    requests.append(page.client_ms)
    values = forms_of(page.text, having="default_state").values()
    defaults = {"default_state": "active", "default_percent_complete": "0", "default_actual_cost": "0"}
    clicked = time.monotonic()
    answer = browser.post(f"/imports/{pk}/values/", {**values, **defaults})
    check(answer, 302, "the values")
    requests.append(answer.client_ms)
    dry_run, dry_samples, dry_to = follow(browser, pk, requests)
    dry_run = time.monotonic() - clicked
    page = browser.get(dry_to)
    requests.append(page.client_ms)
    if "No error: the import can be committed." not in page.text:
        raise RuntimeError(f"the dry run found errors: {page.text[:2000]}")

    form = forms_of(browser.get(f"/imports/{pk}/commit/").text, having="csrfmiddlewaretoken")
    clicked = time.monotonic()
    answer = browser.post(f"/imports/{pk}/commit/", form.values())
    check(answer, 302, "the commit")
    requests.append(answer.client_ms)
    commit, commit_samples, commit_to = follow(browser, pk, requests)
    commit = time.monotonic() - clicked
    summary = browser.get(commit_to)
    if "Import committed" not in summary.text:
        raise RuntimeError(f"the commit did not end committed: {summary.text[:2000]}")
    created = stack.python(
        "from portfolio.models import Project; print(Project.objects.filter(code__startswith='IMP-').count())"
    )
    return {
        "rows": rows,
        "bytes": len(data),
        "upload": upload_seconds,
        "dry_run": dry_run,
        "commit": commit,
        "created": int(created),
        "slowest_request": max(requests) / 1000,
        "requests": len(requests),
        "dry_samples": dry_samples,
        "commit_samples": commit_samples,
    }


def status_history_export(stack: Stack, projects: int, runs: int = 3) -> dict:
    say(f"seed_demo --reset --projects {projects}")
    stack.manage("seed_demo", "--reset", "--projects", str(projects))
    stack.analyze()
    reports = stack.python("from portfolio.models import StatusReport; print(StatusReport.objects.count())")
    browser = Browser(stack.base_url)
    browser.login("pmo", "demo")
    times, size = [], 0
    for _ in range(runs):
        started = time.monotonic()
        answer = browser.get("/portfolio/status-history/?export=xlsx")
        times.append(time.monotonic() - started)
        check(answer, 200, "the export")
        size = len(answer.body)
        body = answer.body
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = sum(1 for _row in sheet.iter_rows(min_row=2))
    return {"projects": projects, "reports": int(reports), "rows": rows, "times": times, "bytes": size}


def render(imported: dict | None, export: dict | None, command: str, database: str) -> str:
    lines = ["# Benchmarks: large imports and the status-history export", "", machine(database), ""]
    lines += [
        f"`{command}` on the real stack: {database}, Redis, gunicorn (2 sync workers, 30 s timeout), "
        "one Celery worker (concurrency 1), everything on this machine over loopback.",
        "",
    ]
    if imported:
        per_row = (imported["dry_run"] + imported["commit"]) / imported["rows"] * 1000
        lines += [
            "## A large import through the browser",
            "",
            f"A CSV of {imported['rows']:,} new projects with a status each "
            f"({imported['bytes'] / 2**20:.1f} MB), "
            "uploaded, mapped, dry-run and committed through the import's forms as the PMO would, the page "
            "following the progress partial every 2 s.",
            "",
            "| Step | Time |",
            "|---|---|",
            f"| Upload (parsed once, kept beside the file) | {imported['upload']:.1f} s |",
            f"| Dry run, from the click to the results | {imported['dry_run']:.0f} s |",
            f"| Commit, from the click to the summary | {imported['commit']:.0f} s |",
            f"| Slowest of the {imported['requests']} web requests | {imported['slowest_request']:.2f} s |",
            "",
            f"{imported['created']:,} projects created; {per_row:.0f} ms a row for the dry run and the "
            "commit together. No web request comes near gunicorn's 30 s: the rows are read in the worker.",
            "",
            "Rows done as the progress bar showed them (seconds after the click, rows):",
            "",
            "- dry run: "
            + ", ".join(
                f"{t:.0f} s {n:,}"
                for t, n in imported["dry_samples"][:: max(1, len(imported["dry_samples"]) // 8)]
            ),
            "- commit: "
            + ", ".join(
                f"{t:.0f} s {n:,}"
                for t, n in imported["commit_samples"][:: max(1, len(imported["commit_samples"]) // 8)]
            ),
            "",
        ]
    if export:
        times = sorted(export["times"])
        lines += [
            "## The status-history export",
            "",
            f"`seed_demo --projects {export['projects']}` (a year of weekly status: "
            f"{export['reports']:,} status reports), then the portfolio's status history as XLSX, "
            f"downloaded by the PMO {len(times)} times: "
            f"{export['rows']:,} rows, {export['bytes'] / 2**20:.1f} MB.",
            "",
            f"Median {times[len(times) // 2]:.1f} s (fastest {times[0]:.1f} s, slowest {times[-1]:.1f} s), "
            "from the request to the last byte. One query, read with `iterator()`, written row by row by "
            "`pmo/xlsx_stream.py` into a temporary file and sent from it: neither the time nor the "
            "memory of the web worker grow past what a request may take.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="Rows of the imported CSV (0: skip).")
    parser.add_argument(
        "--export-projects", type=int, default=1000, help="Projects for the export (0: skip)."
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="The server.")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="Where to write (Markdown).")
    options = parser.parse_args()
    command = "benchmarks/imports.py " + " ".join(sys.argv[1:])
    imported = export = None
    with tempfile.TemporaryDirectory(prefix="pmo-bench-") as scratch:
        stack = Stack(scratch=Path(scratch), postgres=options.postgres, say=say)
        try:
            stack.create_database()
            stack.start_redis()
            say("Migrating")
            stack.manage("migrate", "--noinput", "-v0")
            database = f"PostgreSQL {stack.postgres_version().split()[0]}"
            stack.start_worker()
            stack.start_web()
            stack.wait_healthy()
            if options.rows:
                stack.manage("seed_demo", "--reset", "--projects", "10")
                say(f"Importing {options.rows:,} rows through the forms")
                imported = import_through_the_forms(stack, options.rows)
                say(f"Dry run {imported['dry_run']:.0f} s, commit {imported['commit']:.0f} s")
            if options.export_projects:
                export = status_history_export(stack, options.export_projects)
                say(f"Export: {export['times']} s, {export['rows']} rows")
        finally:
            stack.close()
    options.output.write_text(render(imported, export, command.strip(), database))
    say(f"Written to {options.output}")


if __name__ == "__main__":
    main()
