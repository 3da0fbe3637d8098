"""Agile delivery's figures: the release plan as AgileEVM reads it, the burn-up and the velocity.

AgileEVM (Sulaiman, Barton & Blackburn, 2006) keeps earned value's formulas and changes what progress is
measured in: BAC is the project's budget; the planned share after n sprints is n / the planned sprints
(PV = that x BAC); the actual share is the release points done / the release's current scope (EV = that x
BAC). An agile project with a release plan therefore earns value through `ReleaseFigures` in the one
earned-value path (`portfolio.earned_value.earned_value_at_status`), so its CPI and SPI are read by the
same signals, lists and reports as a classic project's.

Whole sprints only: a sprint's points are planned to be earned when it ends, not day by day, so PV at a
status date counts the sprints ended by then (capped at the planned sprints).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from portfolio.models import Project, ReleasePlan, StatusReport
from portfolio.models.status import percent_from_points as derived_percent  # noqa: F401 (one rule)

VELOCITY_SPRINTS = 3  # the velocity is the mean of the last three sprints' completed points


@dataclass(frozen=True)
class ReleaseFigures:
    """The release plan of an agile project: what AgileEVM's planned value and planned points read."""

    start: date
    sprint_length_days: int
    planned_sprints: int
    planned_points: Decimal

    @classmethod
    def of(cls, plan: ReleasePlan) -> ReleaseFigures:
        return cls(plan.start, plan.sprint_length_days, plan.planned_sprints, plan.planned_points)

    def sprint_end(self, number: int) -> date:
        """The last day of sprint `number` (1 for the first)."""
        return self.start + timedelta(days=self.sprint_length_days * number - 1)

    def sprints_ended(self, at: date) -> int:
        """Whole sprints ended by `at` (its last day included), between 0 and the planned sprints."""
        ended = ((at - self.start).days + 1) // self.sprint_length_days
        return max(0, min(self.planned_sprints, ended))

    def planned_share(self, at: date) -> Decimal:
        """AgileEVM's expected % complete (as a share) at `at`: sprints ended / planned sprints."""
        return Decimal(self.sprints_ended(at)) / Decimal(self.planned_sprints)

    @property
    def end(self) -> date:
        return self.sprint_end(self.planned_sprints)

    def scope(self, release_points: Decimal | None) -> Decimal:
        """The release's current scope: the status's when it gives one, the planned points otherwise."""
        return release_points if release_points else self.planned_points


def is_agile(project: Project) -> bool:
    return project.methodology == Project.Methodology.AGILE


def release_of(project: Project) -> ReleaseFigures | None:
    """The release plan AgileEVM follows for this project: None for a project that is not agile (no query)
    or has none. Joined by `select_related("release_plan")` it costs no query; one otherwise."""
    if not is_agile(project):
        return None
    try:
        return ReleaseFigures.of(project.release_plan)
    except ReleasePlan.DoesNotExist:
        return None


def release_figures(project_ids: Iterable[int]) -> dict[int, ReleaseFigures]:
    """{project id: its release figures} for the agile ones among these projects (one query)."""
    return {
        plan.project_id: ReleaseFigures.of(plan)
        for plan in ReleasePlan.objects.filter(
            project__in=project_ids, project__methodology=Project.Methodology.AGILE
        )
    }


RELEASE_VALUES = (
    "methodology",
    "release_plan__start",
    "release_plan__sprint_length_days",
    "release_plan__planned_sprints",
    "release_plan__planned_points",
)


def release_from_values(values: tuple) -> ReleaseFigures | None:
    """A project's release figures from the `RELEASE_VALUES` read with it (a join, not a query)."""
    methodology, start, length, sprints, points = values
    if methodology != Project.Methodology.AGILE or start is None:
        return None
    return ReleaseFigures(start, length, sprints, points)


@dataclass(frozen=True)
class SprintPoint:
    """One sprint as its last status tells it: the release's scope and points done then, and the points
    completed in the sprint."""

    number: int
    end: date | None
    scope: Decimal | None
    done: Decimal | None
    completed: Decimal | None
    planned: Decimal | None


@dataclass(frozen=True)
class Delivery:
    """The burn-up and velocity of an agile project, with the figures the page shows beside them."""

    sprints: list[SprintPoint]
    release: ReleaseFigures | None

    @property
    def velocities(self) -> list[Decimal]:
        return [s.completed for s in self.sprints if s.completed is not None]

    @property
    def velocity(self) -> Decimal | None:
        """The mean of the last three sprints' completed points (fewer when fewer are known)."""
        last = self.velocities[-VELOCITY_SPRINTS:]
        if not last:
            return None
        return (sum(last, Decimal(0)) / len(last)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def latest(self) -> SprintPoint | None:
        known = [s for s in self.sprints if s.done is not None]
        return known[-1] if known else None

    @property
    def scope(self) -> Decimal | None:
        latest = self.latest
        if latest is not None and latest.scope:
            return latest.scope
        return self.release.planned_points if self.release else None

    @property
    def remaining(self) -> Decimal | None:
        latest, scope = self.latest, self.scope
        if latest is None or scope is None:
            return None
        return max(Decimal(0), scope - latest.done)

    @property
    def sprints_left(self) -> int | None:
        """Sprints still needed at the current velocity (rounded up); None without a velocity."""
        remaining, velocity = self.remaining, self.velocity
        if remaining is None or not velocity:
            return None
        return math.ceil(remaining / velocity)


def delivery_of(project: Project, *, release: ReleaseFigures | None) -> Delivery:
    """Every sprint of the project's latest statuses (one query, whatever the number of statuses): per
    sprint number, the figures of the last week that reported it."""
    by_sprint: dict[int, SprintPoint] = {}
    rows = (
        StatusReport.objects.latest_revisions()
        .filter(project=project, iteration__isnull=False)
        .order_by("period")
        .values_list(
            "iteration",
            "period",
            "release_points",
            "release_points_done",
            "iteration_completed_points",
            "iteration_planned_points",
        )
    )
    for number, period, scope, done, completed, planned in rows:
        end = release.sprint_end(number) if release else period + timedelta(days=6)
        if scope is None and release is not None:
            scope = release.planned_points
        by_sprint[number] = SprintPoint(number, end, scope, done, completed, planned)
    return Delivery(sprints=[by_sprint[n] for n in sorted(by_sprint)], release=release)
