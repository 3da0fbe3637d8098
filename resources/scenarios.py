"""Scenarios: a what-if saved, brought to the portfolio committee, and applied when it approves it.

- `scenario_create`: the scenario and one change per project (shift N months, or pause), from a month on;
- `scenario_propose`: to a portfolio committee (state proposed), whose next meeting's agenda proposes it
  (resources.meetings); `scenario_withdraw`: taken back while a draft or proposed;
- `scenario_decide`: the committee's decision recorded on its item; approved applies it (`scenario_apply`),
  rejected closes it, deferred leaves it proposed for the next meeting;
- `scenario_apply`: each change moves the project's demand rows and its budget and forecast rows (never
  actuals) from the scenario's month on with `Adjustment.moved`, the rule the what-if showed; rows landing
  on the same month are added together (as the what-if adds them). A pause removes them and puts the
  project on hold. Row by row, so that every row's history is kept; in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import MonthlyAmount
from pmo.months import month_of
from portfolio.adjustments import Adjustment
from portfolio.models import Project
from resources.models import Demand, Scenario, ScenarioChange
from resources.models.scenario import MAX_SHIFT_MONTHS

OPEN = (Scenario.State.DRAFT, Scenario.State.PROPOSED)
MOVED_KINDS = (MonthlyAmount.Kind.BUDGET, MonthlyAmount.Kind.FORECAST)


class ScenarioError(ValidationError):
    pass


@transaction.atomic
def scenario_create(
    *, name: str, description: str = "", from_month: date, changes: dict[int, Adjustment], by
) -> Scenario:
    """A draft scenario with one change per project whose adjustment changes something."""
    changes = {pk: a for pk, a in changes.items() if a.is_change}
    if not name.strip():
        raise ScenarioError(_("Give the scenario a name."))
    if not changes:
        raise ScenarioError(_("A scenario moves or pauses at least one project."))
    if any(abs(a.shift_months) > MAX_SHIFT_MONTHS for a in changes.values()):
        raise ScenarioError(_("A shift is at most %(max)d months.") % {"max": MAX_SHIFT_MONTHS})
    scenario = Scenario.objects.create(
        name=name.strip(), description=description.strip(), from_month=month_of(from_month), created_by=by
    )
    ScenarioChange.objects.bulk_create(
        ScenarioChange(scenario=scenario, project_id=pk, shift_months=0 if a.pause else a.shift_months,
                       pause=a.pause)
        for pk, a in sorted(changes.items())
    )  # fmt: skip
    return scenario


def scenario_adjustments(scenario: Scenario) -> dict[int, Adjustment]:
    """{project id: Adjustment} of the scenario's changes (one query unless prefetched)."""
    return {change.project_id: change.as_adjustment() for change in scenario.changes.all()}


@transaction.atomic
def scenario_propose(*, scenario: Scenario, committee, by) -> Scenario:
    from governance.models import Committee

    if scenario.state not in OPEN:
        raise ScenarioError(_("Only a draft or proposed scenario can be brought to a committee."))
    if committee.kind != Committee.Kind.PORTFOLIO:
        raise ScenarioError(_("A scenario is brought to a portfolio committee."))
    scenario.state, scenario.committee = Scenario.State.PROPOSED, committee
    scenario.save(update_fields=["state", "committee"])
    return scenario


@transaction.atomic
def scenario_withdraw(*, scenario: Scenario, by) -> Scenario:
    if scenario.state not in OPEN:
        raise ScenarioError(_("Only a draft or proposed scenario can be withdrawn."))
    scenario.state = Scenario.State.WITHDRAWN
    scenario.save(update_fields=["state"])
    return scenario


@transaction.atomic
def scenario_decide(*, scenario: Scenario, outcome: str, decision, by) -> Scenario:
    """The committee's decision: approved (with or without conditions) applies the scenario; rejected closes
    it; deferred leaves it proposed (its next meeting's agenda proposes it again)."""
    from governance.models import Decision

    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.state != Scenario.State.PROPOSED or outcome == Decision.Outcome.DEFERRED:
        return scenario
    if outcome in (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS):
        scenario_apply(scenario=scenario, by=by)
        scenario.state = Scenario.State.APPROVED
    elif outcome == Decision.Outcome.REJECTED:
        scenario.state = Scenario.State.REJECTED
    else:
        return scenario
    scenario.decision, scenario.decided_at = decision, timezone.now()
    scenario.save(update_fields=["state", "decision", "decided_at"])
    return scenario


@transaction.atomic
def scenario_apply(*, scenario: Scenario, by) -> None:
    """Move each changed project's demand and future budget / forecast as the what-if showed."""
    from_month = scenario.from_month
    for change in scenario.changes.select_related("project"):
        adjustment = change.as_adjustment()
        _move_demand(change.project_id, adjustment, from_month=from_month, by=by)
        _move_money(change.project_id, adjustment, from_month=from_month, by=by)
        if adjustment.pause and change.project.state != Project.State.ON_HOLD:
            project = change.project
            project.state = Project.State.ON_HOLD
            project.save(update_fields=["state"])


def _move(
    rows, *, keys: tuple[str, ...], amount: str, fixed: dict, adjustment: Adjustment, from_month, by
) -> None:
    """Move the project's `rows` (of one model, every one that may be touched) as `adjustment` says from
    `from_month`: the wanted total per (`keys`, target month) is the sum of the rows moved there plus the
    rows already there and not moved; rows are updated in place where they can be (history kept), created
    (with `fixed`) or deleted otherwise."""

    def key_of(row) -> tuple:
        return tuple(getattr(row, name) for name in keys)

    wanted: dict[tuple, Decimal] = defaultdict(Decimal)
    by_place: dict[tuple, object] = {}
    for row in rows:
        by_place[(*key_of(row), row.month)] = row
        target = adjustment.moved(row.month, from_month=from_month)
        if target is not None:
            wanted[(*key_of(row), target)] += getattr(row, amount)
    for place, row in by_place.items():
        if place not in wanted:
            row.delete()
    model = type(rows[0]) if rows else None
    for place, total in wanted.items():
        row = by_place.get(place)
        if row is None:
            *values, month = place
            model.objects.create(
                **fixed, **dict(zip(keys, values, strict=True)), month=month, **{amount: total}, updated_by=by
            )
        elif getattr(row, amount) != total:
            setattr(row, amount, total)
            row.updated_by = by
            row.save(update_fields=[amount, "updated_by", "updated_at"])


def _move_demand(project_id: int, adjustment: Adjustment, *, from_month: date, by) -> None:
    low = min(from_month, from_month if adjustment.pause else _shifted(from_month, adjustment))
    rows = list(Demand.objects.filter(project=project_id, month__gte=low))
    _move(
        rows,
        keys=("role_id", "person_id"),
        amount="fte",
        fixed={"project_id": project_id},
        adjustment=adjustment,
        from_month=from_month,
        by=by,
    )


def _move_money(project_id: int, adjustment: Adjustment, *, from_month: date, by) -> None:
    low = min(from_month, from_month if adjustment.pause else _shifted(from_month, adjustment))
    rows = list(MonthlyAmount.objects.filter(project=project_id, kind__in=MOVED_KINDS, month__gte=low))
    _move(
        rows,
        keys=("category_id", "kind"),
        amount="amount",
        fixed={"project_id": project_id},
        adjustment=adjustment,
        from_month=from_month,
        by=by,
    )


def _shifted(month: date, adjustment: Adjustment) -> date:
    from pmo.months import add_months

    return add_months(month, adjustment.shift_months)
