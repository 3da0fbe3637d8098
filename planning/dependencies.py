"""Broken dependencies on committee agendas (governance.extensions' agenda source "dependencies").

A committee whose scope covers the consumer or the provider of a broken dependency
(`DependencyQuerySet.broken`, the one rule) gets one proposal for it, naming both projects, saying the
days late and the dates. While an item about it waits in one of the committee's meetings still to be
held, or an earlier meeting left it undiscussed (governance carries that item over itself), it is not
proposed again. The item is recognised by its title's key and the dependency's id in its parameters: no
link is stored on the dependency (portfolio does not know governance).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q

from governance.models import AgendaItem, Meeting
from governance.selectors import Proposal, carried_over_items
from planning import texts
from planning.meetings import decision_request
from portfolio.models import ProjectDependency

DEPENDENCY_MINUTES = 10
# Agenda order (governance.selectors, worst first): after escalated risks (100 and more), before the
# projects' exceptions (at most 39); the later, the higher.
DEPENDENCY_SEVERITY = 40
MAX_EXTRA = 59


def waiting_dependencies(meeting: Meeting) -> set[int]:
    """Ids of the dependencies an item of the committee already holds: in a meeting still to be held, or
    left undiscussed by a closed one (carried over). One query."""
    carried = carried_over_items(meeting.committee_id, before=meeting.starts_at).values("pk")
    waiting = AgendaItem.objects.filter(
        meeting__committee=meeting.committee_id, title_key=texts.DEPENDENCY_TITLE
    ).filter(Q(meeting__state__in=[Meeting.State.PLANNED, Meeting.State.IN_PROGRESS]) | Q(pk__in=carried))
    return {params.get("dependency") for params in waiting.values_list("title_params", flat=True)}


def broken_dependencies(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """One proposal per broken dependency touching the committee's scope. Queries: the committee (unless
    joined), the items already about dependencies, the broken dependencies with both projects and the
    milestones."""
    in_committee = meeting.committee.projects_in_scope()
    scope = in_committee.values("pk")
    waiting = waiting_dependencies(meeting)
    broken = (
        ProjectDependency.objects.broken()
        .filter(Q(from_project__in=scope) | Q(to_project__in=scope))
        .exclude(pk__in=waiting)
        .select_related(
            "from_project__project_manager",
            "to_project__project_manager",
            "provider_milestone",
            "consumer_milestone",
        )
        .annotate(
            consumer_in_scope=Exists(in_committee.filter(pk=OuterRef("from_project"))),
            provider_in_scope=Exists(in_committee.filter(pk=OuterRef("to_project"))),
        )
        .order_by("needed_by", "pk")
    )
    proposals = []
    for dependency in broken:
        in_scope = {
            pk
            for pk, covered in (
                (dependency.from_project_id, dependency.consumer_in_scope),
                (dependency.to_project_id, dependency.provider_in_scope),
            )
            if covered
        }
        title = texts.dependency_title(dependency, in_scope=in_scope)
        reason = texts.dependency_reason(dependency, in_scope=in_scope)
        # The item is about the project the committee covers (the consumer when it covers both).
        project = dependency.from_project if dependency.consumer_in_scope else dependency.to_project
        days = reason.params["days"]
        proposals.append(
            decision_request(
                title,
                reason,
                minutes=DEPENDENCY_MINUTES,
                project=project,
                severity=DEPENDENCY_SEVERITY + min(days // 7, MAX_EXTRA),
                subject_key=f"dependency-{dependency.pk}",
            )
        )
    return proposals
