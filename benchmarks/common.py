"""What the benchmark scripts share: running manage.py, describing the machine, writing docs/benchmarks.md."""

from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
REPORT = BASE_DIR / "docs" / "benchmarks.md"


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


def write_section(title: str, section: str, *, database: str) -> None:
    """Replace the section headed `title` (or add it), and refresh the machine line, leaving others be."""
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n\nMachine:\n"
    text = re.sub(r"^Machine:.*$", machine(database), text, count=1, flags=re.MULTILINE)
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", flags=re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text.rstrip("\n") + "\n")
