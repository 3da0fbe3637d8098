"""Benefits at risk on the agenda of the committee overseeing the project (agenda source "benefits_at_risk").

For a steering or portfolio committee: one proposal per project in its scope with an approved benefit
profile at risk (benefits.selectors.at_risk), unless an item about that project's benefits waits in a
meeting still to be held or was left undiscussed by a closed one. The project is named as every member
may see it ("a confidential project" otherwise, with no project attached to the item); the reason gives
counts only.

Queries: the scope's projects with approved profiles (1); when there are some, their profiles (1), actuals
and measurements (2), the waiting items (1), the projects every member may see (1).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from benefits import texts
from benefits.models import BenefitProfile
from benefits.selectors import benefit_rows
from governance.models import AgendaItem, Committee, Meeting
from governance.selectors import Proposal, carried_over_items
from portfolio.models import Project

OVERSEEING = (Committee.Kind.STEERING, Committee.Kind.PORTFOLIO)
MINUTES = 10
# Agenda order (governance.selectors, worst first): after escalated risks and change requests, with
# over-allocation; the more benefits at risk, the higher.
SEVERITY = 40
STILL_TO_BE_HELD = (Meeting.State.PLANNED, Meeting.State.IN_PROGRESS)


def _waiting_projects(meeting: Meeting) -> set:
    carried = carried_over_items(meeting.committee_id, before=meeting.starts_at).values("pk")
    params = (
        AgendaItem.objects.filter(meeting__committee=meeting.committee_id, title_key=texts.AT_RISK_TITLE)
        .filter(Q(meeting__state__in=STILL_TO_BE_HELD) | Q(pk__in=carried))
        .values_list("title_params", flat=True)
    )
    return {(p or {}).get("project") for p in params}


def at_risk_proposals(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    committee = meeting.committee
    if committee.kind not in OVERSEEING:
        return []
    profiles = list(
        BenefitProfile.objects.approved()
        .filter(project__in=committee.projects_in_scope().values("pk"))
        .exclude(project__state=Project.State.CANCELLED)
        .select_related("project")
    )
    if not profiles:
        return []
    by_project: dict[int, list] = defaultdict(list)
    for row in benefit_rows(profiles, on=today):
        if row.at_risk:
            by_project[row.profile.project_id].append(row)
    if not by_project:
        return []
    waiting = _waiting_projects(meeting)
    named = set(
        Project.objects.seen_by_every_member_of(committee.pk)
        .filter(pk__in=by_project)
        .values_list("pk", flat=True)
    )
    proposals = []
    for project_id, rows in sorted(by_project.items()):
        if project_id in waiting:
            continue
        project = rows[0].profile.project
        label = f"{project.code} {project.name}" if project_id in named else ""
        title = texts.at_risk_title(project_id=project_id, label=label)
        reason = texts.at_risk_reason(
            count=len(rows), not_measured=sum(1 for row in rows if row.realised is None)
        )
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.PROJECT_REVIEW,
                title=str(title),
                reason=str(reason),
                title_text=title,
                reason_text=reason,
                planned_minutes=MINUTES,
                project=project if project_id in named else None,
                severity=SEVERITY + len(rows),
                subject_key=f"benefits-at-risk-{project_id}",
            )
        )
    return proposals
