"""Earned value of a project at a date, in Decimal throughout.

BAC budget at completion; PV planned value at the date, from the baseline
plan; EV = % complete x BAC; AC actual cost; CV = EV - AC; SV = EV - PV;
CPI = EV / AC; SPI = EV / PV; EAC = BAC / CPI; ETC = EAC - AC;
VAC = BAC - EAC; TCPI = (BAC - EV) / (BAC - AC).

Indices are taken to three decimals before anything is derived from them,
as in the PMI's published examples (CPI 0.893 gives EAC 4,479 on a BAC of
4,000), so that the EAC a reader recomputes from the CPI shown agrees with
the EAC shown. A ratio whose denominator is zero is undefined: None, shown
as "n/a", never 0.

An agile project with a release plan earns value the AgileEVM way (`portfolio.agile`): PV is the share
of its planned sprints ended by the status date, EV the share of its release's points done; the rest is
the same arithmetic, so its indices are read like any other project's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portfolio.agile import ReleaseFigures

INDEX = Decimal("0.001")
MONEY = Decimal("0.01")
HUNDRED = Decimal(100)


def _index(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return (numerator / denominator).quantize(INDEX, rounding=ROUND_HALF_UP)


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(MONEY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EarnedValue:
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal

    @classmethod
    def of(cls, *, bac: Decimal, pv: Decimal, percent_complete: Decimal, ac: Decimal) -> EarnedValue:
        return cls(bac=bac, pv=pv, ev=_money(bac * percent_complete / HUNDRED), ac=ac)

    @property
    def cv(self) -> Decimal:
        return self.ev - self.ac

    @property
    def sv(self) -> Decimal:
        return self.ev - self.pv

    @property
    def cpi(self) -> Decimal | None:
        return _index(self.ev, self.ac)

    @property
    def spi(self) -> Decimal | None:
        return _index(self.ev, self.pv)

    @property
    def eac(self) -> Decimal | None:
        cpi = self.cpi
        return None if not cpi else _money(self.bac / cpi)

    @property
    def etc(self) -> Decimal | None:
        eac = self.eac
        return None if eac is None else eac - self.ac

    @property
    def vac(self) -> Decimal | None:
        eac = self.eac
        return None if eac is None else self.bac - eac

    @property
    def tcpi(self) -> Decimal | None:
        return _index(self.bac - self.ev, self.bac - self.ac)


def status_date(period: date) -> date:
    """The date a weekly status speaks for: the last day (Sunday) of its ISO week, named by its Monday."""
    return period + timedelta(days=6)


# A time-phased budget, when the project has one, is the plan that PV follows (the S-curve). Portfolio
# does not know where it is kept: finance registers, in its AppConfig.ready(), the function that reads
# the phased budgets of some projects, {project id: [(month, amount of that month), ...]}, in one query.
PhasedCurves = Callable[[Iterable[int]], dict[int, list[tuple[date, Decimal]]]]
_phased_curves: list[PhasedCurves] = []


def register_phased_curves(reader: PhasedCurves) -> None:
    """Set (or replace: `ready()` may run twice) the reader of phased budgets."""
    _phased_curves[:] = [reader]


def phased_budgets(project_ids: Iterable[int]) -> dict[int, list[tuple[date, Decimal]]]:
    """The phased budget of each of these projects that has one (one query; none without a reader)."""
    return _phased_curves[0](project_ids) if _phased_curves else {}


def phased_curve(months: Iterable[tuple[date, Decimal]]) -> list[tuple[date, Decimal]] | None:
    """See `_phased_points`; a project's phasing is read at several dates (the dashboard's trends), so its
    curve is drawn once (kept for the next reads of the same phasing)."""
    points = _phased_points(tuple(months))
    return None if points is None else list(points)


@lru_cache(maxsize=1024)  # a thousand projects' phasings: a few megabytes
def _phased_points(months: tuple[tuple[date, Decimal], ...]) -> tuple[tuple[date, Decimal], ...] | None:
    """A phased budget as (date, share of the phased total planned by then) points; None when it holds
    nothing. Each month's amount is planned evenly over its days and wholly by its last day: the curve
    starts at 0 on the last day of the month before the first phased one and reaches each month's
    cumulative share on that month's last day (Feb 15 of a 28-day month: January's amount plus 15/28 of
    February's)."""
    by_month: dict[date, Decimal] = {}
    for month, amount in months:
        by_month[month.replace(day=1)] = by_month.get(month.replace(day=1), Decimal(0)) + amount
    amounts = sorted((month, amount) for month, amount in by_month.items() if amount)
    total = sum((amount for _month, amount in amounts), Decimal(0))
    if total <= 0:
        return None
    points, done = [(amounts[0][0] - timedelta(days=1), Decimal(0))], Decimal(0)
    for month, amount in amounts:
        done += amount
        last_day = (month + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        if last_day == points[-1][0]:
            points[-1] = (last_day, done / total)
        else:
            # A month left out of the phasing (nothing planned then) keeps the curve flat across it.
            if month - timedelta(days=1) > points[-1][0]:
                points.append((month - timedelta(days=1), points[-1][1]))
            points.append((last_day, done / total))
    return tuple(points)


def baseline_curve(
    *,
    start: date | None,
    end: date | None,
    milestones: Iterable[tuple[date, Decimal]] = (),
    phased: Iterable[tuple[date, Decimal]] = (),
) -> list[tuple[date, Decimal]] | None:
    """The baseline plan as (date, share of BAC planned by then) points, from 0 to 1; None without dates.

    A phased budget (`phased`: (month, amount) pairs) gives the curve when it holds anything: see
    `phased_curve`; its shape, scaled to BAC (a phased total that differs from the budget is the
    phasing grid's warning, not a different BAC). Otherwise, with weighted milestones, each milestone's
    cumulative weight is its point, starting from 0 at the
    baseline start; without them, the baseline start (0) and end (1). Planned value between two points
    is linear: a milestone's share is earned over the weeks leading to it, not on its day.
    """
    phased_points = phased_curve(phased)
    if phased_points is not None:
        return phased_points
    weighted = sorted((day, weight) for day, weight in milestones if weight > 0)
    if start is None:
        return None
    if weighted:
        total = sum(weight for _day, weight in weighted)
        points, done = [(start, Decimal(0))], Decimal(0)
        for day, weight in weighted:
            done += weight
            points.append((max(day, start), done / total))
        return points
    if end is None:
        return None
    return [(start, Decimal(0)), (max(end, start), Decimal(1))]


def planned_value(
    *,
    bac: Decimal,
    at: date,
    start: date | None,
    end: date | None,
    milestones: Iterable[tuple[date, Decimal]] = (),
    phased: Iterable[tuple[date, Decimal]] = (),
) -> Decimal | None:
    """The budget planned to be earned by `at`, following the baseline curve; None without baseline dates
    (or a phased budget).

    0 before the baseline start, BAC from the last milestone (or the baseline end without weighted
    milestones), linear between consecutive points of the curve: it moves a little every day, so SPI
    never jumps on a milestone's date.
    """
    curve = baseline_curve(start=start, end=end, milestones=milestones, phased=phased)
    if curve is None:
        return None
    share = Decimal(0)
    for (before, planned_before), (after, planned_after) in pairwise(curve):
        if at >= after:
            share = planned_after
        elif at > before:
            elapsed = Decimal((at - before).days) / Decimal((after - before).days)
            share = planned_before + (planned_after - planned_before) * elapsed
            break
        else:
            break
    return _money(bac * share)


def earned_value_at_status(
    *,
    bac: Decimal | None,
    period: date,
    percent_complete: Decimal | None,
    actual_cost: Decimal | None,
    start: date | None,
    end: date | None,
    milestones: Iterable[tuple[date, Decimal]] = (),
    phased: Iterable[tuple[date, Decimal]] = (),
    release: ReleaseFigures | None = None,
    points_done: Decimal | None = None,
    release_points: Decimal | None = None,
) -> EarnedValue | None:
    """A project's earned value from one weekly status: PV at that status's date (the end of its week),
    not at the day it is read, so that a report keeps its SPI whenever it is looked at.

    With a `release` (an agile project's release plan), AgileEVM: PV = sprints ended by the status date /
    planned sprints x BAC, EV = `points_done` / the release's scope (`release_points`, else the planned
    points) x BAC, taken from the points rather than the rounded % complete; a status without points
    earns its % complete.

    Undefined (None, shown "n/a") without a budget, baseline dates (or a release plan), % complete (or
    points) or actual cost: nothing unknown is taken as 0.
    """
    if release is not None:
        if not bac or actual_cost is None:
            return None
        scope = release.scope(release_points)
        share = None if points_done is None or not scope else min(Decimal(1), points_done / scope)
        if share is None:
            if percent_complete is None:
                return None
            share = percent_complete / HUNDRED
        pv = _money(bac * release.planned_share(status_date(period)))
        return EarnedValue(bac=bac, pv=pv, ev=_money(bac * share), ac=actual_cost)
    if not bac or percent_complete is None or actual_cost is None:
        return None
    pv = planned_value(
        bac=bac, at=status_date(period), start=start, end=end, milestones=milestones, phased=phased
    )
    if pv is None:
        return None
    return EarnedValue.of(bac=bac, pv=pv, percent_complete=percent_complete, ac=actual_cost)
