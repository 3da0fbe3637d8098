"""A committee meeting's pack (before it: agenda and a one-page summary per project on it) and its
minutes (once closed: attendance, decisions, actions)."""

from __future__ import annotations

from typing import Any

from reporting.models import Report
from reporting.pdf.content import common


def pack_context(report: Report) -> dict[str, Any]:
    return {**common.header(report), "meeting": report.meeting}


def minutes_context(report: Report) -> dict[str, Any]:
    return {**common.header(report), "meeting": report.meeting}
