"""The peer to beat: Redmine 5.0's figures on this machine at 1,000 projects (given in issue 10, not
measured here: Debian's package, PostgreSQL, two application processes), against ours at the same N and
concurrency on gunicorn with two workers.

- the paginated project list: requests per second and latency at one client, then at ten clients
  (each a signed-in session of its own, each sending its next request as soon as the last one is
  answered, for `seconds`);
- "the 1,000-project page in a single request": Redmine's project board lists all 1,000 projects on
  one page; ours has no such page by design (the list is paginated), so its closest is the dashboard,
  which reads the whole portfolio at a glance;
- "the full 1,000-project table": Redmine's project table at 1,000 rows per page. Ours offers the whole
  filtered table only as the list's export (there is no "show all": the list is paginated); the CSV
  export is the comparison (the same rows and columns, the same joins and labels, without the HTML
  markup), its query count taken at every N from the Pages table.
"""

from __future__ import annotations

import threading
import time

from pages import PAGES, PASSWORD
from stack import Stack
from webclient import Browser, median, percentile, served_all

SECTION = "## The peer to beat: Redmine 5.0"
LIST = "/portfolio/"
REDMINE = {
    "list_ms": (89, 140),
    "rps_1": 10.8,
    "page_1000_ms": 420,
    "table_ms": 2000,
    "table_queries": 1018,
    "rps_10": 4.4,
    "p99_10_ms": 2400,
}
TARGET_RATIO = 5  # times Redmine's requests per second on the paginated list


def load(stack: Stack, path: str, *, clients: int, seconds: float) -> dict:
    """`clients` sessions requesting `path` back to back for `seconds`: throughput and latencies."""
    browsers = []
    for _client in range(clients):
        browser = Browser(stack.base_url)
        browser.login("pmo", PASSWORD)
        for _warm_up in range(2):
            browser.get(path)
        browsers.append(browser)
    latencies: list[float] = []
    tags: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(browser: Browser) -> None:
        start.wait()
        while time.perf_counter() < deadline:
            answer = browser.get(path)
            with lock:
                if answer.status != 200:
                    errors.append(str(answer.status))
                latencies.append(answer.client_ms)
                tags.append(answer.bench_id)

    threads = [threading.Thread(target=client, args=(browser,)) for browser in browsers]
    deadline = time.perf_counter() + 3600  # set for real just before the start
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    log = served_all(stack.access_log, tags)
    server = [log[tag].server_ms for tag in tags]
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "median": median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "server_median": median(server),
    }


def measure(stack: Stack, *, seconds: float, say=print) -> dict:
    results = {}
    for clients in (1, 10):
        results[f"list_{clients}"] = row = load(stack, LIST, clients=clients, seconds=seconds)
        say(
            f"  project list, {clients:>2} client(s): {row['rps']:.1f} requests/s, "
            f"median {row['median']:.1f} ms, "
            f"p99 {row['p99']:.1f} ms, {row['errors']} errors"
        )
    return results


def render(peer: dict, pages: dict[int, list[dict]], *, size: int, seconds: float) -> str:
    one, ten = peer["list_1"], peer["list_10"]
    by_name = {row["page"]: row for row in pages[size]}
    dashboard = by_name[PAGES[0].name]
    csv_page = next(page for page in PAGES if "CSV" in page.name)
    table = by_name[csv_page.name]
    table_queries = " / ".join(f"{rows[PAGES.index(csv_page)]['queries']}" for rows in pages.values())
    sizes = " / ".join(f"{n:,}" for n in pages)
    r = REDMINE
    smaller = "" if size >= 1000 else f" **(this run: {size:,} projects, not 1,000)**"
    lines = [
        SECTION,
        "",
        f"Redmine's figures are those of issue 10 (measured on this machine at 1,000 projects: Debian's "
        f"Redmine 5.0, PostgreSQL, two application processes); ours at {size:,} projects{smaller}, "
        f"gunicorn with two workers. Requests per second: each client a signed-in session sending its "
        f"next request as soon as the last is answered, for {seconds:.0f} s (after 2 warm-up requests "
        f"each); latencies at the client, on loopback. The paginated list is the portfolio list's first "
        f"page, 25 rows (`portfolio.views.lists.PAGE_SIZE`, as Redmine's 25). Redmine's "
        f'"1,000-project page" is its project board, every project on one page; ours has no such page '
        f"(the list is paginated): the closest is the dashboard, which reads the whole portfolio at a "
        f'glance. For the full 1,000-row table ours offers no "show all" either: the whole filtered, '
        f"sorted table comes as the list's export, and the CSV export is the comparison (the same rows, "
        f"columns, joins and labels as a table, without the HTML), its queries counted at every N.",
        "",
        "| Measure | Redmine 5.0 | Ours | Ratio |",
        "|---|---:|---:|---:|",
        f"| Paginated list, 1 client: latency | {r['list_ms'][0]}-{r['list_ms'][1]} ms "
        f"| median {one['median']:.0f} ms (p95 {one['p95']:.0f}) "
        f"| {r['list_ms'][0] / one['median']:.1f}x faster |",
        f"| Paginated list, 1 client: requests/s | {r['rps_1']} | {one['rps']:.1f} "
        f"| {one['rps'] / r['rps_1']:.1f}x |",
        f"| Paginated list, 10 clients: requests/s | {r['rps_10']} | {ten['rps']:.1f} "
        f"| {ten['rps'] / r['rps_10']:.1f}x |",
        f"| Paginated list, 10 clients: p99 | {r['p99_10_ms'] / 1000:.1f} s | {ten['p99']:.0f} ms "
        f"| {r['p99_10_ms'] / ten['p99']:.1f}x shorter |",
        f"| The 1,000-project page, one request (ours: the dashboard) | {r['page_1000_ms']} ms "
        f"| {dashboard['median']:.0f} ms (server median) "
        f"| {r['page_1000_ms'] / dashboard['median']:.1f}x faster |",
        f"| Full 1,000-project table (ours: the CSV export) | {r['table_ms'] / 1000:.1f} s, "
        f"{r['table_queries']:,} queries "
        f"| {table['median']:.0f} ms (server median), {table['queries']} queries "
        f"| {r['table_ms'] / table['median']:.1f}x faster |",
        "",
        f"Queries of the CSV export at {sizes} projects: {table_queries}. Errors during the runs: "
        f"{one['errors']} at one client ({one['requests']:,} requests), {ten['errors']} at ten "
        f"({ten['requests']:,}). Server median (gunicorn) of the list: {one['server_median']:.1f} ms at "
        f"one client, {ten['server_median']:.1f} ms at ten.",
        "",
        *verdict(one, ten, table, size),
    ]
    return "\n".join(lines) + "\n"


def verdict(one: dict, ten: dict, table: dict, size: int) -> list[str]:
    lines = []
    for row, theirs, label in (
        (one, REDMINE["rps_1"], "one client"),
        (ten, REDMINE["rps_10"], "ten clients"),
    ):
        ratio = row["rps"] / theirs
        lines.append(
            f"- Requests/s on the paginated list at {label}: {ratio:.1f} times Redmine's "
            + (
                f"(the target of {TARGET_RATIO} times holds)."
                if ratio >= TARGET_RATIO
                else f"(the target of {TARGET_RATIO} times is missed: {theirs * TARGET_RATIO:.0f} needed)."
            )
        )
    held = table["median"] < 500
    lines.append(
        f"- The full {size:,}-project table (CSV export) in {table['median']:.0f} ms: "
        + (
            "under 500 ms, the target."
            if held
            else f"over the 500 ms target by {table['median'] - 500:.0f} ms."
        )
    )
    return lines
