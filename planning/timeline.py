"""One project's timeline, the plan page's panel: its planned phases, its milestones (baseline, forecast,
actual) and its dependencies on other projects' milestones, both ways.

Registered on the plan page by `planning.integration.register` (`portfolio.panels.register_plan_panel`).
A project on the other side of a dependency that the reader may not see is "a confidential project": its
code, name and milestone names never reach the page (`Project.objects.visible_to`, the one read rule).
Four queries, whatever the number of phases, milestones and dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from portfolio.models import Milestone, Project, ProjectDependency
from portfolio.models.plan import ProjectPhase
from reporting.charts import project_url

from . import charts
from .roadmap import RoadmapMilestone


@dataclass
class PlannedPhase:
    name: str
    planned_start: date | None
    planned_end: date | None


@dataclass
class TimelineDependency:
    """A dependency as this project's timeline shows it, from this project's side."""

    label: str  # "Needs PRJ-0042 · Go-live", "PRJ-0042 needs Go-live", or with "a confidential project"
    needed_by: date | None
    expected: date | None  # when the provider milestone is met, or expected
    broken: bool
    other_code: str  # "" when the reader may not see the other project


@dataclass
class Timeline:
    on: date
    phases: list[PlannedPhase]
    milestones: list[RoadmapMilestone]
    dependencies: list[TimelineDependency]

    @property
    def is_empty(self) -> bool:
        return not (self.phases or self.milestones or self.dependencies)


def _dependencies(project: Project, user) -> list[TimelineDependency]:
    links = list(
        ProjectDependency.objects.filter(Q(from_project=project) | Q(to_project=project))
        .select_related("from_project", "to_project", "provider_milestone", "consumer_milestone")
        .order_by("needed_by", "pk")
    )
    others = {
        link.to_project_id if link.from_project_id == project.pk else link.from_project_id for link in links
    }
    visible = set(Project.objects.visible_to(user).filter(pk__in=others).values_list("pk", flat=True))
    found = []
    for link in links:
        consumer = link.from_project_id == project.pk
        other = link.to_project if consumer else link.from_project
        seen = other.pk in visible
        provider_milestone = link.provider_milestone
        if consumer:
            if not seen:
                label = _("Needs a confidential project")
            elif provider_milestone:
                label = _("Needs %(what)s") % {"what": f"{other.code} · {provider_milestone.name}"}
            else:
                label = _("Needs %(project)s") % {"project": other.code}
        elif not seen:
            label = (
                _("A confidential project needs %(milestone)s") % {"milestone": provider_milestone.name}
                if provider_milestone
                else _("A confidential project depends on this project")
            )
        else:
            label = (
                _("%(project)s needs %(milestone)s")
                % {"project": other.code, "milestone": provider_milestone.name}
                if provider_milestone
                else _("%(project)s depends on this project") % {"project": other.code}
            )
        found.append(
            TimelineDependency(
                label=label,
                needed_by=link.needed_by,
                expected=provider_milestone.expected_date if provider_milestone else None,
                broken=link.is_broken,
                other_code=other.code if seen else "",
            )
        )
    return found


def timeline(project: Project, *, user, today: date) -> Timeline:
    phases = [
        PlannedPhase(str(plan.phase), plan.planned_start, plan.planned_end)
        for plan in ProjectPhase.objects.filter(project=project).select_related("phase")
    ]
    milestones = [
        RoadmapMilestone(
            m.pk,
            m.project_id,
            m.name,
            m.deliverable,
            "" if m.owner is None else (m.owner.get_full_name() or m.owner.username),
            m.baseline_date,
            m.forecast_date,
            m.actual_date,
            m.weight,
        )
        for m in Milestone.objects.filter(project=project)
        .for_plan()
        .order_by("position", "baseline_date", "pk")
    ]
    return Timeline(on=today, phases=phases, milestones=milestones, dependencies=_dependencies(project, user))


def plan_timeline_panel(*, project: Project, user, today: date) -> dict[str, Any] | None:
    """The plan page's timeline panel: the figure and its table (None: nothing planned yet)."""
    found = timeline(project, user=user, today=today)
    if found.is_empty:
        return {"timeline": found, "figure": None}
    return {"timeline": found, "figure": charts.timeline_figure(found, link_project=project_url)}
