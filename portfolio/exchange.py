"""Money across currencies: the one conversion every total uses.

Projects keep their own currency. A total across projects is in the reporting currency
(REPORTING_CURRENCY): each amount is converted at the PMO's rate (`ExchangeRate`) in force on the as-at
date, the latest whose `valid_from` is on or before it. An amount already in the reporting currency needs
no rate. An amount in a currency with no rate in force is "not converted": the caller lists it and
leaves it out of the total; it is never summed as if it were in the reporting currency.

A converted amount is rounded to the cent, so a total is exactly the sum of the converted amounts an
export lists.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pmo.money import reporting_currency
from portfolio.models.exchange_rate import ExchangeRate

CENT = Decimal("0.01")
ONE = Decimal(1)


@dataclass(frozen=True)
class Rate:
    """1 unit of `currency` is worth `value` units of the reporting currency, from `valid_from` on
    (None: the reporting currency itself, no rate needed)."""

    currency: str
    value: Decimal
    valid_from: date | None = None


@dataclass(frozen=True)
class Converted:
    """An amount in the reporting currency `currency`, or "not converted" (`rate` None: no rate in force)."""

    amount: Decimal | None
    currency: str
    rate: Rate | None

    @property
    def converted(self) -> bool:
        return self.rate is not None

    @property
    def rate_date(self) -> date | None:
        """The date of the rate used; None when none was needed (or none was in force)."""
        return self.rate.valid_from if self.rate else None


class Rates:
    """The PMO's rates into the reporting currency, read in one query the first time a currency other
    than the reporting one asks for a rate (a portfolio all in the reporting currency costs none)."""

    def __init__(
        self, *, currency: str | None = None, table: dict[str, list[tuple[date, Decimal]]] | None = None
    ):
        self.currency = currency or reporting_currency()
        self._table = table

    @property
    def table(self) -> dict[str, list[tuple[date, Decimal]]]:
        if self._table is None:
            table: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
            for currency, valid_from, value in (
                ExchangeRate.objects.filter(reporting_currency=self.currency)
                .order_by("currency", "valid_from")
                .values_list("currency", "valid_from", "rate")
            ):
                table[currency].append((valid_from, value))
            self._table = dict(table)
        return self._table

    def rate(self, currency: str, *, on: date) -> Rate | None:
        """The rate of `currency` in force on `on`, or None."""
        if not currency or currency == self.currency:
            return Rate(currency=self.currency, value=ONE)
        dated = self.table.get(currency, [])
        index = bisect_right(dated, on, key=lambda pair: pair[0])
        if not index:
            return None
        valid_from, value = dated[index - 1]
        return Rate(currency=currency, value=value, valid_from=valid_from)

    def convert(self, amount: Decimal | None, currency: str, *, on: date) -> Converted:
        """`amount` in `currency` in the reporting currency at the rate in force on `on`."""
        rate = self.rate(currency, on=on)
        if rate is None or amount is None:
            return Converted(amount=None, currency=self.currency, rate=rate)
        if rate.valid_from is None:
            return Converted(amount=amount, currency=self.currency, rate=rate)
        value = (amount * rate.value).quantize(CENT, rounding=ROUND_HALF_UP)
        return Converted(amount=value, currency=self.currency, rate=rate)


def convert(amount: Decimal | None, currency: str, *, on: date, rates: Rates | None = None) -> Converted:
    """`amount` in `currency`, in the reporting currency at the rate in force on `on` (or not converted)."""
    return (rates or Rates()).convert(amount, currency, on=on)
