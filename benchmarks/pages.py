"""The main pages on the real stack: each page's query count and its server time, median and p95, over HTTP.

Called by `benchmarks/run.py` for each N, with the stack running and the demo data seeded. Each page is
opened by the demo login who uses it (signed in through the form), 3 warm-up requests, then
`requests` timed ones, one after the other. The server time of a request is gunicorn's own (its
access log's %(D)s: from reading the request to writing the response, so the client's overhead is
left out); the client's round trip on loopback is shown beside it. The query count comes from the
`X-Queries` header (benchmarks/querycount.py): the count of most of the timed requests (a session is
renewed at most once a minute, one query more, pmo.middleware).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from stack import Stack
from webclient import Browser, forms_of, median, percentile, served_all

SECTION = "## Pages"
PASSWORD = "demo"  # noqa: S105 - the published password of the demo logins
TARGET = 150  # ms, the median of every page at 1,000 projects
LIST_TARGET = 50  # ms, the paginated portfolio list
TABLE_TARGET = 500  # ms, the whole 1,000-project table (the export)
ROADMAP_TARGET = 300  # ms, the roadmap: every project as a bar, with its milestones
# ms, issue 20: the fiscal year's money of every project (1,000 x 24 months x 2 categories, three kinds),
# and the heatmap of every directorate x 10 roles x its months against every project's demand.
MONEY_PEOPLE_TARGET = 300


@dataclass(frozen=True)
class Page:
    name: str
    login: str
    path: str  # {project}: the project manager's project; {meeting}: the meeting under way
    target: int
    kind: str = "get"  # "submit": the status form's POST; "poll" / "poll-changed": the live page's poll
    # The page's URL name: when given, the page is measured only if the name resolves (to `path`) in the
    # code under test, and listed as skipped otherwise (a page another branch is still building).
    url_name: str = ""


PAGES = [
    Page("Dashboard", "exec", "/dashboard/", TARGET),
    Page("Portfolio list, first page (25 rows)", "pmo", "/portfolio/", LIST_TARGET),
    Page("Project page", "pmo", "/portfolio/projects/{project}/", TARGET),
    Page("My projects", "{pm}", "/portfolio/mine/", TARGET),
    Page("Status form (GET)", "{pm}", "/portfolio/projects/{project}/status/", TARGET),
    Page(
        "Status form submit (POST, a valid weekly status)",
        "{pm}",
        "/portfolio/projects/{project}/status/",
        TARGET,
        "submit",
    ),
    Page("Live meeting page", "pmo", "/governance/meetings/{meeting}/live/", TARGET),
    Page(
        "Live meeting poll, nothing new (204)",
        "pmo",
        "/governance/meetings/{meeting}/live/poll/",
        TARGET,
        "poll",
    ),
    Page(
        "Live meeting poll, after a change (all regions)",
        "pmo",
        "/governance/meetings/{meeting}/live/poll/?rev=0",
        TARGET,
        "poll-changed",
    ),
    Page("Decision log", "pmo", "/governance/decisions/", TARGET),
    Page("Risk register", "pmo", "/risks/", TARGET),
    Page("Risk heatmap", "pmo", "/risks/heatmap/", TARGET),
    Page("Reports page", "exec", "/dashboard/reports/", TARGET),
    # Every project of the portfolio drawn at once (issue 19: under 300 ms at 1,000 projects).
    Page("Portfolio roadmap (every project)", "pmo", "/planning/roadmap/", ROADMAP_TARGET),
    Page("Project plan page", "{pm}", "/portfolio/projects/{project}/plan/", TARGET),
    Page("Dependency map (every dependency)", "pmo", "/planning/dependencies/", TARGET),
    Page("Portfolio list, CSV export (every project)", "pmo", "/portfolio/?export=csv", TABLE_TARGET),
    Page("Portfolio list, XLSX export (every project)", "pmo", "/portfolio/?export=xlsx", TABLE_TARGET),
    # Issue 20: money by month and people by role, over the whole portfolio.
    Page(
        "Financial view (fiscal year, every project)",
        "pmo",
        "/finance/",
        MONEY_PEOPLE_TARGET,
        url_name="finance:view",
    ),
    Page(
        "Allocation heatmap (directorates x roles x months)",
        "pmo",
        "/resources/",
        MONEY_PEOPLE_TARGET,
        url_name="resources:heatmap",
    ),
]

FACTS = """
import json
from django.urls import NoReverseMatch, reverse
from django.db.models import Count, Q
from governance.models import Meeting
from portfolio.models import Project

