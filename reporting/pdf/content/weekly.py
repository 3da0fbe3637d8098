"""The weekly flash (one to three pages): the KPI tiles with their trend, the projects whose RAG changed
since the week before, the new red ones, the decisions of the week, the actions that became overdue
during it and the projects that did not report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from portfolio.models import Rag
from reporting.models import Report
from reporting.pdf.content import common
from reporting.selectors import ProjectRow, Snapshot


@dataclass
class Change:
    project: ProjectRow
    before: str  # the RAG of the status in force at the end of the week before ("" never reported)

    @property
    def after(self) -> str:
        return self.project.rag


def changes(current: Snapshot, previous: Snapshot) -> list[Change]:
    """The projects that reported this week with an overall RAG other than the one in force a week
    earlier (a first report counts as a change), worst first."""
    before = {row.pk: row.status_rag for row in previous.rows}
    order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    found = [
        Change(project=row, before=before.get(row.pk, ""))
        for row in current.rows
        if row.reported and row.rag != before.get(row.pk, "")
    ]
    return sorted(found, key=lambda change: (order.get(change.after, 3), change.project.code))


def context(report: Report) -> dict[str, Any]:
    figures = common.figures_of(report)
    on = common.as_at(report)
    period = report.as_period
    start = period.start if period else on - timedelta(days=on.weekday())
    tiles = common.scorecard(figures, on=on)  # reads this week's and last week's snapshots at once
    current = figures.snapshot(on)
    previous = figures.snapshot(start - timedelta(days=1))
    changed = changes(current, previous)
    return {
        **common.header(report),
        "as_at": on,
        "start": start,
        "snapshot": current,
        "headline": common.headline(figures, current),
        "tiles": tiles,
        "changes": changed,
        "new_red": [change for change in changed if change.after == Rag.RED],
        "decisions": common.decisions(figures, start, on),
        "became_overdue": common.became_overdue(figures, start, on),
        "not_reported": sorted(
            (row for row in current.rows if not row.reported),
            key=lambda row: (row.directorate_name, row.code),
        ),
    }
