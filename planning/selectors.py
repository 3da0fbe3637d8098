"""The reads of the change-control pages and panels: one place that owns their joins.

A change request is read by whoever reads its project (`ChangeRequest.objects.visible_to`, 404 otherwise);
its impact names the consumer projects whose dependencies it breaks only to who may see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from planning.impact import Impact, impact_of
from planning.models import Baseline, BaselineMilestone, ChangeRequest
from pmo.roles import Role
from portfolio.models import Milestone, Project

DECIDERS = (Role.PMO, Role.ADMINISTRATOR)


def change_request_for(user, reference: str) -> ChangeRequest:
    """The request with what its page shows in one query; 404 for who may not see its project."""
    requests = ChangeRequest.objects.visible_to(user).select_related(
        "project__directorate",
        "project__portfolio",
        "project__project_manager",
        "project__last_report",
        "committee",
        "raised_by",
        "decided_by",
        "risk",
        "issue",
        "decision",
    )
    return get_object_or_404(requests, reference=reference)


def may_edit_project(user, project: Project) -> bool:
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()


def may_decide(user) -> bool:
    return user.is_authenticated and user.has_role(*DECIDERS)


@dataclass(frozen=True)
class Change:
    label: str
    old: Any
    new: Any
    kind: str = "date"  # date or money


def changes_of(change_request: ChangeRequest, lines: list) -> list[Change]:
    """What the request changes, old -> new, against the project's current baseline."""
    project = change_request.project
    changes = []
    if change_request.new_start:
        changes.append(Change(_("Start"), project.baseline_start, change_request.new_start))
    if change_request.new_end:
        changes.append(Change(_("End (go-live)"), project.baseline_end, change_request.new_end))
    if change_request.new_budget is not None:
        changes.append(Change(_("Budget at completion"), project.budget, change_request.new_budget, "money"))
    for line in lines:
        if line.milestone is None:
            changes.append(Change(_("New milestone: %(name)s") % {"name": line.name}, None, line.new_date))
        else:
            changes.append(Change(line.milestone.name, line.milestone.baseline_date, line.new_date))
    return changes


def impact_for(change_request: ChangeRequest, user, *, live_impact: Impact | None = None) -> dict[str, Any]:
    """The live impact while the request is open, the frozen one once decided or withdrawn. Each broken
    dependency carries its consumer project when `user` may see it, None otherwise (shown as "a
    confidential project"). Queries: those of `impact_of` while open (none when given `live_impact`),
    then one for the consumers."""
    live = change_request.is_open
    impact = (live_impact or impact_of(change_request)) if live else Impact.from_json(change_request.impact)
    consumer_ids = {link.consumer for link in impact.breaks}
    visible = Project.objects.visible_to(user).in_bulk(consumer_ids) if consumer_ids else {}
    breaks = [
        {
            "link": link,
            "consumer": visible.get(link.consumer),
            "needed_by": date.fromisoformat(link.needed_by),
            "new_date": date.fromisoformat(link.new_date),
        }
        for link in impact.breaks
    ]
    return {
        "impact": impact,
        "live": live,
        "breaks": breaks,
        "status_period": date.fromisoformat(impact.status_period) if impact.status_period else None,
        # Decimals, not the impact's JSON text, so that the page formats them in its reader's language.
        "money": {
            name: None if getattr(impact, name) is None else Decimal(getattr(impact, name))
            for name in (
                "budget_change",
                "budget_change_percent",
                "eac_before",
                "eac_after",
                "pv_before",
                "pv_after",
                "spi_before",
                "spi_after",
            )
        },
    }


# --- Baselines ----------------------------------------------------------------------------------------


def baselines_of(project: Project) -> list[Baseline]:
    """Every version, oldest first, with its milestones and change request (two queries)."""
    return list(
        Baseline.objects.filter(project=project)
        .select_related("taken_by", "change_request")
        .prefetch_related(Prefetch("milestones", queryset=BaselineMilestone.objects.order_by("date", "pk")))
        .order_by("number")
    )


@dataclass(frozen=True)
class Variance:
    label: str
    original: Any
    current: Any
    forecast: Any
    kind: str = "date"
    actual: bool = False

    def _minus(self, other: Any) -> Any:
        if self.forecast is None or other is None:
            return None
        if self.kind == "money":
            return self.forecast - other
        return (self.forecast - other).days

    @property
    def vs_current(self) -> Any:
        return self._minus(self.current)

    @property
    def vs_original(self) -> Any:
        return self._minus(self.original)


def variance_of(project: Project, baselines: list[Baseline], milestones: list[Milestone]) -> list[Variance]:
    """The project's dates, budget and milestones: original (v1), current baseline (vn), forecast or
    actual, from rows already read."""
    if not baselines:
        return []
    first, last = baselines[0], baselines[-1]
    report = project.last_report
    rows = [
        Variance(_("Start"), first.start, last.start, project.forecast_start),
        Variance(_("End (go-live)"), first.end, last.end, project.forecast_end),
        Variance(
            _("Budget at completion"),
            first.budget,
            last.budget,
            report.forecast_at_completion if report else None,
            kind="money",
        ),
    ]
    original = {m.milestone_id: m.date for m in first.milestones.all() if m.milestone_id}
    current = {m.milestone_id: m.date for m in last.milestones.all() if m.milestone_id}
    for milestone in milestones:
        rows.append(
            Variance(
                milestone.name,
                original.get(milestone.pk),
                current.get(milestone.pk, milestone.baseline_date),
                milestone.expected_date,
                actual=milestone.actual_date is not None,
            )
        )
    return rows


def baseline_history(baselines: list[Baseline]) -> list[dict[str, Any]]:
    """For each version after v1, what changed from the one before it."""
    history = []
    for before, after in pairwise(baselines):
        changes = []
        for label, old, new, kind in (
            (_("Start"), before.start, after.start, "date"),
            (_("End (go-live)"), before.end, after.end, "date"),
            (_("Budget at completion"), before.budget, after.budget, "money"),
        ):
            if old != new:
                changes.append(Change(label, old, new, kind))
        old_dates = {m.milestone_id or f"name:{m.name}": m for m in before.milestones.all()}
        for line in after.milestones.all():
            previous = old_dates.get(line.milestone_id or f"name:{line.name}")
            if previous is None:
                changes.append(Change(_("New milestone: %(name)s") % {"name": line.name}, None, line.date))
            elif previous.date != line.date:
                changes.append(Change(line.name, previous.date, line.date))
        history.append({"baseline": after, "previous": before, "changes": changes})
    return history
