"""The weekly report (see the reports issue for what it holds)."""

from __future__ import annotations

from typing import Any

from reporting.models import Report
from reporting.pdf.content import monthly


def context(report: Report) -> dict[str, Any]:
    return monthly.context(report)
