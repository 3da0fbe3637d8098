"""Throwaway servers for the fault tests: a Redis and a PostgreSQL cluster of the test's own (on free
ports, in temporary directories, stopped and started at will, removed at the end), the app under gunicorn
and a Celery worker, each a process of its own with its log kept for the failure message.

The shared PostgreSQL and Redis of the machine are never stopped: other test runs use them.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A child process whose output goes to a log file read back when something goes wrong."""

    def __init__(self, name: str, command: list[str], *, log_dir: Path, env: dict | None = None) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self.log = self.log_path.open("a")
        self.since = self.log.tell()  # a process started again appends to the same log
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, text=True
        )

    def output(self) -> str:
        self.log.flush()
        with self.log_path.open(errors="replace") as log:
            log.seek(self.since)
            return log.read()

    def wait_for_output(self, text: str, *, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.output():
            if self.popen.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{self.name} did not say {text!r}:\n{self.output()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.log.close()


class RedisServer:
    """A redis-server on a free port, without persistence, that a test stops and starts again."""

    def __init__(self, directory: Path) -> None:
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is not installed (bin/setup --dev installs it)")
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: Process | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.directory)]
        self.process = Process("redis", command, log_dir=self.directory)
        self.process.wait_for_output("Ready to accept connections", seconds=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


def postgres_bin() -> Path:
    """The newest installed PostgreSQL server's programs (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3]))
    if not found:
        pytest.fail(
            "The PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): "
            "bin/setup --dev installs the Debian package postgresql"
        )
    return found[-1].parent


class PostgresCluster:
    """A PostgreSQL cluster in a temporary directory, on a free port, trusting local connections.

    initdb and the server refuse to run as root: as root (CI), they run as the `postgres` system user,
    which owns the directory."""

    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.directory = Path(tempfile.mkdtemp(prefix="pmo-faults-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        # Speed over durability: the cluster lives for one test.
        self.options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        command = [*self.as_user, str(self.bin / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            pytest.fail(f"{program} {' '.join(args)} failed:\n{done.stdout}{done.stderr}\n{log}")

    def _pg_ctl(self, action: str, *args: str) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self.options, "-w", *args, action
        )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "-N")

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        """Stop the server, ending every connection (fast mode: as when it is restarted for an update),
        and start it again."""
        self._pg_ctl("restart", "-m", "fast")

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def remove(self) -> None:
        with suppress(Exception):
            self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def app_environment(**overrides: str) -> dict[str, str]:
    """The environment of the app's processes: the test's settings where they matter, development
    mode (no collected static files), no Chromium for the reports' charts."""
    return {
        **os.environ,
        "DEBUG": "true",
        "HTTPS": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions signed in by the test process are valid there
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REPORT_CHARTS": "false",
        "LOG_LEVEL": "INFO",
        **overrides,
    }


@contextmanager
def gunicorn(
    env: dict[str, str], *, log_dir: Path, threads: int = 4, options: tuple[str, ...] = ()
) -> Iterator[str]:
    """The app under gunicorn (one process) on a free port, with these command-line options too; yields
    its base URL once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "pmo.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "5"]
    command += ["--no-control-socket"]  # its default path is shared by every gunicorn of the user
    command += options
    process = Process("gunicorn", command, log_dir=log_dir, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or its first answer slow
                if process.popen.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{process.output()}")
                time.sleep(0.2)
        yield base
    except BaseException:
        print(process.output())  # shown by pytest beside the failure
        raise
    finally:
        process.stop()


@contextmanager
def celery_worker(env: dict[str, str], *, log_dir: Path) -> Iterator[Process]:
    """A Celery worker (solo pool) on the default queue of the broker in `env`, once it is ready."""
    name = f"faults-{secrets.token_hex(4)}@integration"
    command = [sys.executable, "-m", "celery", "-A", "pmo", "worker", "--pool=solo", "--without-gossip"]
    command += ["--without-mingle", "--loglevel=INFO", "-n", name]
    process = Process("worker", command, log_dir=log_dir, env=env)
    try:
        process.wait_for_output(f"{name} ready.", seconds=40)
        yield process
    except BaseException:
        print(process.output())
        raise
    finally:
        process.stop()


def browser_session(user) -> requests.Session:
    """An HTTP session signed in as `user` (a session row written by the test process, in the database
    the server reads) that sends the CSRF token as a browser would, and follows no redirect."""
    client = Client()
    client.force_login(user)
    return signed_in(client.cookies[settings.SESSION_COOKIE_NAME].value)


def signed_in(session_key: str) -> requests.Session:
    """An HTTP session with this session key, as `browser_session`."""
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, session_key)
    token = secrets.token_hex(16)  # 32 characters: a CSRF secret, sent unmasked in the form
    session.cookies.set(settings.CSRF_COOKIE_NAME, token)
    session.headers["Accept-Language"] = "en"
    session.csrf_token = token  # type: ignore[attr-defined]
    return session


def get(session: requests.Session, url: str, **kwargs) -> requests.Response:
    return session.get(url, allow_redirects=False, **kwargs)


def post(session: requests.Session, url: str, data: dict, **kwargs) -> requests.Response:
    return session.post(
        url, data={**data, "csrfmiddlewaretoken": session.csrf_token}, allow_redirects=False, **kwargs
    )
