"""Time `manage.py seed_demo --reset --projects N` for several N, and record it in docs/benchmarks.md.

    .venv/bin/python benchmarks/seed_demo.py [--sizes 10,100,1000] [--runs 3] [--database-url URL]

Each run is a fresh process, so the times include starting Python and Django,
as a user of the command sees them. Without --database-url the runs go to a
throwaway SQLite file (migrated first) and the developer's database is left
alone; with it, that database's data is REPLACED by demo data.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
REPORT = BASE_DIR / "docs" / "benchmarks.md"
SECTION = "## seed_demo"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="Comma-separated project counts.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per size; the median is reported.")
    parser.add_argument("--database-url", help="Benchmark this database instead of a throwaway SQLite file.")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="seed-demo-bench-") as scratch:
        url = options.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url}
        manage(env, "migrate", "--noinput", "-v0")
        database, debug = database_facts(env)
        results = []
        for size in sizes:
            runs = [
                timed(env, "seed_demo", "--reset", "--projects", str(size)) for _run in range(options.runs)
            ]
            wall, inside = (statistics.median(times) for times in zip(*runs, strict=True))
            results.append((size, wall, inside))
            print(f"{size:>8} projects  wall {wall:6.2f} s  in the command {inside:6.2f} s", flush=True)

    where = database if options.database_url else f"{database} (a throwaway file)"
    section = render(results, runs=options.runs, database=f"{where}, DEBUG {debug}")
    print()
    print(section)
    write_report(section, database=database)
    print(f"Written to {REPORT.relative_to(BASE_DIR)}")


def manage(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def timed(env: dict[str, str], *args: str) -> tuple[float, float]:
    """The wall time of the process, and the time the command reports for its own work (its last number)."""
    started = time.perf_counter()
    output = manage(env, *args)
    wall = time.perf_counter() - started
    reported = re.findall(r"(\d+(?:\.\d+)?) s", output)
    return wall, float(reported[-1]) if reported else float("nan")


def database_facts(env: dict[str, str]) -> tuple[str, str]:
    """The database's vendor and version, and whether DEBUG is on, as the benchmarked processes see them."""
    code = (
        "import django; django.setup(); from django.conf import settings; from django.db import connection; "
        "version = '.'.join(map(str, connection.get_database_version())); "
        "print(connection.display_name, version); print('on' if settings.DEBUG else 'off')"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "pmo.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    database, debug = completed.stdout.strip().splitlines()
    return database, debug


def machine(database: str) -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"Machine: {cpus} CPUs (nproc), {memory:.1f} GiB memory, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {database}; "
        f"{datetime.date.today():%Y-%m-%d}."
    )


def render(results: list[tuple[int, float, float]], *, runs: int, database: str) -> str:
    sizes = ",".join(str(size) for size, _median, _best in results)
    lines = [
        SECTION,
        "",
        f"`benchmarks/seed_demo.py --sizes {sizes}`, {datetime.date.today():%Y-%m-%d}, on {database}. "
        f"Median of {runs} runs of a fresh "
        "`manage.py seed_demo --reset --projects N` process: its wall time (Python and Django start-up "
        "included) and the time the command reports for its transaction (reset, seeding).",
        "",
        "| Projects | Wall time (s) | In the command (s) |",
        "|---:|---:|---:|",
        *(f"| {size:,} | {wall:.2f} | {inside:.2f} |" for size, wall, inside in results),
        "",
    ]
    return "\n".join(lines)


def write_report(section: str, *, database: str) -> None:
    """Replace the seed_demo section (or add it), and refresh the machine line, leaving other sections be."""
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n\nMachine:\n"
    text = re.sub(r"^Machine:.*$", machine(database), text, count=1, flags=re.MULTILINE)
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", flags=re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
