"""Dependencies between projects as the pages read them: who may change or accept one, the plan panel's
"needs" and "provides", and the signals a broken dependency raises on both projects.

A dependency belongs to its consumer (`from_project`): the consumer's manager or the PMO records and
edits it (`Project.objects.editable_by` on the consumer); the provider's manager or the PMO accepts it
(`editable_by` on the provider). Broken is `DependencyQuerySet.broken` / `is_broken`, nowhere else.

A project the reader may not see is "a confidential project": its code, name and milestones never reach
them. Each read annotates whether the reader sees the other end (`portfolio.access.project_visible`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portfolio.access import project_visible
from portfolio.indicators import AMBER, RED, Signal
from portfolio.models import Project, ProjectDependency


def _short(day: date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


def for_reader(queryset: QuerySet[ProjectDependency], user) -> QuerySet[ProjectDependency]:
    """With what a row shows joined, and for `user`: whether they see each end (`consumer_visible`,
    `provider_visible`), may edit it (`editable`: the consumer's rule) or accept it (`acceptable`)."""
    editable = Project.objects.editable_by(user)
    return queryset.select_related(
        "from_project", "to_project", "provider_milestone", "consumer_milestone", "accepted_by"
    ).annotate(
        consumer_visible=project_visible(user, field="from_project_id"),
        provider_visible=project_visible(user, field="to_project_id"),
        editable=Exists(editable.filter(pk=OuterRef("from_project_id"))),
        acceptable=Exists(editable.filter(pk=OuterRef("to_project_id"))),
    )


def decorate(dependency: ProjectDependency) -> ProjectDependency:
    """Set `broken` on a row read by `for_reader` (the one rule: `is_broken`; `days_late` reads it too)."""
    dependency.broken = dependency.is_broken
    return dependency


def plan_panel(*, project: Project, user, today: date) -> dict:
    """The plan page's panel: what the project needs from others and provides to them. Three queries:
    may the user edit the project, the needs, the provisions (each with its visibility and rights)."""
    rows = for_reader(ProjectDependency.objects.all(), user).order_by("needed_by", "pk")
    needs = [decorate(d) for d in rows.filter(from_project=project)]
    provides = [decorate(d) for d in rows.filter(to_project=project)]
    return {
        "project": project,
        "needs": needs,
        "provides": provides,
        "can_add": project.is_editable_by(user),
        "broken_count": sum(d.broken for d in needs + provides),
    }


# --- Signals ---------------------------------------------------------------------------------------------


def _consumer_signal(dependency: ProjectDependency) -> Signal:
    milestone = dependency.provider_milestone
    params = {"expected": _short(milestone.expected_date), "needed": _short(dependency.needed_by)}
    if dependency.provider_visible:
        message = _(
            "Dependency broken: %(provider)s's milestone %(milestone)s expected %(expected)s, needed by "
            "%(needed)s."
        ) % {**params, "provider": dependency.to_project.code, "milestone": milestone.name}
    else:
        message = (
            _(
                "Dependency broken: a confidential project's milestone expected %(expected)s, needed by "
                "%(needed)s."
            )
            % params
        )
    return Signal("dependency_broken", RED, message)


def _provider_signal(dependency: ProjectDependency) -> Signal:
    milestone = dependency.provider_milestone
    params = {
        "milestone": milestone.name,
        "expected": _short(milestone.expected_date),
        "needed": _short(dependency.needed_by),
    }
    if dependency.consumer_visible:
        message = _(
            "Dependency broken: %(consumer)s needs milestone %(milestone)s by %(needed)s, expected "
            "%(expected)s."
        ) % {**params, "consumer": dependency.from_project.code}
    else:
        message = (
            _(
                "Dependency broken: a confidential project needs milestone %(milestone)s by %(needed)s, "
                "expected %(expected)s."
            )
            % params
        )
    return Signal("dependency_broken_provider", AMBER, message)


def dependency_signals(projects: Iterable[Project] | QuerySet[Project], *, user) -> dict[int, list[Signal]]:
    """The signals of the broken dependencies of `projects`, by project id, in one query whatever their
    number (a list passes its projects or their queryset): red on the consumer, amber on the provider."""
    ids = projects.values("pk") if isinstance(projects, QuerySet) else [p.pk for p in projects]
    broken = (
        ProjectDependency.objects.broken()
        .touching(ids)
        .select_related("from_project", "to_project", "provider_milestone")
        .annotate(
            consumer_visible=project_visible(user, field="from_project_id"),
            provider_visible=project_visible(user, field="to_project_id"),
        )
        .order_by("needed_by", "pk")
    )
    signals: dict[int, list[Signal]] = defaultdict(list)
    for dependency in broken:
        signals[dependency.from_project_id].append(_consumer_signal(dependency))
        signals[dependency.to_project_id].append(_provider_signal(dependency))
    return signals
