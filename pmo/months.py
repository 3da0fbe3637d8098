"""Months and fiscal years: the grain of money by month and people by month.

A month is its first day (a `date` with day 1), everywhere: in the database, in forms and in exports.
A fiscal year is named by the calendar year it ends in when it does not start in January (FY 2027 runs
from April 2026 to March 2027 when FISCAL_YEAR_START_MONTH is 4), by its own year otherwise.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def end_of(day: date) -> datetime:
    """The last moment of `day` in the organisation's time zone."""
    next_day = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return next_day - timedelta(microseconds=1)


def month_of(day: date) -> date:
    """The month `day` falls in (its first day)."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The month `count` months after `month` (before it when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of `month`."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first`'s to `last`'s, both included (empty when `last` is before `first`)."""
    months, month = [], month_of(first)
    while month <= month_of(last):
        months.append(month)
        month = add_months(month, 1)
    return months


def is_month(day: date) -> bool:
    return day.day == 1


@dataclass(frozen=True, order=True)
class FiscalYear:
    """Twelve months from `start`; `year` is its name (see the module docstring)."""

    year: int
    start: date

    @classmethod
    def named(cls, year: int, *, start_month: int | None = None) -> FiscalYear:
        start_month = start_month or settings.FISCAL_YEAR_START_MONTH
        return cls(year, date(year if start_month == 1 else year - 1, start_month, 1))

    @classmethod
    def of(cls, day: date, *, start_month: int | None = None) -> FiscalYear:
        """The fiscal year `day` falls in."""
        start_month = start_month or settings.FISCAL_YEAR_START_MONTH
        year = day.year if start_month == 1 or day.month < start_month else day.year + 1
        return cls.named(year, start_month=start_month)

    @property
    def end(self) -> date:
        """Its last month."""
        return add_months(self.start, 11)

    @property
    def months(self) -> list[date]:
        return [add_months(self.start, n) for n in range(12)]

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= month_end(self.end)

    def __iter__(self) -> Iterator[date]:
        return iter(self.months)

    def __str__(self) -> str:
        return f"FY{self.year}" if self.start.month != 1 else str(self.year)
