"""The demo's planned phases: each project's span cut over the PMO's lifecycle, so that the phase a live
project is in (`projects.add_details`, from its work done) is the phase its plan puts today in."""

from __future__ import annotations

from datetime import date, timedelta

from pmo.demo import DemoContext
from portfolio.demo.projects import PHASE_BY_PROGRESS
from portfolio.models import Phase, ProjectPhase

CLOSURE_DAYS = 30  # a phase after the last one a live project can be in (closure): a month after go-live


def phase_shares(count: int) -> list[tuple[float, float] | None]:
    """The share of the span (from, to) of each of `count` phases, with the bounds `add_details` reads
    the current phase by; None for a phase after the span (closure, planned after the go-live)."""
    bounds = [bound / 100 for bound, _order in PHASE_BY_PROGRESS]
    inside = min(count, len(bounds))
    shares: list[tuple[float, float] | None] = []
    low = 0.0
    for index in range(inside):
        high = 1.0 if index == inside - 1 else bounds[index]
        shares.append((low, high))
        low = high
    return shares + [None] * (count - inside)


def planned_phases(start: date, end: date, phases: list[Phase]) -> list[tuple[Phase, date, date]]:
    """Consecutive phases from `start` to `end` (each ends the day before the next starts), then those
    after the span a month each."""
    span = (end - start).days
    rows = []
    after = end
    for phase, share in zip(phases, phase_shares(len(phases)), strict=True):
        if share is None:
            first, after = after + timedelta(days=1), after + timedelta(days=CLOSURE_DAYS)
            rows.append((phase, first, after))
            continue
        low, high = share
        first = start + timedelta(days=round(span * low))
        last = end if high >= 1.0 else start + timedelta(days=round(span * high) - 1)
        rows.append((phase, first, max(first, last)))
    return rows


def seed_phase_plans(ctx: DemoContext) -> None:
    """Every project with baseline dates plans the PMO's phases over its current plan: from its start to
    its forecast end (the span `progress` reads the work done on)."""
    phases = list(Phase.objects.order_by("order", "pk"))
    if not phases:
        return
    rows = [
        ProjectPhase(project=project, phase=phase, planned_start=first, planned_end=last)
        for project in ctx.projects
        if project.baseline_start and project.forecast_end
        for phase, first, last in planned_phases(project.baseline_start, project.forecast_end, phases)
    ]
    ProjectPhase.objects.bulk_create(rows)
    ctx.count(ProjectPhase, len(rows))
