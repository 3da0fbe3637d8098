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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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


def planned_value(
    *,
    bac: Decimal,
    at: date,
    start: date | None,
    end: date | None,
    milestones: Iterable[tuple[date, Decimal]] = (),
) -> Decimal:
    """The budget planned to be earned by `at`.

    With weighted milestones, each milestone's share of BAC is planned at its
    baseline date; without them, BAC is spread evenly over the baseline dates.
    """
    weighted = [(day, weight) for day, weight in milestones if weight > 0]
    if weighted:
        total = sum(weight for _day, weight in weighted)
        due = sum(weight for day, weight in weighted if day <= at)
        return _money(bac * due / total)
    if start is None or end is None or at < start:
        return Decimal(0)
    if at >= end or end == start:
        return _money(bac)
    return _money(bac * Decimal((at - start).days) / Decimal((end - start).days))
