"""Project requests in the portfolio committee: proposed on its agenda for their G0, shown on the live page,
and the decision recorded on a request's item applied to it (demand.g0).

Plugged into governance through its registries and its `decision_recorded` signal (governance does not
depend on demand). Items are recognised by their title's key and parameters (pmo.texts), as resources'
scenarios are: no link is stored on the request.

- "project_requests": each proposed request routed to the committee, on its next meeting, unless an item
  about it waits (in a meeting still to be held and not decided yet, or left undiscussed by a closed
  one); a deferred request comes back once the PMO proposes it again;
- the live card: the request as the committee weighs it (directorate, sponsor, proposed manager,
  objectives, score and spread, cost by year, people by role, the open scenarios that select it), and
  what "Approved" will do.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q

from demand import texts
from demand.models import CriteriaSet, PortfolioScenario, ProjectRequest
from demand.scoring import subject_scores
from governance.models import AgendaItem, Committee, Decision, Meeting
from governance.selectors import Proposal, carried_over_items, decided_item_params

G0_MINUTES = 15
# Agenda order (governance.selectors, worst first): after the scenarios (60) that choose among requests,
# before the projects' exceptions (at most 39).
G0_SEVERITY = 55
STILL_TO_BE_HELD = (Meeting.State.PLANNED, Meeting.State.IN_PROGRESS)


def _waiting(meeting: Meeting) -> set:
    """The requests an item of the committee waits for: in a meeting still to be held with no decision
    recorded on it yet, or left undiscussed by a closed one. One query."""
    carried = carried_over_items(meeting.committee_id, before=meeting.starts_at).values("pk")
    params = (
        AgendaItem.objects.filter(meeting__committee=meeting.committee_id, title_key=texts.G0_TITLE)
        .filter(Q(meeting__state__in=STILL_TO_BE_HELD, decisions__isnull=True) | Q(pk__in=carried))
        .values_list("title_params", flat=True)
    )
    return {(p or {}).get("request") for p in params}


# --- The agenda ------------------------------------------------------------------------------------------


def request_proposals(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """One proposal per proposed request routed to the meeting's committee. None, without a query, for a
    committee of another kind than portfolio. Queries: the requests with their directorate and costs
    (2); when there are some, the waiting items and the scores (criteria version, criteria, scores with
    their values: 4)."""
    if meeting.committee.kind != Committee.Kind.PORTFOLIO:
        return []
    requests = list(
        ProjectRequest.objects.filter(state=ProjectRequest.State.PROPOSED, committee=meeting.committee_id)
        .select_related("directorate", "sponsor", "requested_by")
        .prefetch_related("costs")
        .order_by("code")
    )
    if not requests:
        return []
    waiting = _waiting(meeting)
    requests = [r for r in requests if r.pk not in waiting]
    if not requests:
        return []
    by_request, _by_project = subject_scores(
        criteria_set=CriteriaSet.objects.current(), request_ids=[r.pk for r in requests]
    )
    proposals = []
    for project_request in requests:
        title = texts.g0_title(project_request)
        score = by_request[project_request.pk].mean if project_request.pk in by_request else None
        reason = texts.g0_reason(
            directorate=project_request.directorate.code,
            total=sum((c.amount for c in project_request.costs.all()), Decimal(0)),
            currency=project_request.currency,
            score=score,
        )
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.DECISION_REQUEST,
                title=str(title),
                reason=str(reason),
                title_text=title,
                reason_text=reason,
                planned_minutes=G0_MINUTES,
                presenter=project_request.sponsor or project_request.requested_by,
                severity=G0_SEVERITY,
                subject_key=f"request-{project_request.pk}",
            )
        )
    return proposals


# --- The live page ----------------------------------------------------------------------------------------


def selected_keys(result) -> set[str]:
    """The candidates' keys ("r<pk>", "p<pk>") a scenario's stored result selects."""
    if not isinstance(result, dict):
        return set()
    keys = set()
    for entry in result.get("selected") or ():
        key = entry.get("key") if isinstance(entry, dict) else entry
        if isinstance(key, str):
            keys.add(key)
    return keys


def live_card(item: AgendaItem, *, user, today: date) -> dict | None:
    """The request's card, as `user` may read it. None, without a query, for any other item. Queries: the
    request with its people, its costs, its needs with their roles, the open scenarios (and, when some
    select it, the projects hidden from the reader, whose names their names must not spell out), the
    scores (criteria version, criteria, scores, their values when there are some), the decisions on the
    item and, once approved, whether the reader may see the project."""
    from governance.confidential import Veil
    from portfolio.models import Project

    if item.title_key != texts.G0_TITLE:
        return None
    project_request = (
        ProjectRequest.objects.visible_to(user)
        .filter(pk=(item.title_params or {}).get("request"))
        .select_related("directorate", "sponsor", "proposed_manager", "requested_by", "committee")
        .first()
    )
    if project_request is None:
        return {"kind": "g0_hidden"}
    costs = list(project_request.costs.all())
    needs = list(project_request.capacity_needs.select_related("role").order_by("role__order", "role_id"))
    years = sorted({c.year for c in costs} | {n.year for n in needs})
    people: dict[int, dict] = {}
    for need in needs:
        row = people.setdefault(need.role_id, {"role": need.role, "by_year": defaultdict(Decimal)})
        row["by_year"][need.year] += need.person_months
    key = f"r{project_request.pk}"
    scenarios = [
        scenario
        for scenario in PortfolioScenario.objects.open().filter(result__isnull=False).order_by("name", "pk")
        if key in selected_keys(scenario.result)
    ]
    veil = Veil.for_reader(user) if scenarios else Veil()
    by_request, _by_project = subject_scores(
        criteria_set=CriteriaSet.objects.current(), request_ids=[project_request.pk]
    )
    project = None
    if project_request.project_id:
        project = Project.objects.visible_to(user).filter(pk=project_request.project_id).first()
    cost_by_year = {c.year: c.amount for c in costs}
    return {
        "kind": "g0",
        "request": project_request,
        "score": by_request.get(project_request.pk),
        "years": years,
        "costs": [cost_by_year.get(year) for year in years],
        "total": sum(cost_by_year.values(), Decimal(0)),
        "people": [
            {"role": row["role"], "values": [row["by_year"].get(year) for year in years]}
            for row in people.values()
        ],
        "scenarios": [None if veil.mentions(s.name) else s.name for s in scenarios],
        "project": project,
        "decisions": list(
            Decision.objects.visible_to(user).filter(agenda_item=item.pk).order_by("recorded_at", "pk")
        ),
    }


# --- The committee's decision ------------------------------------------------------------------------------


def _on_decision_recorded(sender, *, decision: Decision, by, **kwargs) -> None:
    """A decision recorded on a proposed request's item decides it, in the same transaction."""
    from demand.g0 import request_decide

    params = decided_item_params(decision, texts.G0_TITLE)
    if params is None:
        return
    project_request = ProjectRequest.objects.filter(
        pk=params.get("request"), state=ProjectRequest.State.PROPOSED
    ).first()
    if project_request is None:
        return
    request_decide(request=project_request, outcome=decision.outcome, decision=decision, by=by)


def register() -> None:
    from governance.extensions import register_agenda_source, register_live_extra
    from governance.signals import decision_recorded

    register_agenda_source("project_requests", request_proposals)
    register_live_extra("demand/_live_card.html", live_card, order=20)
    decision_recorded.connect(_on_decision_recorded, dispatch_uid="demand.g0_decided")
