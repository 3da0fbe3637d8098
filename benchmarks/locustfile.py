"""A Monday morning on a committee day, for Locust (headless, loopback only, bounded): run by
`benchmarks/run.py` (benchmarks/load.py) against the running stack at 1,000 projects.

    locust -f benchmarks/locustfile.py --headless --host http://127.0.0.1:PORT -u 50 -r 2 -t 2m

Who does what (the share of the simulated users in brackets), each signed in once through the sign-in
form (django-axes and CSRF are on):

- project managers (40 %), each with a project of their own (BENCH_MANAGERS: "user:code,..."): open
  the status form (for its version and CSRF token), submit their weekly status, look at the project
  page, at My projects;
- people following the committee meeting on the live page (18 %): open it, then poll it every 2 s as
  the page does; and one PMO running it, who moves to the next agenda item every 30 s (so the
  followers' polls bring the page's regions, not only "nothing new");
- executives (16 %): the dashboard, the reports page, download the latest report (one was built by the
  worker before the run);
- others (24 %) on the lists: the portfolio list (first pages, a sort), project pages, the risk
  register, the heatmap, the decision log.

Bounded: BENCH_MAX_REQUESTS (default 50,000) stops the run, whatever its time limit. Only loopback
hosts are accepted.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webclient import forms_of

PASSWORD = "demo"  # noqa: S105 - the published password of the demo logins
MANAGERS = [pair.split(":", 1) for pair in os.environ.get("BENCH_MANAGERS", "pm1:PRJ-0001").split(",")]
MEETING = os.environ.get("BENCH_MEETING", "1")
PROJECTS = os.environ.get("BENCH_PROJECTS", "PRJ-0001").split(",")
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "50000"))
_managers = itertools.cycle(MANAGERS)


@events.test_start.add_listener
def _loopback_only(environment, **_kwargs) -> None:
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"This load test runs against loopback only, not {environment.host!r}")


@events.init.add_listener
def _bounded(environment, **_kwargs) -> None:
    sent = itertools.count(1)

    @environment.events.request.add_listener
    def _count(**_request) -> None:
        if next(sent) == MAX_REQUESTS:
            gevent.spawn(environment.runner.quit)


class Person(HttpUser):
    abstract = True
    login = "pmo"

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="sign-in form")
        form = forms_of(page.text, having="username")
        with self.client.post(
            "/accounts/login/",
            {**form.values(), "username": self.login, "password": PASSWORD},
            name="sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{self.login} could not sign in ({answer.status_code})")

    def page(self, path: str, name: str) -> None:
        self.client.get(path, name=name)

    def post(self, path: str, data: dict, *, name: str, expect: int = 302):
        with self.client.post(
            path,
            data,
            name=name,
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != expect:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")
            return answer


class ProjectManager(Person):
    weight = 20
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.login, self.project = next(_managers)
        super().on_start()

    @task(3)
    def weekly_status(self) -> None:
        path = f"/portfolio/projects/{self.project}/status/"
        form = self.client.get(path, name="status form")
        values = forms_of(form.text, having="based_on").values()
        values["explanation"] = "Load test: nothing changed since last week."
        self.post(path, values, name="status form submit")
        self.page(f"/portfolio/projects/{self.project}/", "project page")

    @task(1)
    def my_projects(self) -> None:
        self.page("/portfolio/mine/", "my projects")


REVISION = re.compile(r'data-revision="(\d+)"')


class MeetingFollower(Person):
    """On the live page, which polls every 2 s: the poll answers 204 while nothing changed."""

    weight = 9
    wait_time = constant(2)

    def on_start(self) -> None:
        super().on_start()
        self.open()

    def open(self) -> None:
        page = self.client.get(f"/governance/meetings/{MEETING}/live/", name="live meeting page")
        found = REVISION.search(page.text)
        self.revision = found.group(1) if found else "0"

    @task
    def poll(self) -> None:
        answer = self.client.get(
            f"/governance/meetings/{MEETING}/live/poll/?rev={self.revision}",
            name="live meeting poll",
            headers={"HX-Request": "true"},
        )
        self.revision = answer.headers.get("X-Live-Revision", self.revision)


class MeetingRunner(MeetingFollower):
    """The PMO at the projector, moving to the next agenda item every 30 s (the revision changes)."""

    fixed_count = 1
    wait_time = constant(2)

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get(f"/governance/meetings/{MEETING}/live/", name="live meeting page")
        shows = sorted(set(re.findall(rf"/governance/meetings/{MEETING}/live/items/(\d+)/show/", page.text)))
        self.items = itertools.cycle(shows or [None])
        self.polls = 0

    @task
    def poll(self) -> None:
        super().poll()
        self.polls += 1
        if self.polls % 15 == 0:
            item = next(self.items)
            if item is not None:
                answer = self.post(
                    f"/governance/meetings/{MEETING}/live/items/{item}/show/",
                    {},
                    name="live meeting: next item",
                    expect=200,
                )
                self.revision = answer.headers.get("X-Live-Revision", self.revision)


class Executive(Person):
    weight = 8
    wait_time = between(5, 15)
    login = "exec"

    @task(3)
    def dashboard(self) -> None:
        self.page("/dashboard/", "dashboard")

    @task(2)
    def reports(self) -> None:
        page = self.client.get("/dashboard/reports/", name="reports page")
        downloads = re.findall(r'href="(/dashboard/reports/\d+/download/)"', page.text)
        if downloads:
            self.page(downloads[0], "report download (PDF)")


class Reader(Person):
    weight = 12
    wait_time = between(3, 10)

    @task(4)
    def portfolio(self) -> None:
        page = random.choice(["", "?page=2", "?page=3", "?sort=rag", "?sort=-end"])  # noqa: S311
        self.page(f"/portfolio/{page}", "portfolio list")

    @task(3)
    def project(self) -> None:
        self.page(f"/portfolio/projects/{random.choice(PROJECTS)}/", "project page")  # noqa: S311

    @task(2)
    def register(self) -> None:
        self.page("/risks/", "risk register")

    @task(1)
    def heatmap(self) -> None:
        self.page("/risks/heatmap/", "risk heatmap")

    @task(1)
    def decisions(self) -> None:
        self.page("/governance/decisions/", "decision log")
