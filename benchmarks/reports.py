"""Time the PDF reports on demo portfolios, with the worker's peak memory, and record them in
docs/benchmarks.md.

    .venv/bin/python benchmarks/reports.py [--runs 3] [--processes 1,2] [--database-url URL]

Two portfolios, each a fresh `manage.py seed_demo --reset --projects N` in a throwaway SQLite file:

- N = 200: the monthly report, charts on. Chart export is timed apart: starting kaleido (one Chromium
  per process, done by the worker when it starts), the first chart, then the dashboard's five figures
  warm. The monthly build is timed warm (kaleido running), as a worker builds it.
- N = 1,000: the quarterly report's portfolio appendix (its active projects; then the same rows
  cycled to 1,000 rows, the issue's comparison with a 1,000-row export): laid out as one WeasyPrint
  document (the way before parts), then in parts of REPORT_APPENDIX_PART_ROWS rows by 1 and by 2
  processes (`REPORT_RENDER_PROCESSES`), joined and stamped with page numbers; and the whole quarterly.

Each figure is the median of --runs builds in a fresh process with DEBUG off, as a worker runs them.
Peak memory: the largest sum of the proportional set size (PSS: resident memory, shared pages counted
in shares) of the measuring process and all its descendants (layout processes, Chromium's processes),
sampled every 100 ms from /proc (the process's own resident size, its descendants' PSS); and the kernel's
maxrss of the process itself.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BASE_DIR, REPORT, database_facts, manage, write_section

SECTION = "## Reports"
PRODUCTION_LIKE = {"DEBUG": "false", "HTTPS": "false", "LOG_LEVEL": "WARNING", "REPORT_CHARTS": "true"}
TARGETS = {"monthly": 4.0, "appendix": 4.0, "memory": 600}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Builds per measure; the median is reported.")
    parser.add_argument("--processes", default="1,2", help="REPORT_RENDER_PROCESSES values to compare.")
    parser.add_argument("--database-url", help="Benchmark this database instead of a throwaway SQLite file.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process: monthly or quarterly
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.measure, options.runs)))
        return

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="reports-bench-") as scratch:
        url = options.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        env = {
            **os.environ,
            **PRODUCTION_LIKE,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(Path(scratch) / "media"),
        }
        manage(env, "migrate", "--noinput", "-v0")
        database, _debug = database_facts(env)
        manage(env, "seed_demo", "--reset", "--projects", "200")
        results["monthly"] = child(env, "monthly", options.runs)
        print(json.dumps(results["monthly"], indent=1), flush=True)
        manage(env, "seed_demo", "--reset", "--projects", "1000")
        for processes in options.processes.split(","):
            key = f"quarterly-{processes}"
            results[key] = child({**env, "REPORT_RENDER_PROCESSES": processes}, "quarterly", options.runs)
            print(json.dumps(results[key], indent=1), flush=True)

    where = database if options.database_url else f"{database} (a throwaway file)"
    section = render(results, runs=options.runs, database=where)
    print()
    print(section)
    write_section(SECTION, section, database=database)
    print(f"Written to {REPORT.relative_to(BASE_DIR)}")


def child(env: dict[str, str], what: str, runs: int) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--measure", what, "--runs", str(runs)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- In the measuring process ---------------------------------------------------------------------------


class MemoryPeak:
    """The largest memory of this process plus its descendants (proportional set size), from /proc."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        # Every 100 ms, and this process's own size from statm: reading a process's smaps_rollup walks its
        # page tables, and doing that to the measured process every 20 ms slowed its builds down visibly.
        own = os.getpid()
        while not self._stop.wait(0.1):
            children = sum(_pss(pid) for pid in _tree(own) if pid != own)
            self.peak = max(self.peak, _rss(own) + children)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak // 2**20


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:  # the process ended meanwhile
            continue
    return pids


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _pss(pid: int) -> int:
    """The process's proportional set size: its resident memory, each page shared with other processes
    (Chromium's many, the libraries) counted in shares, so that the sum over a tree is not inflated."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _run in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure(what: str, runs: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    sys.path.insert(0, str(BASE_DIR))
    import resource

    import django

    django.setup()
    from django.utils import timezone

    from reporting.models import Report
    from reporting.periods import Period

    memory = MemoryPeak()
    today = timezone.localdate()
    period = Period.containing(Report.PERIODIC[what], today).previous()
    report = Report(kind=what, language="fr", period=period.start)  # never saved: nothing is stored
    figures = measure_monthly(report, runs) if what == "monthly" else measure_quarterly(report, runs)
    from reporting.pdf import charts, render

    charts.stop()
    render.stop()
    figures["peak_mb"] = memory.stop()
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    figures["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return figures


def measure_monthly(report, runs: int) -> dict:
    from reporting import charts as dashboard_charts
    from reporting.pdf import charts, kinds
    from reporting.pdf.content import common
    from reporting.selectors import PortfolioFigures
    from risks.charts import heatmap_figure
    from risks.selectors import heatmap

    started = time.perf_counter()
    assert charts.start(), "chart export is unavailable (kaleido, /usr/bin/chromium)"
    kaleido_start = time.perf_counter() - started

    on = common.as_at(report)
    figures = PortfolioFigures.for_everyone(scope=report.scope, today=common.today())
    snapshot = figures.snapshot(on)
    figures.load_milestones(dashboard_charts.roadmap_rows(snapshot))
    dashboard = [
        (dashboard_charts.rag_by_directorate_figure(snapshot), common.HALF),
        (dashboard_charts.budget_by_portfolio_figure(snapshot, currency="MAD"), common.HALF),
        (dashboard_charts.roadmap_figure(snapshot), common.FULL),
        (heatmap_figure(heatmap(figures.risks, policy=figures.policy)), common.HALF),
        (dashboard_charts.compliance_figure(figures.compliance_history(weeks=13, on=on)), common.FULL),
    ]
    started = time.perf_counter()
    first = charts.svg(dashboard[0][0], width=dashboard[0][1][0], height=dashboard[0][1][1])
    first_chart = time.perf_counter() - started
    assert first, "the first chart was not exported"

    def five_charts() -> None:
        for figure, (width, height) in dashboard:
            assert charts.svg(figure, width=width, height=height)

    charts_warm, _ = _timed(five_charts, runs)
    build, rendered = _timed(lambda: kinds.build(report), runs)
    return {
        "projects": len(snapshot.rows),
        "kaleido_start": kaleido_start,
        "first_chart": first_chart,
        "five_charts_warm": charts_warm,
        "build": build,
        "pages": rendered.pages,
        "charts_in_build": charts_in(report),
    }


def charts_in(report) -> int:
    """How many charts the monthly report's content holds (none until its content module adds them)."""
    from django.utils import translation

    from reporting.pdf import kinds
    from reporting.pdf.content.common import Chart

    with translation.override(report.language):
        context = kinds.KINDS[report.kind].context(report)
    values = [
        *context.values(),
        *(item for value in context.values() if isinstance(value, list) for item in value),
    ]
    return sum(isinstance(value, Chart) for value in values)


