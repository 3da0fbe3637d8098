"""Typed readers for settings that come from the environment.

Each reader fails at start-up with a message naming the variable, so a typo in
a deployment is caught before the first request instead of being read as a
silent default.
"""

from __future__ import annotations

import os
import zoneinfo
from decimal import Decimal, InvalidOperation

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value is not None else None


def bad(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Environment variable {name}={value!r} is invalid: expected {expected}.")


def string(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise bad(name, value, "one of 1/0, true/false, yes/no, on/off")


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise bad(name, value, "a whole number") from None
    if minimum is not None and number < minimum:
        raise bad(name, value, f"a whole number of at least {minimum}")
    return number


def decimal(name: str, default: str) -> Decimal:
    value = string(name, default)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise bad(name, value, "a decimal number such as 2.5") from None


def csv(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in string(name, default).split(",") if item.strip()]


def choice(name: str, default: str, choices: set[str]) -> str:
    value = string(name, default)
    if value not in choices:
        raise bad(name, value, "one of " + ", ".join(sorted(choices)))
    return value


def timezone(name: str, default: str) -> str:
    value = string(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise bad(name, value, "an IANA time zone such as Africa/Casablanca") from None
    return value


def database(name: str, default: str) -> dict:
    value = string(name, default)
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise bad(name, value, f"a database URL such as postgres://user@host:5432/db ({exc})") from None
    if not config.get("ENGINE"):
        raise bad(name, value, "a database URL with a known scheme (sqlite://, postgres://)")
    return config


def redis_url(name: str) -> str | None:
    value = string(name)
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise bad(name, value, "a Redis URL such as redis://127.0.0.1:6379/0")
    return value


def currency(name: str, default: str) -> str:
    value = string(name, default).upper()
    if len(value) != 3 or not value.isalpha():
        raise bad(name, value, "a three-letter ISO 4217 code such as MAD")
    return value
