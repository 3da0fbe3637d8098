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
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BASE_DIR, REPORT, database_facts, manage, write_section

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
    write_section(SECTION, section, database=database)
    print(f"Written to {REPORT.relative_to(BASE_DIR)}")


def timed(env: dict[str, str], *args: str) -> tuple[float, float]:
    """The wall time of the process, and the time the command reports for its own work (its last number)."""
    started = time.perf_counter()
    output = manage(env, *args)
    wall = time.perf_counter() - started
    reported = re.findall(r"(\d+(?:\.\d+)?) s", output)
    return wall, float(reported[-1]) if reported else float("nan")


def render(
    results: list[tuple[int, float, float]], *, runs: int, database: str, command: str | None = None
) -> str:
    sizes = ",".join(str(size) for size, _median, _best in results)
    command = command or f"benchmarks/seed_demo.py --sizes {sizes}"
    lines = [
        SECTION,
        "",
        f"`{command}`, {datetime.date.today():%Y-%m-%d}, on {database}. "
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


if __name__ == "__main__":
    main()