def measure_quarterly(report, runs: int) -> dict:
    from django.conf import settings
    from django.utils import translation

    from reporting.pdf import kinds, render

    kind = kinds.KINDS[report.kind]
    with translation.override(report.language):
        context = kind.context(report)
    rows = list(context[kind.appendix.rows])
    thousand = [rows[index % len(rows)] for index in range(1000)]
    started = time.perf_counter()
    render.start()  # a worker process starts its layout processes once, before its first report
    pool_start = time.perf_counter() - started

    def one_document(table) -> render.Rendered:
        # Before parts: the whole table in one WeasyPrint document, page numbers by CSS.
        html = render.html_of(
            render.PART_TEMPLATE,
            {**context, "table": table, "appendix": kind.appendix, "first_part": True},
            language=report.language,
        )
        return render.render_html(html)

    def in_parts(table) -> render.Rendered:
        parts = render.appendix_parts(
            kind.appendix, {**context, kind.appendix.rows: table}, language=report.language
        )
        return render.join(render.render_many(parts), context=context, language=report.language)

    figures: dict = {
        "rows": len(rows),
        "pool_start": pool_start,
        "processes": settings.REPORT_RENDER_PROCESSES,
        "part_rows": settings.REPORT_APPENDIX_PART_ROWS,
    }
    for label, table in (("active", rows), ("1000", thousand)):
        figures[f"one_{label}"], single = _timed(lambda t=table: one_document(t), runs)
        figures[f"parts_{label}"], joined = _timed(lambda t=table: in_parts(t), runs)
        figures[f"pages_{label}"] = (single.pages, joined.pages)
    figures["quarterly"], whole = _timed(lambda: kinds.build(report), runs)
    figures["quarterly_pages"] = whole.pages
    return figures


