"""The real stack for a benchmark run, all of it throwaway: a PostgreSQL database of its own on the local
server, a redis-server of its own on a free loopback port, gunicorn (2 workers, `pmo.wsgi`) and a Celery
worker, each process in a process group of its own, all stopped (and the database dropped) on the way
out, whatever the way out is (an error, Ctrl-C, SIGTERM: `benchmarks/run.py` turns signals into
exceptions).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import BASE_DIR
from webclient import Browser

BIN = Path(sys.executable).parent
BENCHMARKS = Path(__file__).resolve().parent
# gunicorn's access log, one line a request: method, path, status, microseconds in the server, the
# benchmark's request id, the query count (benchmarks/querycount.py).
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %({x-bench-id}i)s %({x-queries}o)s"
DATABASE_NAME = re.compile(r"^pmo_bench_\d+$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    def __init__(self, *, scratch: Path, postgres: str, say: Callable[[str], None] = print) -> None:
        self.scratch = scratch
        self.say = say
        self.server_url = postgres.rstrip("/")
        self.database = f"pmo_bench_{os.getpid()}"
        self.database_url = f"{self.server_url}/{self.database}"
        self.redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.web_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.web_port}"
        self.access_log = scratch / "access.log"
        self._created_database = False
        self._processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCHMARKS), str(BASE_DIR)]),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(scratch / "media"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(scratch / "celerybeat-schedule"),
        }

    # --- Lifetime ---------------------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for name in reversed(list(self._processes)):
            self.stop(name)
        if self._created_database:
            self.say(f"Dropping the database {self.database}")
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self._created_database = False

    # --- PostgreSQL -------------------------------------------------------------------------------------

    def _admin(self, sql: str) -> None:
        import psycopg

        # Only ever the database this run made, by a name nobody else uses (its process id).
        assert DATABASE_NAME.match(self.database), self.database
        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)

    def create_database(self) -> None:
        self.say(f"Creating the database {self.database} on {self.server_url}")
        self._admin(f'CREATE DATABASE "{self.database}"')
        self._created_database = True

    def analyze(self) -> None:
        """VACUUM ANALYZE, as autovacuum does on a database in use: right after seed_demo's bulk inserts
        PostgreSQL has no statistics (it guessed 3 active projects where there are 667 and planned the
        dashboard's queries twice as slow) and no visibility map (no index-only scans)."""
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")

    def postgres_version(self) -> str:
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    # --- Processes --------------------------------------------------------------------------------------

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.scratch / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, stopped as a whole
        )
        self._processes[name] = process
        return process

    def stop(self, name: str) -> None:
        process = self._processes.pop(name, None)
        if process is None:
            return
        self.say(f"Stopping {name} (process group {process.pid})")
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # Whatever the group left behind (Chromium under the worker): the group goes as a whole.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def pid(self, name: str) -> int:
        return self._processes[name].pid

    def log(self, name: str) -> str:
        path = self.scratch / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def _check(self, name: str) -> None:
        process = self._processes.get(name)
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)}")

    def start_redis(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
        self.say(f"Starting a throwaway redis-server on 127.0.0.1:{self.redis_port}")
        self._start(
            "redis",
            [
                server,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.scratch),
            ],
        )
        import redis

        deadline = time.monotonic() + 20
        while True:
            self._check("redis")
            try:
                redis.Redis.from_url(self.redis_url, socket_timeout=1).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def manage(self, *args: str) -> str:
        completed = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
        )
        if completed.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
        return completed.stdout

    def python(self, code: str) -> str:
        """Run `code` with Django set up on the benchmark's database; its standard output."""
        completed = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=BASE_DIR,
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
        )
        if completed.returncode:
            raise RuntimeError(f"a probe failed:\n{completed.stderr}")
        return completed.stdout

    def start_worker(self) -> None:
        self.say("Starting a Celery worker (concurrency 1)")
        self._start(
            "worker",
            [str(BIN / "celery"), "-A", "pmo", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
        )

    def start_web(self) -> None:
        self.say(f"Starting gunicorn, 2 workers, on {self.base_url}")
        self._start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "pmo.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                ACCESS_FORMAT,
            ],
        )

    def wait_healthy(self, timeout: float = 90) -> dict:
        """Until /healthz says the database, the broker and a worker are all there."""
        import json

        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            self._check("gunicorn")
            self._check("worker")
            try:
                answer = Browser(self.base_url).get("/healthz")
                state = json.loads(answer.body)
                if answer.status == 200 and state.get("status") == "ok":
                    return state
                last = str(state)
            except (OSError, ValueError) as error:  # not listening yet, or not JSON yet
                last = str(error)
            time.sleep(0.5)
        raise RuntimeError(f"the stack did not become healthy: {last}\n{self.log('gunicorn')}")
