"""Time the PDF reports on demo portfolios, with the worker's peak memory, and record them in
docs/benchmarks.md.

    .venv/bin/python benchmarks/reports.py [--runs 3] [--database-url URL]

The monthly and quarterly reports are a WeasyPrint body followed by their portfolio table drawn by
ReportLab (`reporting.pdf.table.portfolio_table_pdf`), joined with pypdf and stamped with "Page X of Y"
(`reporting.pdf.render.render` with the kind's `Appendix`). Two portfolios, each a fresh
`manage.py seed_demo --reset --projects N` in a throwaway SQLite file:

- N = 200: the monthly report, charts on. Chart export is timed apart: starting kaleido (one Chromium
  per process, done by the worker when it starts), the first chart, then the dashboard's five figures
  warm. The monthly build is timed warm (kaleido running), as a worker builds it, with where its time
  goes (charts, the body's layout, the table, joining and numbering, the rest: figures and templates).
- N = 1,000: (a) the portfolio table alone as ReportLab draws it (`render.appendix_pdf`), for the
  quarterly's active projects and for the same rows cycled to 1,000 (the issue's comparison with a
  1,000-row export); (b) the whole quarterly report, body and table joined and numbered, with the same
  breakdown; (c) for comparison, the same 1,000 rows laid out by WeasyPrint as one HTML document, once
  (10 to 30 s), in a process of its own so that its memory does not count as the worker's. Its markup is
  the table the reports printed before ReportLab (`WEASYPRINT_TABLE` below, with report.css).

Each figure is the median of --runs builds in a fresh process with DEBUG off, as a worker runs them
(the WeasyPrint comparison: one build). Peak memory: the largest sum of the proportional set size (PSS:
resident memory, shared pages counted in shares) of the measuring process and all its descendants
(Chromium's processes), sampled every 100 ms from /proc (the process's own resident size, its
descendants' PSS); and the kernel's maxrss of the process itself. The load average is read before and
after: the times are only worth comparing on a quiet machine.
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
TARGETS = {"monthly": 4.0, "table": 4.0, "memory": 600}
REDMINE_1000_ROWS = 4.2  # Redmine 5.0's 1,000-row PDF export on this machine, in seconds (the issue)

# The portfolio table as HTML, the way the reports printed it before ReportLab drew it (the former
# _appendix.html and appendix_part.html, one document, page numbers by CSS): WeasyPrint's side of (c).
WEASYPRINT_TABLE = """{% load i18n report_tags reporting_tags pmo_tags %}<!doctype html>
<html lang="{{ report.language }}">
<head>
<meta charset="utf-8">
<title>{{ title }} — {{ scope_label }}</title>
<link rel="stylesheet" href="{% report_static 'css/report.css' %}">
<style>html { font-family: {{ font_family|safe }}; }</style>
</head>
<body>
<div class="running-header"><strong>{{ organisation }}</strong> · {{ title }} · {{ scope_label }}</div>
<div class="running-footer">{{ generated_at|date:"DATETIME_FORMAT" }}</div>
<section class="wide">
<h2>{{ appendix_title }}</h2>{% include "reporting/pdf/_table_legend.html" %}
<table class="portfolio">
<thead><tr>
  <th class="c-code">{% translate "Code" %}</th><th>{% translate "Project" %}</th>
  <th>{% translate "Portfolio" %}</th>
  <th class="rag">{% translate "Ov." context "overall RAG, short" %}</th>
  <th class="rag">{% translate "Sch." context "schedule RAG, short" %}</th>
  <th class="rag">{% translate "Cost" context "cost RAG, short" %}</th>
  <th class="rag">{% translate "Scope" context "scope RAG, short" %}</th>
  <th class="rag">{% translate "Res." context "resources RAG, short" %}</th>
  <th class="num">{% translate "Complete" %}</th><th class="num">CPI</th><th class="num">SPI</th>
  <th class="num">{% translate "Budget" %}</th><th class="num">{% translate "Forecast" %}</th>
  <th class="num">{% translate "Var." context "forecast against budget, short" %}</th>
  <th>{% translate "Next milestone" %}</th>
