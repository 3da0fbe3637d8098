"""Reporting periods: weeks (ISO, named by their Monday), calendar months and quarters.

A KPI is measured once per period of its frequency; the dashboard reads each
KPI over the period that holds its "as at" date and compares it with the
period before. The PDF reports of the reports issue use the same periods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


@dataclass(frozen=True, order=True)
class Period:
    frequency: str
    start: date

    @classmethod
    def containing(cls, frequency: str, day: date) -> Period:
        if frequency == Frequency.WEEKLY:
            return cls(frequency, day - timedelta(days=day.weekday()))
        if frequency == Frequency.MONTHLY:
            return cls(frequency, day.replace(day=1))
        if frequency == Frequency.QUARTERLY:
            return cls(frequency, date(day.year, 3 * ((day.month - 1) // 3) + 1, 1))
        raise ValueError(f"Unknown frequency {frequency!r}")

    @classmethod
    def parse(cls, frequency: str, text: str) -> Period:
        """A period written "2026-W47" (weekly), "2026-11" (monthly), "2026-Q4" (quarterly), or any day
        of it as "2026-11-15". Raises ValueError with a message for anything else."""
        text = text.strip().upper()
        try:
            if match := re.fullmatch(r"(\d{4})-W(\d{1,2})", text):
                if frequency != Frequency.WEEKLY:
                    raise ValueError
                return cls(frequency, date.fromisocalendar(int(match[1]), int(match[2]), 1))
            if match := re.fullmatch(r"(\d{4})-Q([1-4])", text):
                if frequency != Frequency.QUARTERLY:
                    raise ValueError
                return cls(frequency, date(int(match[1]), 3 * int(match[2]) - 2, 1))
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
                return cls.containing(frequency, date(int(match[1]), int(match[2]), 1))
            return cls.containing(frequency, date.fromisoformat(text))
        except ValueError:
            examples = {
                Frequency.WEEKLY: "2026-W47",
                Frequency.MONTHLY: "2026-11",
                Frequency.QUARTERLY: "2026-Q4",
            }
            raise ValueError(
                f"{text!r} is not a {frequency} period: write it like {examples.get(frequency, '')} "
                "or as a day of it, 2026-11-15"
            ) from None

    @property
    def end(self) -> date:
        """The last day of the period."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        if self.frequency == Frequency.WEEKLY:
            return Period(self.frequency, self.start + timedelta(weeks=1))
        months = 1 if self.frequency == Frequency.MONTHLY else 3
        month = self.start.month - 1 + months
        return Period(self.frequency, date(self.start.year + month // 12, month % 12 + 1, 1))

    def previous(self) -> Period:
        return Period.containing(self.frequency, self.start - timedelta(days=1))

    def last(self, count: int) -> list[Period]:
        """This period and the `count - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]

    def until(self, day: date) -> date:
        """The end of the period, or `day` if the period is still running then."""
        return min(self.end, day)

    @property
    def label(self) -> str:
        """ "2026-W47", "11/2026" / "Nov 2026", "2026 Q4" / "T4 2026", in the reader's language."""
        if self.frequency == Frequency.WEEKLY:
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.frequency == Frequency.MONTHLY:
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT").capitalize()
        quarter = (self.start.month - 1) // 3 + 1
        label = pgettext("quarter label", "Q%(quarter)d %(year)d")
        return label % {"quarter": quarter, "year": self.start.year}

    def __str__(self) -> str:
        return self.label
