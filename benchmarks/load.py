"""Run the Locust load test (benchmarks/locustfile.py) headless against the running stack and read its
statistics (Locust's CSV files)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
from pathlib import Path

from stack import BIN, Stack

SECTION = "## Load test (Locust)"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
P95_TARGET = 800  # ms


def run(stack: Stack, found: dict, *, users: int, spawn_rate: float, seconds: int, say=print) -> dict:
    prefix = stack.scratch / "locust"
    env = {
        **os.environ,
        "BENCH_MANAGERS": ",".join(f"{user}:{code}" for user, code in found["managers"]),
        "BENCH_MEETING": str(found["meeting"]),
        "BENCH_PROJECTS": ",".join(code for _user, code in found["managers"]),
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        stack.base_url,
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    say(f"  locust: {users} users (spawned {spawn_rate}/s) for {seconds} s against {stack.base_url}")
    log = (stack.scratch / "locust.log").open("w")
    process = subprocess.Popen(
        command, env=env, cwd=stack.scratch, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        process.wait(timeout=seconds + 120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stats = read_stats(Path(f"{prefix}_stats.csv"))
    failures = read_rows(Path(f"{prefix}_failures.csv"))
    if not stats:
        raise RuntimeError(
            f"locust wrote no statistics:\n{(stack.scratch / 'locust.log').read_text()[-3000:]}"
        )
    total = stats[-1]
    say(
        f"  {total['requests']:,} requests, {total['failures']} failures, median {total['median']} ms, "
        f"p95 {total['p95']} ms, p99 {total['p99']} ms, {total['rps']:.1f} requests/s"
    )
    return {
        "users": users,
        "spawn_rate": spawn_rate,
        "seconds": seconds,
        "stats": stats,
        "failures": failures,
        "exit": process.returncode,
    }


def read_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def read_stats(path: Path) -> list[dict]:
    rows = []
    for row in read_rows(path):
        rows.append(
            {
                "method": row["Type"],
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median": _number(row["50%"]),
                "p95": _number(row["95%"]),
                "p99": _number(row["99%"]),
                "max": _number(row["Max Response Time"]),
                "rps": float(row["Requests/s"]),
            }
        )
    # Locust writes the requests by name, then the "Aggregated" total last.
    return sorted(rows[:-1], key=lambda row: row["name"]) + rows[-1:]


def _number(value: str) -> int | str:
    try:
        return round(float(value))
    except ValueError:
        return value  # "N/A"


def render(result: dict, *, size: int) -> str:
    stats, total = result["stats"][:-1], result["stats"][-1]
    p95 = total["p95"]
    errors = total["failures"]
    smaller = "" if size >= 1000 else f" **(this run: {size:,} projects, not 1,000)**"
    lines = [
        SECTION,
        "",
        f"`benchmarks/locustfile.py`, Locust headless on loopback, {result['users']} simulated users "
        f"(spawned {result['spawn_rate']:g} a second) for {result['seconds']} s, at {size:,} "
        f"projects{smaller}, against gunicorn (2 workers) + PostgreSQL + Redis + the Celery worker, "
        "bounded to 50,000 requests. The mix: project managers submitting their weekly status (each "
        "opens the form for its version and CSRF token, then posts it), with the project page and My "
        "projects; people on the live meeting page polling it every 2 s, and the PMO running the "
        "meeting, moving to the next item every 30 s; executives on the dashboard and the reports page, "
        "downloading the latest report (built by the worker before the run); others on the lists. Each "
        "simulated user signs in once through the form (the sign-in's password hashing is in the "
        "figures, as on a Monday morning). Times are at the client, in ms (Locust rounds them to two "
        "significant figures above 100 ms).",
        "",
        "| Request | Requests | Failures | Median | p95 | p99 | Max | Requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {row['method']} {row['name']} | {row['requests']:,} | {row['failures']} | {row['median']} "
            f"| {row['p95']} | {row['p99']} | {row['max']} | {row['rps']:.1f} |"
            for row in stats
        ),
        f"| **All** | **{total['requests']:,}** | **{errors}** | **{total['median']}** | **{p95}** "
        f"| **{total['p99']}** | **{total['max']}** | **{total['rps']:.1f}** |",
        "",
    ]
    met = errors == 0 and isinstance(p95, int) and p95 < P95_TARGET
    lines.append(
        f"- Target (no error, p95 under {P95_TARGET} ms): "
        + (
            "met."
            if met
            else f"missed: {errors} failures, p95 {p95} ms."
            + (
                " Failures: "
                + "; ".join(f"{f['Name']}: {f['Error']} ({f['Occurrences']})" for f in result["failures"][:5])
                if result["failures"]
                else ""
            )
        )
    )
    return "\n".join(lines) + "\n"