</tr></thead>
<tbody>
{% for line in table %}{% with row=line.project dims=line.dimensions %}{% if line.group_size %}
<tr class="group"><td colspan="15">{{ row.directorate_name }}
<span class="muted">· {{ line.group_size }}</span></td></tr>
{% endif %}<tr>
<td class="code">{{ row.code }}</td><td class="nowrap">{{ row.name|truncatechars:46 }}</td>
<td class="small nowrap">{{ row.portfolio_code|default:"—" }}</td>
{% rag_cell row.rag %}{% rag_cell dims.schedule_rag %}{% rag_cell dims.cost_rag %}
{% rag_cell dims.scope_rag %}{% rag_cell dims.resources_rag %}
<td class="num">{{ row.percent_complete|percent }}</td><td class="num">{{ row.cpi|index }}</td>
<td class="num">{{ row.spi|index }}</td><td class="num">{{ row.budget|money_short }}</td>
<td class="num">{{ row.forecast_at_completion|money_short }}</td>
<td class="num var-{{ line.budget_rag|default:"none" }}">{{ row|budget_variance|signed_percent }}</td>
<td class="nowrap">{% if line.next_milestone %}{{ line.next_milestone.name|truncatechars:24 }}
<span class="muted">{{ line.next_milestone.forecast_date|date:"SHORT_DATE_FORMAT" }}</span>
{% else %}—{% endif %}</td>
</tr>{% endwith %}{% endfor %}
</tbody>
</table>
</section>
</body>
</html>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Builds per measure; the median is reported.")
    parser.add_argument("--database-url", help="Benchmark this database instead of a throwaway SQLite file.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child: monthly, quarterly or weasyprint
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.measure, options.runs)))
        return

    load_before = os.getloadavg()
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
        results["quarterly"] = child(env, "quarterly", options.runs)
        print(json.dumps(results["quarterly"], indent=1), flush=True)
        results["weasyprint"] = child(env, "weasyprint", 1)
        print(json.dumps(results["weasyprint"], indent=1), flush=True)
    load = {"before": load_before, "after": os.getloadavg()}
    print(json.dumps({"load_average": load}), flush=True)

    where = database if options.database_url else f"{database} (a throwaway file)"
    section = render(results, runs=options.runs, database=where, load=load)
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


class Steps:
    """Where a report build's time goes: times `reporting.pdf.render`'s steps (and chart export) while
    builds run, by wrapping the module functions the build looks up. The body's layout is the
    `render_html` outside `join` (inside it: the page-number stamp, counted in the join)."""

    NAMES = ("charts", "body", "table", "join")

    def __init__(self) -> None:
        from reporting.pdf import charts, render

        self._wrapped = [
            (charts, "svg", "charts"),
            (render, "render_html", "body"),
            (render, "appendix_pdf", "table"),
            (render, "join", "join"),
        ]
        self._joining = False
        self.current: dict[str, float] = {}

    def __enter__(self) -> Steps:
        self._originals = [(module, name, getattr(module, name)) for module, name, _step in self._wrapped]
        for (module, name, step), (_m, _n, original) in zip(self._wrapped, self._originals, strict=True):
            setattr(module, name, self._wrap(step, original))
        return self

    def __exit__(self, *exc) -> None:
        for module, name, original in self._originals:
            setattr(module, name, original)

    def _wrap(self, step: str, original):
        def timed(*args, **kwargs):
            if step == "body" and self._joining:
                return original(*args, **kwargs)
            self._joining = self._joining or step == "join"
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.current[step] = self.current.get(step, 0.0) + time.perf_counter() - started
                if step == "join":
                    self._joining = False

        return timed

    def timed(self, function, runs: int) -> tuple[float, object, dict[str, float]]:
        """Like `_timed`, with the median of each step over the runs, and `rest` (the total less them:
        gathering the figures, Django's templates)."""
        totals, builds, result = [], [], None
        for _run in range(runs):
            self.current = {}
            started = time.perf_counter()
            result = function()
            totals.append(time.perf_counter() - started)
            build = {name: self.current.get(name, 0.0) for name in self.NAMES}
            build["rest"] = totals[-1] - sum(build.values())
            builds.append(build)
        steps = {name: statistics.median(build[name] for build in builds) for name in (*self.NAMES, "rest")}
        return statistics.median(totals), result, steps


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
    kind = "monthly" if what == "monthly" else "quarterly"
    today = timezone.localdate()
    period = Period.containing(Report.PERIODIC[kind], today).previous()
    report = Report(kind=kind, language="fr", period=period.start)  # never saved: nothing is stored
    measures = {"monthly": measure_monthly, "quarterly": measure_quarterly, "weasyprint": measure_weasyprint}
    figures = measures[what](report, runs)
    from reporting.pdf import charts

    charts.stop()
    figures["peak_mb"] = memory.stop()
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return figures


