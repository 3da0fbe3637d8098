"""Follow-up reviews on committee agendas (the agenda source "follow_up_reviews", governance.extensions).

A Red or Amber/Red delivery confidence assessment schedules a follow-up review (the IPA's assurance of
action review); `portfolio.assurance.follow_ups_due` is the one rule for those due. A committee is proposed
each one due by its meeting's day, for the projects in its scope: a project review presented by the
project's manager, with the assessment and the PMO's reason. While an item about it waits in one of the
committee's meetings still to be held, or an earlier meeting left it undiscussed (governance carries that
item over itself), it is not proposed again: the item is recognised by its title's key and the
assessment's id in its parameters. Nor is it while the agenda already reviews the project (the review
covers it; the project's exceptions are not proposed beside a follow-up taken up, for the same reason).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from governance import texts
from governance.models import AgendaItem, Meeting
from governance.selectors import Proposal, carried_over_items
from portfolio.assurance import follow_ups_due
from portfolio.models.assurance import Confidence

FOLLOW_UP_MINUTES = 10
# Agenda order (governance.selectors, worst first): after broken dependencies (40 and more), before the
# projects' exceptions (at most 39) ... a red assessment's review before an amber/red one's.
SEVERITY = {Confidence.RED: 39, Confidence.AMBER_RED: 38}
FOLLOW_UP_TITLE = "governance.follow_up_review"
REASON_MAX = AgendaItem._meta.get_field("reason").max_length


def waiting_follow_ups(meeting: Meeting) -> set[int]:
    """Ids of the assessments an item of the committee already holds: in a meeting still to be held, or
    left undiscussed by a closed one (carried over). One query."""
    carried = carried_over_items(meeting.committee_id, before=meeting.starts_at).values("pk")
    waiting = AgendaItem.objects.filter(
        meeting__committee=meeting.committee_id, title_key=FOLLOW_UP_TITLE
    ).filter(Q(meeting__state__in=[Meeting.State.PLANNED, Meeting.State.IN_PROGRESS]) | Q(pk__in=carried))
    return {params.get("assessment") for params in waiting.values_list("title_params", flat=True)}


def follow_up_reviews(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """One proposal per follow-up review due by the meeting's day (or today, for a meeting already past)
    of a project in the committee's scope. Queries: the items already about follow-ups, the follow-ups
    due with their projects and managers (and the committee, unless joined)."""
    on = max(today, timezone.localdate(meeting.starts_at))
    waiting = waiting_follow_ups(meeting)
    reviewed = {item.project_id for item in items if item.kind == AgendaItem.Kind.PROJECT_REVIEW}
    due = follow_ups_due(on, projects=meeting.committee.projects_in_scope()).select_related(
        "project__project_manager"
    )
    proposals = []
    for assessment in due:
        if assessment.pk in waiting or assessment.project_id in reviewed:
            continue
        project = assessment.project
        title = texts.follow_up_review(assessment=assessment.pk, project=f"{project.code} {project.name}")
        reason = texts.follow_up_reason(
            rating=assessment.rating,
            assessed_on=assessment.assessed_on,
            due=assessment.follow_up_due,
            reason=Truncator(assessment.reason).chars(REASON_MAX // 2),
        )
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.PROJECT_REVIEW,
                title=Truncator(str(title)).chars(AgendaItem._meta.get_field("title").max_length),
                reason=Truncator(str(reason)).chars(REASON_MAX),
                title_text=title,
                reason_text=reason,
                planned_minutes=FOLLOW_UP_MINUTES,
                project=project,
                presenter=project.project_manager,
                severity=SEVERITY.get(assessment.rating, 0),
                subject_key=f"follow-up-{assessment.pk}",
            )
        )
    return proposals


def register() -> None:
    from governance.extensions import register_agenda_source

    register_agenda_source("follow_up_reviews", follow_up_reviews)
