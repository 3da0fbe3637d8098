"""Exchange rates from a CSV the PMO pastes or uploads: read, previewed, then saved all at once.

The file has a header row naming three columns, `currency`, `valid_from` and `rate` (French names and
`;` separators with decimal commas are read too). Reading never writes: `read_rates` returns every row's
outcome (new, changed, unchanged) and every error with its line and column, and `save_rates` writes the
rows only when there is no error, so a bad file loses nothing and changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.money import reporting_currency
from portfolio.models import ExchangeRate

MAX_ROWS = 10_000
COLUMNS = {
    "currency": ("currency", "devise", "code"),
    "valid_from": (
        "valid_from",
        "valid from",
        "date",
        "from",
        "valable du",
        "valable à partir du",
        "date d'effet",
    ),
    "rate": ("rate", "taux", "cours"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
OUTCOMES = {NEW: gettext_lazy("new"), CHANGED: gettext_lazy("changed"), UNCHANGED: gettext_lazy("unchanged")}


@dataclass
class RateRow:
    line: int
    currency: str
    valid_from: date
    rate: Decimal
    outcome: str = NEW
    previous: Decimal | None = None

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES[self.outcome])


@dataclass
class RateError:
    line: int
    column: str
    message: str


@dataclass
class RateFile:
    rows: list[RateRow] = field(default_factory=list)
    errors: list[RateError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for row in self.rows if row.outcome != UNCHANGED)


def _header(names: list[str]) -> dict[str, int]:
    wanted = {}
    for index, name in enumerate(names):
        key = name.strip().strip("\ufeff").casefold()
        for column, aliases in COLUMNS.items():
            if key in aliases and column not in wanted:
                wanted[column] = index
    return wanted


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _rate(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_rates(text: str) -> RateFile:
    """Every row of `text` checked against the rates saved: nothing is written."""
    result = RateFile()
    lines = text.strip().splitlines()
    if not lines:
        result.errors.append(RateError(0, "", _("The file is empty.")))
        return result
    dialect = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=dialect)
    columns = _header(next(reader))
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        result.errors.append(
            RateError(
                1,
                ", ".join(missing),
                _("The header row must name the columns currency, valid_from and rate."),
            )
        )
        return result
    reporting = reporting_currency()
    seen: dict[tuple[str, date], int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if line > MAX_ROWS + 1:
            result.errors.append(
                RateError(line, "", _("Too many rows: at most %(max)s.") % {"max": MAX_ROWS})
            )
            break

        value = {name: cells[index].strip() if index < len(cells) else "" for name, index in columns.items()}
        currency, day, rate = value["currency"].upper(), _date(value["valid_from"]), _rate(value["rate"])
        errors = []
        if not re.fullmatch(r"[A-Z]{3}", currency):
            errors.append(RateError(line, "currency", _("A three-letter ISO 4217 code, such as EUR.")))
        elif currency == reporting:
            errors.append(RateError(line, "currency", _("Amounts in the reporting currency need no rate.")))
        if day is None:
            errors.append(RateError(line, "valid_from", _("A date such as 2026-11-30 or 30/11/2026.")))
        if rate is None or rate <= 0:
            errors.append(RateError(line, "rate", _("A number greater than zero, such as 13.2 or 13,2.")))
        elif rate.as_tuple().exponent < -8 or rate >= 10**12:
            errors.append(
                RateError(line, "rate", _("At most twelve digits before the point and eight after."))
            )
        if not errors and (currency, day) in seen:
            errors.append(
                RateError(
                    line,
                    "valid_from",
                    _("Same currency and date as line %(line)s.") % {"line": seen[currency, day]},
                )
            )
        if errors:
            result.errors.extend(errors)
            continue
        seen[currency, day] = line
        result.rows.append(RateRow(line=line, currency=currency, valid_from=day, rate=rate))
    if not result.rows and not result.errors:
        result.errors.append(RateError(0, "", _("The file has no rate.")))
    saved = {
        (currency, valid_from): rate
        for currency, valid_from, rate in ExchangeRate.objects.filter(
            reporting_currency=reporting, currency__in={row.currency for row in result.rows}
        ).values_list("currency", "valid_from", "rate")
    }
    for row in result.rows:
        previous = saved.get((row.currency, row.valid_from))
        if previous is not None:
            row.previous = previous
            row.outcome = UNCHANGED if previous == row.rate else CHANGED
    return result


@transaction.atomic
def save_rates(rates: RateFile) -> int:
    """Write the rows of a file without errors (new ones added, changed ones updated); how many changed."""
    if rates.errors:
        raise ValueError("a file with errors is never saved")
    reporting = reporting_currency()
    for row in rates.rows:
        if row.outcome != UNCHANGED:
            ExchangeRate.objects.update_or_create(
                currency=row.currency,
                reporting_currency=reporting,
                valid_from=row.valid_from,
                defaults={"rate": row.rate},
            )
    return rates.changes