def measure_monthly(report, runs: int) -> dict:
    from planning.charts import roadmap_figure
    from planning.roadmap import grouped
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
    main = dashboard_charts.roadmap_rows(snapshot)
    figures.load_milestones(main)
    dashboard = [
        (dashboard_charts.rag_by_directorate_figure(snapshot), common.HALF),
        (dashboard_charts.budget_by_portfolio_figure(snapshot, currency="MAD"), common.HALF),
        (roadmap_figure(grouped(main, {row.pk: row.milestones for row in main}, on=on)), common.FULL),
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
    with Steps() as steps:
        build, rendered, breakdown = steps.timed(lambda: kinds.build(report), runs)
    exported, in_build = charts_in(report)
    return {
        "projects": len(snapshot.rows),
        "kaleido_start": kaleido_start,
        "first_chart": first_chart,
        "five_charts_warm": charts_warm,
        "build": build,
        "steps": breakdown,
        "pages": rendered.pages,
        "charts_in_build": in_build,
        "charts_exported": exported,
    }


def charts_in(report) -> tuple[int, int]:
    """How many of the monthly report's charts were exported as SVG, of how many its content holds."""
    from django.utils import translation

    from reporting.pdf import kinds
    from reporting.pdf.content.common import Chart

    with translation.override(report.language):
        context = kinds.KINDS[report.kind].context(report)
    values = list(context.values())
    for value in context.values():
        if isinstance(value, dict):
            values += value.values()
        elif isinstance(value, list):
            values += value
    found = [value for value in values if isinstance(value, Chart)]
    return sum(bool(chart.svg) for chart in found), len(found)


def quarterly_rows(report) -> tuple[object, dict, list]:
    from django.utils import translation

    from reporting.pdf import kinds

    kind = kinds.KINDS[report.kind]
    with translation.override(report.language):
        context = kind.context(report)
    return kind, context, list(context[kind.appendix.rows])


def measure_quarterly(report, runs: int) -> dict:
    from reporting.pdf import charts, kinds, render

    kind, context, rows = quarterly_rows(report)
    thousand = [rows[index % len(rows)] for index in range(1000)]
    # The quarterly holds the monthly's charts: kaleido warm, as a worker's is after its first report.
    assert charts.start(), "chart export is unavailable (kaleido, /usr/bin/chromium)"
    assert charts.svg({"data": [{"type": "bar", "x": ["a"], "y": [1]}]}, width=300, height=200)

    def table(lines) -> render.Rendered:
        lines_context = {**context, kind.appendix.rows: lines}
        return render.appendix_pdf(kind.appendix, lines_context, language=report.language)

    figures: dict = {"rows": len(rows), "exceptions": len(context.get("exceptions") or [])}
    for label, lines in (("active", rows), ("1000", thousand)):
        figures[f"table_{label}"], drawn = _timed(lambda lines=lines: table(lines), runs)
        figures[f"table_pages_{label}"] = drawn.pages
    with Steps() as steps:
        total, whole, breakdown = steps.timed(lambda: kinds.build(report), runs)
    figures.update(quarterly=total, quarterly_steps=breakdown)
    figures["quarterly_pages"] = whole.pages
    return figures


def measure_weasyprint(report, _runs: int) -> dict:
    """The 1,000 rows as one WeasyPrint document, once: what ReportLab replaced."""
    from django.template import engines
    from django.utils import translation

    from reporting.pdf import render

    kind, context, rows = quarterly_rows(report)
    thousand = [rows[index % len(rows)] for index in range(1000)]
    template = engines["django"].from_string(WEASYPRINT_TABLE)
    started = time.perf_counter()
    with translation.override(report.language):
        html = template.render({**context, "table": thousand, "appendix_title": str(kind.appendix.title)})
    templates = time.perf_counter() - started
    started = time.perf_counter()
    rendered = render.render_html(html)
    return {
        "rows": len(thousand),
        "templates": templates,
        "layout": time.perf_counter() - started,
        "pages": rendered.pages,
    }


# --- The section ----------------------------------------------------------------------------------------


def render(results: dict[str, dict], *, runs: int, database: str, load: dict) -> str:
    monthly, quarterly, weasy = results["monthly"], results["quarterly"], results["weasyprint"]
    cpus = len(os.sched_getaffinity(0))
    # Before, the load is other work's; at the end it also holds this script's own (about one core).
    shared = load["before"][0] >= 0.5
    loaded = (
        f"The load average (1, 5, 15 minutes) was {_load(load['before'])} before it started and "
        f"{_load(load['after'])} when it ended (this script's own processes included), on {cpus} cores: "
        + (
            "the machine was shared with other work while this ran, so the times are noisy (seconds either "
            "way); compare within one run rather than across."
            if shared
            else "a quiet machine."
        )
    )
    ms, qs = monthly["steps"], quarterly["quarterly_steps"]
    lines = [
        SECTION,
        "",
        f"`benchmarks/reports.py --runs {runs}`, {datetime.date.today():%Y-%m-%d}, on {database}, DEBUG off, "
        f"WeasyPrint for the bodies, ReportLab for the portfolio tables, kaleido with Debian's Chromium. "
        f"Median of {runs} builds in a fresh process, as a worker builds them (the WeasyPrint table: one "
        f"build). {loaded} Peak memory: the largest sum, sampled every 100 ms, of the measuring process's "
        "resident memory and its descendants' proportional set size (shared pages counted in shares: "
        "Chromium's processes).",
        "",
        f"### Monthly report, `seed_demo --projects 200` ({monthly['projects']} active projects)",
        "",
        "| Step | Time (s) | Target (s) |",
        "|---|---:|---:|",
        f"| Start kaleido (once per worker process) | {monthly['kaleido_start']:.2f} | |",
        f"| First chart | {monthly['first_chart']:.2f} | |",
        f"| The dashboard's five charts, warm | {monthly['five_charts_warm']:.2f} | |",
        f"| Monthly report, warm ({monthly['pages']} pages, {monthly['charts_exported']} of "
        f"{monthly['charts_in_build']} charts exported) | {monthly['build']:.2f} "
        f"| {TARGETS['monthly']:.0f} |",
        "",
        f"Where the monthly's time goes (medians of each step): {_steps(ms)}. Peak memory "
        f"{monthly['peak_mb']} MB (target {TARGETS['memory']}), maxrss of the Python process "
        f"{monthly['maxrss_mb']} MB: the rest is Chromium.",
        "",
        "### Quarterly report and its portfolio table, `seed_demo --projects 1000` "
        f"({quarterly['rows']} active projects)",
        "",
        "| What | Rows | Pages | Time (s) | Target (s) |",
        "|---|---:|---:|---:|---:|",
        f"| Portfolio table, ReportLab | {quarterly['rows']:,} | {quarterly['table_pages_active']} "
        f"| {quarterly['table_active']:.2f} | |",
        f"| Portfolio table, ReportLab | 1,000 | {quarterly['table_pages_1000']} "
        f"| {quarterly['table_1000']:.2f} | {TARGETS['table']:.0f} |",
        f"| The same table laid out by WeasyPrint as HTML (one build, for comparison) | {weasy['rows']:,} "
        f"| {weasy['pages']} | {weasy['layout']:.2f} | |",
        f"| Whole quarterly: body, table, joined and numbered | {quarterly['rows']:,} "
        f"| {quarterly['quarterly_pages']} | {quarterly['quarterly']:.2f} | |",
        "",
        f"\"1,000\" cycles the active projects' rows to 1,000, the issue's comparison: Redmine 5.0's "
        f"1,000-row PDF export takes {REDMINE_1000_ROWS} s on this machine, the target is about "
        f"{TARGETS['table']:.0f} s. The WeasyPrint figure is its layout alone (the template took "
        f"{weasy['templates']:.2f} s more), of the table the reports printed before ReportLab, kept in the "
        f"script (`WEASYPRINT_TABLE`, with report.css); its process peaked at {weasy['peak_mb']} MB. Where "
        f"the quarterly's time goes (medians of each step, kaleido warm): {_steps(qs)}; its body lists "
        f"{quarterly['exceptions']} exceptions (red or amber, over budget, or not reported) in a table. "
        "Peak memory of the quarterly's "
        f"process {quarterly['peak_mb']} MB (maxrss {quarterly['maxrss_mb']} MB).",
        "",
        *verdict(monthly, quarterly, weasy),
        "",
        "How the report is built: the body is one WeasyPrint document without page numbers; the portfolio "
        "table is drawn by ReportLab's `LongTable` on A4 landscape pages (header row repeated, the same "
        'cells and colours); pypdf joins the two (bookmarks kept), then "Page X of Y" is stamped on every '
        "page from one more WeasyPrint document holding only those margin boxes. No layout processes any "
        "more: one report, one process.",
        "",
    ]
    return "\n".join(lines)


def _load(averages) -> str:
    return " / ".join(f"{value:.2f}" for value in averages)


def _steps(steps: dict[str, float]) -> str:
    names = {
        "charts": "exporting the charts",
        "body": "the body's layout (WeasyPrint)",
        "table": "the table (ReportLab)",
        "join": "joining and numbering",
        "rest": "the rest (figures, templates)",
    }
    return ", ".join(f"{names[name]} {steps[name]:.2f} s" for name in names if steps[name] >= 0.005)


def verdict(monthly: dict, quarterly: dict, weasy: dict) -> list[str]:
    """Against the targets, in words, from the figures above (so that a new run says it afresh)."""

    def against(value: float, target: float, unit: str) -> str:
        digits = 0 if unit == "MB" else 2
        if value <= target:
            return f"meets the target ({value:.{digits}f} {unit} against {target:g})"
        return (
            f"misses the target by {value - target:.{digits}f} {unit} ({value:.{digits}f} against {target:g})"
        )

    # Should the monthly's content hold no exported chart, the build did not pay for them: count them on top.
    charts = 0.0 if monthly["charts_exported"] else monthly["five_charts_warm"]
    peak = max(monthly["peak_mb"], quarterly["peak_mb"])
    table = quarterly["table_1000"]
    return [
        f"- Monthly report at 200 projects with its charts (warm kaleido"
        f"{', the five dashboard charts counted on top' if charts else ''}): "
        f"{against(monthly['build'] + charts, TARGETS['monthly'], 's')}. The first chart of a worker "
        f"process costs {monthly['first_chart']:.1f} s more (Chromium starting), once.",
        f"- The 1,000-row portfolio table drawn by ReportLab: {against(table, TARGETS['table'], 's')}, "
        f"{'faster' if table < REDMINE_1000_ROWS else 'slower'} than Redmine's {REDMINE_1000_ROWS} s; "
        f"WeasyPrint laid the same rows out in {weasy['layout']:.2f} s ({weasy['layout'] / table:.0f} times "
        "as long).",
        f"- The whole quarterly at 1,000 projects took {quarterly['quarterly']:.2f} s, "
        f"{quarterly['quarterly_steps']['table'] / quarterly['quarterly']:.0%} of it the table.",
        f"- Peak memory of a worker's process tree (the larger of the monthly's and the quarterly's): "
        f"{against(peak, TARGETS['memory'], 'MB')}.",
    ]


if __name__ == "__main__":
    main()