active = Project.objects.filter(state=Project.State.ACTIVE)
mine = active.filter(project_manager__username="pm1").annotate(m=Count("milestones"))
project = mine.order_by("-m", "code").first() or active.order_by("code").first()
meeting = (
    Meeting.objects.exclude(state=Meeting.State.CLOSED).annotate(n=Count("items"))
    .order_by("-n", "starts_at").first()
)
def resolved(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
urls = {name: resolved(name) for name in URL_NAMES}
# One active project per project manager, for the load test's simulated managers.
pairs, seen = [], set()
for code, username in active.order_by("code").values_list("code", "project_manager__username"):
    if username and username not in seen:
        seen.add(username)
        pairs.append([username, code])
print(json.dumps({
    "pm": project.project_manager.username, "project": project.code,
    "meeting": meeting.pk if meeting else None, "meeting_state": meeting.state if meeting else None,
    "meeting_items": meeting.n if meeting else 0, "managers": pairs,
    "projects": Project.objects.count(), "urls": urls,
}))
"""


def facts(stack: Stack) -> dict:
    names = sorted({page.url_name for page in PAGES if page.url_name})
    return json.loads(stack.python(f"URL_NAMES = {names!r}\n" + FACTS).strip().splitlines()[-1])


def skipped(page: Page, found: dict) -> str:
    """Why `page` is not measured ("" when it is): its URL name does not resolve in the code under test."""
    if not page.url_name:
        return ""
    path = found.get("urls", {}).get(page.url_name)
    if path is None:
        return f"URL name {page.url_name} does not resolve: not built yet"
    if path != page.path.split("?")[0]:
        return f"URL name {page.url_name} resolves to {path}, not {page.path}: update benchmarks/pages.py"
    return ""


class People:
    """One signed-in browser per demo login, made on first use."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._browsers: dict[str, Browser] = {}

    def __call__(self, login: str) -> Browser:
        if login not in self._browsers:
            browser = Browser(self.base_url)
            browser.login(login, PASSWORD)
            self._browsers[login] = browser
        return self._browsers[login]


def start_meeting(people: People, found: dict) -> None:
    """The live page is measured as it is used: during the meeting (the PMO starts the planned one)."""
    if found["meeting"] is None:
        raise RuntimeError("the demo data has no meeting to run")
    if found["meeting_state"] == "planned":
        answer = people("pmo").post(f"/governance/meetings/{found['meeting']}/start/", {})
        if answer.status != 302:
            raise RuntimeError(f"the meeting did not start: {answer.status} {answer.text[:300]}")


REVISION = re.compile(r'id="live-poller"[^>]*data-revision="(\d+)"')


def measure(stack: Stack, found: dict, *, requests: int, say=print) -> list[dict]:
    people = People(stack.base_url)
    start_meeting(people, found)
    rows = []
    for page in PAGES:
        reason = skipped(page, found)
        if reason:
            rows.append({"page": page.name, "skipped": reason, "target": page.target})
            say(f"  {page.name:<52} skipped: {reason}")
            continue
        login = page.login.format(**found)
        path = page.path.format(**found)
        browser = people(login)
        if page.kind == "poll":
            live = browser.get(f"/governance/meetings/{found['meeting']}/live/").text
            path += f"?rev={REVISION.search(live).group(1)}"
        tags = []
        for number in range(3 + requests):
            if page.kind == "submit":
                tag = submit_status(browser, path)
                size_kb = 0.0  # a redirect
            else:
                answer = browser.get(path)
                expected = 204 if page.kind == "poll" else 200
                if answer.status != expected:
                    raise RuntimeError(f"{path} as {login} answered {answer.status}: {answer.text[:300]}")
                tag = (answer.bench_id, answer.client_ms)
                size_kb = len(answer.body) / 1024
            if number >= 3:
                tags.append(tag)
        log = served_all(stack.access_log, [bench_id for bench_id, _client in tags])
        server = [log[bench_id].server_ms for bench_id, _client in tags]
        counts = Counter(log[bench_id].queries for bench_id, _client in tags)
        row = {
            "page": page.name,
            "queries": counts.most_common(1)[0][0],
            "query_counts": sorted(count for count in counts if count is not None),
            "median": median(server),
            "p95": percentile(server, 0.95),
            "client_median": median([client for _bench_id, client in tags]),
            "size_kb": size_kb,
            "target": page.target,
        }
        rows.append(row)
        say(
            f"  {page.name:<52} {row['queries']:>3} queries  server median {row['median']:7.1f} ms  "
            f"p95 {row['p95']:7.1f} ms  (client {row['client_median']:.1f} ms)"
        )
    return rows


def submit_status(browser: Browser, path: str) -> tuple[str, float]:
    """Open the status form (for its version and CSRF token), then submit it: the project's figures as
    they are, with an explanation (one is required when a rating is amber or red)."""
    form = forms_of(browser.get(path).text, having="based_on")
    values = {**form.values(), "explanation": "Benchmark: nothing changed since last week."}
    answer = browser.post(path, values)
    if answer.status != 302:
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)<', answer.text, flags=re.DOTALL)
        raise RuntimeError(f"the status was not saved: {answer.status} {errors or answer.text[:300]}")
    return answer.bench_id, answer.client_ms


