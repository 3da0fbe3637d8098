"""What /healthz reports: the database, the Celery broker and the workers seen."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection

from pmo.celery import app as celery_app

BROKER_TIMEOUT = 2.0
WORKER_PING_TIMEOUT = 1.0


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" to a health check
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_state() -> dict:
    if not settings.REDIS_URL:
        return {"state": "in-process"}
    where = urlsplit(settings.REDIS_URL)
    public = {"host": where.hostname, "port": where.port}  # never the password
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception as exc:  # connection refused, DNS, auth: all "unreachable"
        return {"state": "unreachable", **public, "error": type(exc).__name__}
    return {"state": "ok", **public}


def workers_seen(broker: dict) -> dict:
    if broker["state"] == "in-process":
        return {"state": "in-process", "seen": []}
    if broker["state"] != "ok":
        return {"state": "unknown", "seen": []}
    replies = celery_app.control.ping(timeout=WORKER_PING_TIMEOUT) or []
    names = sorted(name for reply in replies for name in reply)
    return {"state": "ok" if names else "none", "seen": names}


def report() -> tuple[dict, bool]:
    database = database_state()
    broker = broker_state()
    workers = workers_seen(broker)
    healthy = database["ok"]
    status = (
        "ok"
        if healthy and broker["state"] in {"ok", "in-process"} and workers["state"] != "none"
        else "degraded"
    )
    return {
        "status": status if healthy else "down",
        "database": database,
        "broker": broker,
        "workers": workers,
    }, healthy
