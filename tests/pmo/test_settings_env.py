"""A bad configuration value stops the app at start, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pmo import env

ROOT = Path(__file__).resolve().parents[2]


def start_django(**variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as `manage.py` does at start-up."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update({"SECRET_KEY": "x" * 50, "DEBUG": "false"}, **variables)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysqlish://nowhere"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("DEFAULT_CURRENCY", "dirhams"),
        ("REPORTING_CURRENCY", "£"),
        ("SESSION_IDLE_TIMEOUT", "half an hour"),
    ],
)
def test_a_bad_value_fails_at_start_naming_the_variable(name, value):
    result = start_django(**{name: value})

    assert result.returncode != 0
    assert f"Environment variable {name}=" in result.stderr


def test_secret_key_is_required_when_debug_is_off():
    result = start_django(SECRET_KEY="", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_good_values_start():
    result = start_django(
        DEBUG="off", TIME_ZONE="Europe/Paris", DEFAULT_CURRENCY="eur", REPORTING_CURRENCY="gbp"
    )

    assert result.returncode == 0, result.stderr


def test_boolean_reads_the_usual_spellings(monkeypatch):
    for text, expected in [("1", True), ("TRUE", True), ("on", True), ("no", False), ("0", False)]:
        monkeypatch.setenv("PMO_FLAG", text)
        assert env.boolean("PMO_FLAG", not expected) is expected


def test_integer_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("PMO_SECONDS", "3")
    with pytest.raises(ImproperlyConfigured, match=r"PMO_SECONDS='3'.*at least 10"):
        env.integer("PMO_SECONDS", 60, minimum=10)


def test_an_unset_redis_url_means_in_process_tasks(monkeypatch):
    monkeypatch.delenv("PMO_REDIS", raising=False)
    assert env.redis_url("PMO_REDIS") is None
