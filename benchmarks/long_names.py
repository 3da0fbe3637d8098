"""Every report kind at 1,000 projects with long French names, checked for text printed over text, and
recorded in docs/benchmarks.md.

    .venv/bin/python benchmarks/long_names.py [--projects 1000]

Runs `tests/reporting/test_report_tables.py` with `LONG_NAMES_PROJECTS=N` (the suite runs it at a
smaller size): weekly, monthly and quarterly reports, a meeting's pack and minutes, in French and in
English, each read back with `pdftotext -bbox-layout`: no word's box crosses another's, none leaves the
page, every name is printed whole. The section gives each test's outcome and time (its portfolio's
build included), from pytest's JUnit report.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BASE_DIR, REPORT

SECTION = "## Reports with long names"
TESTS = "tests/reporting/test_report_tables.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("-k", dest="only", help="Only the tests pytest's -k expression selects.")
    options = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="long-names-") as scratch:
        junit = Path(scratch) / "junit.xml"
        env = {
            **os.environ,
            "LONG_NAMES_PROJECTS": str(options.projects),
            "DATABASE_URL": f"sqlite:///{Path(scratch) / 'bench.sqlite3'}",
        }
        selection = ["-k", options.only] if options.only else []
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                TESTS,
                "-q",
                "-p",
                "no:randomly",
                f"--junitxml={junit}",
                *selection,
            ],
            cwd=BASE_DIR,
            env=env,
        )
        cases = ElementTree.parse(junit).getroot().iter("testcase")  # noqa: S314 (pytest wrote it)
        rows = [
            (case.get("name"), "failed" if len(case) else "passed", float(case.get("time"))) for case in cases
        ]
    load = (load_before, os.getloadavg())
    section = render(rows, projects=options.projects, load=load)
    print(section)
    write(section)
    print(f"Written to {REPORT.relative_to(BASE_DIR)}")
    sys.exit(completed.returncode)


def write(section: str) -> None:
    """Replace this script's section of docs/benchmarks.md (or add it); the machine line at the top is
    left alone: it describes the runs of `benchmarks/run`, on PostgreSQL."""
    text = REPORT.read_text()
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", flags=re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    REPORT.write_text(text.rstrip("\n") + "\n")


def render(rows: list[tuple[str, str, float]], *, projects: int, load) -> str:
    before, after = (" / ".join(f"{value:.2f}" for value in average) for average in load)
    lines = [
        SECTION,
        "",
        f"`benchmarks/long_names.py --projects {projects}`, {datetime.date.today().isoformat()}: "
        f"`{TESTS}` with `LONG_NAMES_PROJECTS={projects}` (the suite runs it at a smaller size), on "
        "SQLite, charts off (each chart prints its data as a table). Each report kind is built on a "
        f'portfolio of {projects:,} projects with long French names ("Modernisation du système '
        "d'information de la région Fès-Meknès — lot 3 : infrastructures et sécurité\") and read back "
        "with `pdftotext -bbox-layout`: no word printed over another, none off the page, every name "
        "whole (wrapped, never cut short). A test's time includes building its portfolio. The load "
        f"average was {before} before and {after} after (2 cores, shared): compare within a run.",
        "",
        "| Test | Outcome | Time (s) |",
        "|---|---|---:|",
    ]
    lines += [f"| `{name}` | {outcome} | {seconds:.1f} |" for name, outcome, seconds in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
