"""Change requests in committees: the requests beyond the PMO's tolerance proposed on the agenda of the
committee that decides them, their card on the live page, and the committee's decision applied to them.

Plugged into governance through its registries (governance.extensions) and its signals: governance does
not depend on planning (DESIGN.md). The first baseline, taken when a project passes the gate into the
phase that takes it, is here too: it answers governance's `gate_passed`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

from django.db.models import Prefetch, Q

from governance.models import AgendaItem, Decision, Meeting
from governance.selectors import Proposal
from planning import texts
from planning.impact import Impact, impact_of
from planning.models import Baseline, BaselineMilestone, ChangeRequest, ChangeRequestMilestone
from portfolio.models import Project

CHANGE_REQUEST_MINUTES = 10
# Agenda order (governance.selectors, worst first): the follow-up of actions (300), the items carried over
# (250) and stage gates (200) come first, escalated risks next (risks.meetings: 100 plus the score, at most
# 125), then change requests, the longest slip first (50 plus the slip in weeks, at most 99), then the
# projects' exceptions (at most 39).
CHANGE_REQUEST_SEVERITY = 50
IN_COMMITTEE = (ChangeRequest.State.PROPOSED, ChangeRequest.State.DEFERRED)
STILL_TO_BE_HELD = (Meeting.State.PLANNED, Meeting.State.IN_PROGRESS)
DECISION_TITLE_MAX = Decision._meta.get_field("title").max_length


# --- The agenda ------------------------------------------------------------------------------------------


def change_requests(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """The change requests routed to the meeting's committee that await its decision, one proposal each.

    A request already taken up by an item of a meeting still to be held (this one included) waits for that
    meeting; a deferred one, or one whose meeting was closed without discussing it, comes back. The reason
    is the impact frozen when the request was submitted. One query: the requests with their project and
    its manager.
    """
    on_agenda = [item.pk for item in items if item.pk]
    requests = (
        ChangeRequest.objects.filter(
            route=ChangeRequest.Route.COMMITTEE, state__in=IN_COMMITTEE, committee=meeting.committee_id
        )
        .exclude(agenda_item__meeting__state__in=STILL_TO_BE_HELD)
        .exclude(agenda_item__in=on_agenda)
        .select_related("project__project_manager")
        .order_by("raised_at", "pk")
    )
    proposals = []
    for change_request in requests:
        impact = Impact.from_json(change_request.impact)
        title = texts.change_request_title(reference=change_request.reference, title=change_request.title)
        reason = reason_of(change_request, impact)
        proposals.append(
            decision_request(
                title,
                reason,
                minutes=CHANGE_REQUEST_MINUTES,
                project=change_request.project,
                severity=CHANGE_REQUEST_SEVERITY + min(impact.slip_days // 7, 49),
                subject_key=f"change-request-{change_request.pk}",
                on_accept=partial(_take_up, change_request.pk),
            )
        )
    return proposals


def decision_request(title, reason, *, minutes: int, project: Project, **more) -> Proposal:
    """A decision the committee is asked to take on `project` (presented by its manager): `title` and
    `reason` are texts (planning.texts), kept as keys for the item that takes the proposal up."""
    return Proposal(
        kind=AgendaItem.Kind.DECISION_REQUEST,
        title=str(title),
        reason=str(reason),
        title_text=title,
        reason_text=reason,
        planned_minutes=minutes,
        project=project,
        presenter=project.project_manager,
        **more,
    )


def reason_of(change_request: ChangeRequest, impact: Impact):
    """The slip, the budget change and the number of other projects' dependencies it breaks (planning.texts
    words it; never the other projects' names: the agenda's readers may not see them)."""
    return texts.change_request_reason(
        slip_days=impact.slip_days,
        budget_change=impact.budget_change,
        budget_percent=impact.budget_change_percent,
        currency=change_request.project.currency,
        breaks=len(impact.breaks),
    )


def _take_up(change_request_pk: int, item: AgendaItem) -> None:
    """Called by governance's agenda_accept, in its transaction: the request now waits for this item, which
    takes up the item of an earlier meeting that did not discuss it (the minutes of that meeting say so)."""
    previous = ChangeRequest.objects.filter(pk=change_request_pk).values_list("agenda_item", flat=True).get()
    ChangeRequest.objects.filter(pk=change_request_pk).update(agenda_item=item)
    if (
        previous
        and AgendaItem.objects.not_discussed()
        .filter(pk=previous, meeting__state=Meeting.State.CLOSED, carried_to__isnull=True)
        .exists()
    ):
        AgendaItem.objects.filter(pk=item.pk).update(carried_from=previous)
        item.carried_from_id = previous


def _items_taken_back() -> Q:
    """The items of change requests: a request not discussed comes back from `change_requests`, which
    takes the request's own item, not from governance's carry-over."""
    return Q(change_requests__isnull=False)


# --- The live page -----------------------------------------------------------------------------------------


def change_request_card(item: AgendaItem, *, user, today: date) -> dict | None:
    """The change request the item decides, for whoever may see its project: what changes (old -> new),
    its impact (live while it is pending, as decided once it is), and the decisions recorded on the item.

    None for an item of another kind (no query) or no request the user may see. Queries: the request with
    its project, its milestone lines and the item's decisions; the impact (planning.impact) while pending,
    or the baseline it replaced once approved; the consumer projects the user may see when it breaks some.
    """
    if item.kind != AgendaItem.Kind.DECISION_REQUEST:
        return None
    lines = ChangeRequestMilestone.objects.select_related("milestone").order_by("new_date", "pk")
    change_request = (
        ChangeRequest.objects.visible_to(user)
        .filter(agenda_item=item.pk)
        .select_related("project__last_report", "agenda_item", "resulting_baseline", "raised_by")
        .prefetch_related(
            Prefetch("milestone_changes", queryset=lines),
            Prefetch(
                "agenda_item__decisions",
                queryset=Decision.objects.visible_to(user).order_by("recorded_at", "pk"),
            ),
        )
        .first()
    )
    if change_request is None:
        return None
    project = change_request.project
    old = _old_values(change_request)
    pending = change_request.is_pending
    impact = impact_of(change_request) if pending else Impact.from_json(change_request.impact)
    consumers = {link.consumer for link in impact.breaks}
    visible = (
        dict(Project.objects.visible_to(user).filter(pk__in=consumers).values_list("pk", "code"))
        if consumers
        else {}
    )
    changes = []
    if change_request.new_start:
        changes.append({"what": "start", "old": old["start"], "new": change_request.new_start})
    if change_request.new_end:
        changes.append({"what": "end", "old": old["end"], "new": change_request.new_end})
    if change_request.new_budget is not None:
        changes.append({"what": "budget", "old": old["budget"], "new": change_request.new_budget})
    milestones = [
        {
            "name": line.milestone.name if line.milestone else line.name,
            "old": old["milestones"].get(line.milestone_id) if line.milestone_id else None,
            "new": line.new_date,
        }
        for line in change_request.milestone_changes.all()
    ]
    budget_change = None
    if impact.budget_change is not None:
        budget_change = texts.signed(Decimal(impact.budget_change), places=0) + f" {project.currency}"
        if impact.budget_change_percent is not None:
            percent = texts.signed(Decimal(impact.budget_change_percent), places=1)
            budget_change += f" ({percent} %)"
    return {
        "change_request": change_request,
        "budget_change": budget_change,
        "project": project,
        "pending": pending,
        "changes": changes,
        "milestones": milestones,
        "impact": impact,
        "breaks": [
            {
                "link": link,
                "consumer": visible.get(link.consumer),  # None: a confidential project
                "needed_by": date.fromisoformat(link.needed_by),
                "new_date": date.fromisoformat(link.new_date),
            }
            for link in impact.breaks
        ],
        "next_version": project.baseline_version + 1,
        "decisions": list(change_request.agenda_item.decisions.all()),
    }


def _old_values(change_request: ChangeRequest) -> dict:
    """What the request changes from: the project's current baseline while it is pending (or rejected),
    the baseline its approval replaced once approved."""
    resulting = getattr(change_request, "resulting_baseline", None)
    if resulting is not None:
        before = (
            Baseline.objects.filter(project=change_request.project_id, number=resulting.number - 1)
            .prefetch_related(Prefetch("milestones", queryset=BaselineMilestone.objects.all()))
            .first()
        )
        if before is not None:
            return {
                "start": before.start,
                "end": before.end,
                "budget": before.budget,
                "milestones": {m.milestone_id: m.date for m in before.milestones.all()},
            }
    project = change_request.project
    return {
        "start": project.baseline_start,
        "end": project.baseline_end,
        "budget": project.budget,
        "milestones": {
            line.milestone_id: line.milestone.baseline_date
            for line in change_request.milestone_changes.all()
            if line.milestone is not None
        },
    }


# --- The committee's decision, the gate's baseline ----------------------------------------------------------


def _on_decision_recorded(sender, *, decision: Decision, by, **kwargs) -> None:
    """A decision recorded on the item of a pending change request decides it, in the same transaction:
    approved (with or without conditions) applies it as the next baseline; rejected closes it; deferred
    leaves it pending, for a later meeting. The decision's title names the request (the minutes list it)."""
    from planning.services import DECISION_TO_STATE, change_request_decide

    state = DECISION_TO_STATE.get(decision.outcome)
    if decision.agenda_item_id is None or state is None:
        return
    change_request = ChangeRequest.objects.pending().filter(agenda_item=decision.agenda_item_id).first()
    if change_request is None:
        return
    if not decision.title_key and change_request.reference not in decision.title:
        decision.title = f"{change_request.reference} {decision.title}"[:DECISION_TITLE_MAX]
        Decision.objects.filter(pk=decision.pk).update(title=decision.title)
    change_request_decide(change_request=change_request, state=state, by=by, decision=decision)


def _on_gate_passed(sender, *, review, project: Project, by, **kwargs) -> None:
    """Passing the gate into the phase that takes the baseline (execution) takes v1, when the project has
    none yet (a project baselined by the PMO keeps its baseline)."""
    from planning.services import baseline_take

    phase = review.to_phase
    if phase is None or not phase.takes_baseline or project.baseline_version:
        return
    baseline_take(project=project, by=by, origin=Baseline.Origin.GATE)


def register() -> None:
    from governance.extensions import (
        register_agenda_source,
        register_items_taken_back,
        register_live_extra,
    )
    from governance.signals import decision_recorded, gate_passed

    register_agenda_source("change_requests", change_requests)
    register_items_taken_back("change_requests", _items_taken_back)
    register_live_extra("planning/_live_change_request.html", change_request_card, order=10)
    decision_recorded.connect(_on_decision_recorded, dispatch_uid="planning.change_request_decided")
    gate_passed.connect(_on_gate_passed, dispatch_uid="planning.baseline_at_gate")