def render(results: dict[str, dict], *, runs: int, database: str) -> str:
    monthly = results["monthly"]
    quarterly = [value for key, value in results.items() if key.startswith("quarterly-")]
    cpus = len(os.sched_getaffinity(0))
    lines = [
        SECTION,
        "",
        f"`benchmarks/reports.py --runs {runs}`, {datetime.date.today():%Y-%m-%d}, on {database}, DEBUG off, "
        f"WeasyPrint, kaleido with Debian's Chromium. Median of {runs} builds in a fresh process, as a "
        f"worker builds them; the machine has {cpus} cores, shared with other work while this ran: the "
        "times are noisy (several seconds either way), compare within one run rather than across. "
        "Peak memory: the "
        "largest sum, sampled every 100 ms, of the measuring process's resident memory and its descendants' "
        "proportional set size (shared pages counted in shares; layout processes, Chromium's processes).",
        "",
        f"### Monthly report, `seed_demo --projects 200` ({monthly['projects']} active projects)",
        "",
        "| Step | Time (s) | Target (s) |",
        "|---|---:|---:|",
        f"| Start kaleido (once per worker process) | {monthly['kaleido_start']:.2f} | |",
        f"| First chart | {monthly['first_chart']:.2f} | |",
        f"| The dashboard's five charts, warm | {monthly['five_charts_warm']:.2f} | |",
        f"| Monthly report, warm ({monthly['pages']} pages, {monthly['charts_in_build']} charts in it) "
        f"| {monthly['build']:.2f} | {TARGETS['monthly']:.0f} |",
        "",
        f"Peak memory {monthly['peak_mb']} MB (target {TARGETS['memory']}), maxrss of the process "
        f"{monthly['maxrss_mb']} MB.",
        "",
        "### Quarterly report's portfolio appendix, `seed_demo --projects 1000`",
        "",
        "| Processes | Rows | One document (s) | In parts, joined, numbered (s) | Pages "
        "| Whole quarterly (s) | Peak memory (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in quarterly:
        for label, rows in (("active", result["rows"]), ("1000", 1000)):
            pages = result[f"pages_{label}"]
            lines.append(
                f"| {result['processes']} | {rows:,} | {result[f'one_{label}']:.2f} "
                f"| {result[f'parts_{label}']:.2f} | {pages[1]} | {result['quarterly']:.2f} "
                f"| {result['peak_mb']} |"
            )
    lines += [
        "",
        f'Parts of {quarterly[0]["part_rows"]} rows; "1,000" cycles the active projects\' rows to 1,000. '
        f"Targets: about {TARGETS['appendix']:.0f} s for the 1,000-row table (Redmine 5.0's 1,000-row PDF "
        f"export on this machine: 4.2 s), peak memory under {TARGETS['memory']} MB. Starting the layout "
        f"processes (once per worker process): {quarterly[-1]['pool_start']:.2f} s.",
        "",
        *verdict(monthly, quarterly),
        "",
        "How the appendix is built: the body and each part of the appendix are separate WeasyPrint documents "
        "laid out side by side by `REPORT_RENDER_PROCESSES` processes (the worker process and spawned "
        'layout processes it starts once), joined with pypdf (bookmarks kept), then "Page X of Y" is '
        "stamped on every page from one more document holding only those margin boxes. Layout time grows "
        "linearly with the rows, so parts only help when the worker has idle cores. The markup is already "
        "lean (classes, no per-row `break-inside`, no nested tables); what is left is WeasyPrint's own "
        "cost per cell (14 columns here).",
        "",
    ]
    return "\n".join(lines)


def verdict(monthly: dict, quarterly: list[dict]) -> list[str]:
    """Against the targets, in words, from the figures above (so that a new run says it afresh)."""

    def against(value: float, target: float, unit: str) -> str:
        if value <= target:
            return f"meets the target ({value:.2f} {unit} against {target:g})"
        return f"misses the target by {value - target:.2f} {unit} ({value:.2f} against {target:g})"

    # Until the monthly content holds its charts, the build does not export them: count them on top.
    charts = 0.0 if monthly["charts_in_build"] else monthly["five_charts_warm"]
    best = min(quarterly, key=lambda result: result["parts_1000"])
    peak = max([monthly["peak_mb"], *(result["peak_mb"] for result in quarterly)])
    return [
        f"- Monthly report at 200 projects with its charts (warm kaleido"
        f"{', the five dashboard charts counted on top' if charts else ''}): "
        f"{against(monthly['build'] + charts, TARGETS['monthly'], 's')}. The first chart of a worker "
        f"process costs {monthly['first_chart']:.1f} s more (Chromium starting), once.",
        f"- The 1,000-row appendix, best of the process counts ({best['processes']}): "
        f"{against(best['parts_1000'], TARGETS['appendix'], 's')}; as one document it took "
        f"{best['one_1000']:.2f} s ({best['one_1000'] / best['parts_1000']:.1f} times as long).",
        f"- Peak memory of the worker's process tree: {against(peak, TARGETS['memory'], 'MB')}.",
    ]


if __name__ == "__main__":
    main()
