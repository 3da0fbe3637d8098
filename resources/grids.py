"""What the capacity and demand grids share: the window of months a page shows (`?from=YYYY-MM`, twelve
months, the current one by default), reading an FTE typed in a cell, and the grid's fingerprint.

A grid is saved in one POST, all or nothing: every cell is read, each refused one keeps what was typed and
says why, and nothing is written unless every cell is right. The page sends the fingerprint of the stored
values it showed; when they changed since (someone else saved), the save is refused with 409 and the grid
shows what is stored now beside what was typed, so that saving again is a deliberate choice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import sanitize_separators
from django.utils.translation import gettext as _

from pmo.months import add_months, month_of
from resources.models.capacity import FTE_MAX

WINDOW = 12


@dataclass(frozen=True)
class Window:
    months: list[date]

    @property
    def first(self) -> date:
        return self.months[0]

    @property
    def last(self) -> date:
        return self.months[-1]

    @property
    def previous(self) -> str:
        return f"{add_months(self.first, -len(self.months)):%Y-%m}"

    @property
    def next(self) -> str:
        return f"{add_months(self.first, len(self.months)):%Y-%m}"

    @property
    def param(self) -> str:
        return f"{self.first:%Y-%m}"


def parse_month(text: str | None) -> date | None:
    """ "2026-03" as the month it names; None when it names none."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2999 else None
    except ValueError:
        return None


def window(request, *, length: int = WINDOW) -> Window:
    """The months a page shows: `length` from `?from=` (the current month when absent or not a month)."""
    first = parse_month(request.GET.get("from")) or month_of(timezone.localdate())
    return Window([add_months(first, n) for n in range(length)])


def read_fte(text: str) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, message) for what was typed in a cell; blank is (None, None): nothing."""
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        value = Decimal(sanitize_separators(text).replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None, _("Type a number of FTE, such as 1.5.")
    if not value.is_finite():
        return None, _("Type a number of FTE, such as 1.5.")
    if value < 0:
        return None, _("An FTE cannot be negative.")
    if value > FTE_MAX:
        return None, _("At most %(max)s FTE.") % {"max": FTE_MAX}
    if value != value.quantize(Decimal("0.01")):
        return None, _("At most two decimals.")
    return value, None


def fingerprint(values: Iterable[tuple]) -> str:
    """A short digest of stored cells (any tuples of plain values), the same whatever their order."""
    digest = hashlib.sha256()
    for row in sorted(tuple(str(part) for part in value) for value in values):
        digest.update("|".join(row).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:32]


def month_key(month: date) -> str:
    return f"{month:%Y-%m}"
