"""Scenarios and over-allocation in the portfolio committee: proposed on its agenda, shown on the live
page, and the decision recorded on a scenario's item applied to it.

Plugged into governance through its registries and its `decision_recorded` signal (governance does not
depend on resources). Items are recognised by their title's key and parameters (pmo.texts), as planning's
broken dependencies are: no link is stored on the scenario or the cell.

- "scenarios": a proposed scenario on its committee's next meeting, its before / after in the reason
  (counts and totals, never a project's name), unless an item about it waits in a meeting still to be held
  or was left undiscussed by a closed one; a deferred one comes back at the next meeting;
- "over_allocation": for a portfolio committee, one proposal per directorate x role over-allocated in the
  next `HORIZON_MONTHS` months with demand from a project in its scope, naming the projects behind it as
  every member may see them ("a confidential project" otherwise), not proposed again while one waits.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from governance.models import AgendaItem, Committee, Decision, Meeting
from governance.selectors import Proposal, carried_over_items, decided_item_params
from pmo.models import Directorate
from pmo.months import add_months, month_of
from portfolio.models import Project
from resources import texts
from resources.allocation import allocation
from resources.models import ResourceRole, Scenario

HORIZON_MONTHS = 6
SCENARIO_MINUTES = 15
OVER_MINUTES = 10
# Agenda order (governance.selectors, worst first): with change requests (50..99): a scenario, then an
# over-allocation (the more months, the higher), after escalated risks, before projects' exceptions.
SCENARIO_SEVERITY = 60
OVER_SEVERITY = 45
STILL_TO_BE_HELD = (Meeting.State.PLANNED, Meeting.State.IN_PROGRESS)


def horizon(today: date) -> list[date]:
    """The next months: this one and the five after it."""
    return [add_months(month_of(today), n) for n in range(HORIZON_MONTHS)]


def _waiting(meeting: Meeting, key: str) -> list[dict]:
    """Parameters of the committee's items with this title key that wait: in a meeting still to be held,
    or left undiscussed by a closed one (carried over). One query."""
    carried = carried_over_items(meeting.committee_id, before=meeting.starts_at).values("pk")
    return list(
        AgendaItem.objects.filter(meeting__committee=meeting.committee_id, title_key=key)
        .filter(Q(meeting__state__in=STILL_TO_BE_HELD) | Q(pk__in=carried))
        .values_list("title_params", flat=True)
    )


# --- The agenda ------------------------------------------------------------------------------------------


def scenario_proposals(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """The proposed scenarios routed to the meeting's committee, one proposal each. None, without a query,
    for a committee of another kind than portfolio (scenarios go to portfolio committees only). Queries:
    the scenarios; when there are some, their changes with their projects, the waiting items and each
    scenario's comparison (resources.whatif)."""
    from resources.scenarios import scenario_adjustments
    from resources.whatif import compare

    if meeting.committee.kind != Committee.Kind.PORTFOLIO:
        return []
    scenarios = list(
        Scenario.objects.filter(state=Scenario.State.PROPOSED, committee=meeting.committee_id)
        .select_related("created_by")
        .prefetch_related("changes__project")
        .order_by("created_at", "pk")
    )
    if scenarios:
        waiting = {params.get("scenario") for params in _waiting(meeting, texts.SCENARIO_TITLE)}
        scenarios = [scenario for scenario in scenarios if scenario.pk not in waiting]
    proposals = []
    for scenario in scenarios:
        adjustments = scenario_adjustments(scenario)
        comparison = compare(
            user=scenario.created_by,
            adjustments=adjustments,
            directorate_ids={c.project.directorate_id for c in scenario.changes.all()} - {None},
            from_month=scenario.from_month,
            today=today,
        )
        title = texts.scenario_title(scenario)
        reason = reason_of(comparison, changes=len(adjustments))
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.DECISION_REQUEST,
                title=str(title),
                reason=str(reason),
                title_text=title,
                reason_text=reason,
                planned_minutes=SCENARIO_MINUTES,
                presenter=scenario.created_by,
                severity=SCENARIO_SEVERITY,
                subject_key=f"scenario-{scenario.pk}",
            )
        )
    return proposals


def reason_of(comparison, *, changes: int):
    from django.utils.formats import number_format

    def amount(value):
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)

    return texts.scenario_reason(
        changes=changes,
        over_before=comparison.over_before,
        over_after=comparison.over_after,
        forecast_before=amount(comparison.money_before.forecast),
        forecast_after=amount(comparison.money_after.forecast),
        currency=comparison.currency,
        year=str(comparison.fiscal_year.year),
    )


