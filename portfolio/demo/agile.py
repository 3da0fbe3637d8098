"""The demo's agile delivery: each live agile project gets a release plan (two-week sprints over its
baseline) and its weekly statuses their sprint figures, consistent with the % complete they report."""

from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from portfolio.agile import ReleaseFigures
from portfolio.models import Project, ReleasePlan, StatusReport
from portfolio.models.status import percent_from_points

SPRINT_DAYS = 14
SCOPE_CHANGE_SHARE = 0.3  # sprints in which the product owner adds stories to the release


def release_plan_for(project: Project, rng: random.Random) -> ReleasePlan | None:
    """Sprints of two weeks from the baseline start to the baseline end, at 20 to 40 points each."""
    if project.methodology != Project.Methodology.AGILE or not project.baseline_start:
        return None
    sprints = max(2, math.ceil((project.baseline_end - project.baseline_start).days / SPRINT_DAYS))
    velocity = rng.randrange(20, 41)
    start = project.baseline_start - timedelta(days=project.baseline_start.weekday())
    return ReleasePlan(
        project=project,
        start=start,
        sprint_length_days=SPRINT_DAYS,
        planned_sprints=sprints,
        planned_points=Decimal(sprints * velocity),
    )


def add_sprint_figures(plan: ReleasePlan, reports: list[StatusReport], rng: random.Random) -> None:
    """Each report's sprint (the one its week ends in), the release's scope (grown now and then), the
    points done (its reported % complete of that scope), and the sprint's points planned and completed;
    % complete then follows the points, as a saved status's does."""
    release = ReleaseFigures.of(plan)
    per_sprint = (plan.planned_points / plan.planned_sprints).quantize(Decimal(1))
    scope, sprint, done_before, added = plan.planned_points, 0, Decimal(0), Decimal(0)
    last_done, last_percent = Decimal(0), None
    for report in reports:
        number = release.sprints_ended(report.period + timedelta(days=6)) + 1
        if number > plan.planned_sprints + 6 or report.period + timedelta(days=6) < plan.start:
            continue
        if number != sprint:
            # The first sprint of the history: what was done before it is unknown, a sprint's worth is not.
            sprint, done_before = number, last_done if sprint else None
            added = Decimal(rng.randrange(3, 13)) if rng.random() < SCOPE_CHANGE_SHARE else Decimal(0)
            scope += added
        done = max(last_done, (scope * report.percent_complete / 100).quantize(Decimal(1)))
        # Stories added to the release lower the share done (AgileEVM's % complete); the demo's teams
        # finish at least as much as was added, so that a project's % complete never goes down.
        if last_percent is not None and percent_from_points(done=done, scope=scope) < last_percent:
            done = min(scope, (scope * last_percent / 100).to_integral_value(rounding=ROUND_CEILING))
        if done_before is None:
            done_before = max(Decimal(0), done - per_sprint)
        report.iteration = number
        report.iteration_planned_points = per_sprint
        report.iteration_completed_points = done - done_before
        report.scope_added_points = added
        report.release_points_done = min(done, scope)
        report.release_points = scope
        report.percent_complete = percent_from_points(done=report.release_points_done, scope=scope)
        last_done, last_percent = report.release_points_done, report.percent_complete