def render(results: dict[int, list[dict]], *, requests: int) -> str:
    sizes = list(results)
    largest = max(sizes)
    lines = [
        SECTION,
        "",
        "On the real stack (gunicorn with 2 sync workers, PostgreSQL, Redis, a Celery worker; DEBUG off), "
        "after `seed_demo --reset --projects N` (a year of weekly status, risks, committees, decisions, "
        "actions, KPIs, money by month and people by role) and a `VACUUM ANALYZE` (the planner's statistics, "
        "as autovacuum keeps them on a "
        f"database in use). Each page is opened by the login who uses it, signed in through the form: 3 "
        f"warm-up requests, then {requests} timed ones, one at a time. *Server* is gunicorn's own time "
        "for the request (its access log's `%(D)s`: from reading the request to writing the response, "
        "so the client's work is left out); *client* is the round trip measured by the benchmark's "
        "client on loopback; *size* is the page's, as sent (the submit answers with a redirect). "
        "*Queries* is exact, from the `X-Queries` header that a middleware of the "
        "benchmark's settings adds (`benchmarks/bench_settings.py`; the count of most requests: a "
        "session is renewed at most once a minute, one query more). The status submit is a POST of "
        "the project manager's form as opened (its version and CSRF token), a new revision each time; "
        "the live meeting is the planned meeting, started by the PMO. Targets: a median under 150 ms "
        "at 1,000 projects for every page, under 50 ms for the paginated portfolio list, under 500 ms "
        "for the whole 1,000-project table (the export), under 300 ms for the financial view and the "
        "allocation heatmap, and the same query count at every N. A page whose URL name does not resolve "
        "in the code measured is listed as skipped.",
        "",
        "| Page | Projects | Queries | Server median (ms) | Server p95 (ms) | Client median (ms) "
        "| Size (KB) | Target (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for index, page in enumerate(PAGES):
        for size in sizes:
            row = results[size][index]
            if row.get("skipped"):
                lines.append(
                    f"| {page.name} | {size:,} | skipped: {row['skipped']} | | | | | {page.target} |"
                )
                continue
            counts = row["query_counts"]
            queries = str(row["queries"]) + (
                f" ({'-'.join(map(str, (counts[0], counts[-1])))})" if len(counts) > 1 else ""
            )
            lines.append(
                f"| {page.name} | {size:,} | {queries} | {row['median']:.1f} | {row['p95']:.1f} "
                f"| {row['client_median']:.1f} | {row['size_kb']:.0f} | {page.target} |"
            )
    lines += ["", *verdict(results, largest)]
    return "\n".join(lines) + "\n"


def verdict(results: dict[int, list[dict]], largest: int) -> list[str]:
    """Against the targets, in words, from the figures (so that a new run says it afresh)."""
    lines = []
    missed = [
        f"{row['page']} ({row['median']:.0f} ms against {row['target']}, "
        f"{row['median'] - row['target']:.0f} ms over)"
        for row in results[largest]
        if not row.get("skipped") and row["median"] > row["target"]
    ]
    at = f"at {largest:,} projects" + ("" if largest >= 1000 else " (not 1,000: the targets are for 1,000)")
    lines.append(
        f"- Server time {at}: "
        + ("every page meets its target." if not missed else "missed by " + "; ".join(missed) + ".")
    )
    if len(results) > 1:
        varying = [
            f"{page.name} ({' / '.join(str(results[size][index]['queries']) for size in results)})"
            for index, page in enumerate(PAGES)
            if len({results[size][index].get("queries") for size in results}) > 1
        ]
        lines.append(
            "- Query count: "
            + (
                "the same at every N for every page."
                if not varying
                else "varies with N for " + "; ".join(varying) + "."
            )
        )
    else:
        lines.append("- Query count: one N only in this run, so its independence of N is not shown here.")
    missing = [row["page"] for row in results[largest] if row.get("skipped")]
    if missing:
        lines.append("- Not measured (their URL names do not resolve yet): " + "; ".join(missing) + ".")
    return lines