def over_allocation_proposals(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """For a portfolio committee: one proposal per over-allocated directorate x role (see the module).
    Queries: the committee (unless joined), the waiting items, the allocation (2), the scope's projects
    among those behind the cells, the ones every member may see, the directorates and the roles."""
    committee = meeting.committee
    if committee.kind != Committee.Kind.PORTFOLIO:
        return []
    waiting = {
        (params.get("directorate_id"), params.get("role_id"))
        for params in _waiting(meeting, texts.OVER_TITLE)
    }
    cells = allocation(months=horizon(today)).over_cells()
    behind = {pk for cell in cells for pk in cell.projects}
    if not behind:
        return []
    in_scope = set(committee.projects_in_scope().filter(pk__in=behind).values_list("pk", flat=True))
    named = dict(
        Project.objects.seen_by_every_member_of(committee.pk).filter(pk__in=behind).values_list("pk", "code")
    )
    names = dict(Project.objects.filter(pk__in=named).values_list("pk", "name"))
    groups: dict[tuple[int, int], list] = defaultdict(list)
    for cell in cells:
        if in_scope & set(cell.projects) and (cell.directorate_id, cell.role_id) not in waiting:
            groups[cell.directorate_id, cell.role_id].append(cell)
    if not groups:
        return []
    directorates = {d.pk: d for d in Directorate.objects.filter(pk__in={d for d, _r in groups})}
    roles = {r.pk: r for r in ResourceRole.objects.filter(pk__in={r for _d, r in groups})}
    proposals = []
    for (directorate_id, role_id), group in sorted(groups.items()):
        group.sort(key=lambda cell: cell.month)
        projects = sorted({pk for cell in group for pk, fte in cell.projects.items() if fte})
        role = roles[role_id]
        title = texts.over_title(
            directorate_id=directorate_id,
            role_id=role_id,
            directorate=directorates[directorate_id].code,
            role=role.name,
            role_en=role.name_en,
        )
        reason = texts.over_reason(
            months=[(cell.month, _percent(cell)) for cell in group],
            projects=[f"{named[pk]} {names[pk]}" if pk in named else "" for pk in projects],
        )
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.DECISION_REQUEST,
                title=str(title),
                reason=str(reason),
                title_text=title,
                reason_text=reason,
                planned_minutes=OVER_MINUTES,
                severity=OVER_SEVERITY + len(group),
                subject_key=f"over-allocation-{directorate_id}-{role_id}",
            )
        )
    return proposals


def _percent(cell) -> int | None:
    load = cell.load
    return round(load * 100) if load is not None else None


# --- The live page ----------------------------------------------------------------------------------------


def _label(project_id: int, visible: dict[int, tuple[str, str]]) -> str:
    from django.utils.translation import gettext as _

    if project_id in visible:
        code, name = visible[project_id]
        return f"{code} {name}"
    return _("a confidential project")


def _names(user, ids) -> dict[int, tuple[str, str]]:
    """{pk: (code, name)} of these projects that `user` may see. One query."""
    rows = Project.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "code", "name")
    return {pk: (code, name) for pk, code, name in rows}


def live_card(item: AgendaItem, *, user, today: date) -> dict | None:
    """A scenario's card (its changes, over-allocated cells before / after, its state) or an over-allocated
    cell's card (its months and the projects behind them), each project named as `user` may see it. None,
    without a query, for any other item."""
    if item.title_key == texts.SCENARIO_TITLE:
        return _scenario_card(item, user=user)
    if item.title_key == texts.OVER_TITLE:
        return _over_card(item, user=user, today=today)
    return None


def _scenario_card(item: AgendaItem, *, user) -> dict | None:
    from resources.scenarios import scenario_adjustments

    scenario = (
        Scenario.objects.filter(pk=(item.title_params or {}).get("scenario"))
        .prefetch_related("changes__project")
        .first()
    )
    if scenario is None:
        return None
    changes = list(scenario.changes.all())
    ids = [change.project_id for change in changes]
    visible = _names(user, ids)
    adjustments = scenario_adjustments(scenario)
    counts = None
    if scenario.state == Scenario.State.PROPOSED:
        months = [add_months(scenario.from_month, n) for n in range(12)]
        directorates = {c.project.directorate_id for c in changes} - {None}
        before = allocation(months=months, directorates=directorates)
        after = allocation(
            months=months, directorates=directorates, adjustments=adjustments, from_month=scenario.from_month
        )
        counts = (len(before.over_cells()), len(after.over_cells()))
    return {
        "kind": "scenario",
        "scenario": scenario,
        "changes": [
            {"project": _label(c.project_id, visible), "shift": c.shift_months, "pause": c.pause}
            for c in changes
        ],
        "counts": counts,
        "decisions": list(
            Decision.objects.visible_to(user).filter(agenda_item=item.pk).order_by("recorded_at")
        ),
    }


def _over_card(item: AgendaItem, *, user, today: date) -> dict | None:
    params = item.title_params or {}
    directorate_id, role_id = params.get("directorate_id"), params.get("role_id")
    if not directorate_id or not role_id:
        return None
    cells = [
        cell
        for cell in allocation(
            months=horizon(today), directorates=[directorate_id], roles=[role_id]
        ).cells.values()
        if cell.over
    ]
    cells.sort(key=lambda cell: cell.month)
    ids = {pk for cell in cells for pk in cell.projects}
    visible = _names(user, ids) if ids else {}
    return {
        "kind": "over_allocation",
        "cells": [
            {
                "cell": cell,
                "percent": _percent(cell),
                "projects": sorted((_label(pk, visible), fte) for pk, fte in cell.projects.items() if fte),
            }
            for cell in cells
        ],
    }


# --- The committee's decision ------------------------------------------------------------------------------


def _on_decision_recorded(sender, *, decision: Decision, by, **kwargs) -> None:
    """A decision recorded on a proposed scenario's item decides it, in the same transaction (see
    resources.scenarios.scenario_decide)."""
    from resources.scenarios import scenario_decide

    params = decided_item_params(decision, texts.SCENARIO_TITLE)
    if params is None:
        return
    scenario = Scenario.objects.filter(pk=params.get("scenario"), state=Scenario.State.PROPOSED).first()
    if scenario is None:
        return
    scenario_decide(scenario=scenario, outcome=decision.outcome, decision=decision, by=by)


def register() -> None:
    from governance.extensions import register_agenda_source, register_live_extra
    from governance.signals import decision_recorded

    register_agenda_source("scenarios", scenario_proposals)
    register_agenda_source("over_allocation", over_allocation_proposals)
    register_live_extra("resources/_live_card.html", live_card, order=30)
    decision_recorded.connect(_on_decision_recorded, dispatch_uid="resources.scenario_decided")
