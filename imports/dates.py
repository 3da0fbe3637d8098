"""Reading dates as spreadsheets hold them: workbook dates and serials, ISO, day first, French months."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from imports.cells import SPACES, ParseError, text_of

FIRST_YEAR, LAST_YEAR = 1900, 2199  # outside these, a date is a typo (or a serial read as a date)
FRENCH_MONTHS = {
    "janvier": "January",
    "février": "February",
    "fevrier": "February",
    "mars": "March",
    "avril": "April",
    "mai": "May",
    "juin": "June",
    "juillet": "July",
    "août": "August",
    "aout": "August",
    "septembre": "September",
    "octobre": "October",
    "novembre": "November",
    "décembre": "December",
    "decembre": "December",
}
DEFAULT_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d/%m/%y",
    "%d.%m.%y",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
)
_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")

# --- dates ---------------------------------------------------------------------------------------


def _in_range(day: date, shown: Any) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ParseError(
            _("Not a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return day


def excel_serial(number: Any) -> date:
    """A workbook's date serial (1900 date system, with Lotus' 29 February 1900 that never was)."""
    try:
        serial = Decimal(number) if not isinstance(number, float) else Decimal(repr(number))
    except (InvalidOperation, ValueError):
        raise ParseError(_("Not a date.")) from None
    if not serial.is_finite() or not 1 <= serial < 110_000:
        raise ParseError(_("Not a date."))
    days = int(serial)
    if days == 60:
        raise ParseError(_("29 February 1900, which never was."))
    origin = date(1899, 12, 31) if days < 60 else date(1899, 12, 30)
    return _in_range(origin + timedelta(days=days), number)


def _english_months(text: str) -> str:
    words = text.split()
    return " ".join(FRENCH_MONTHS.get(word.casefold(), word) for word in words)


def _strptime(text: str, fmt: str) -> date | None:
    try:
        return datetime.strptime(text, fmt).date()
    except (ValueError, OverflowError):
        return None


def parse_date(value: Any, *, formats: tuple[str, ...] | list[str] = ()) -> date:
    """A date cell: a workbook's date or serial, ISO "2026-03-31", "31/03/2026", "31.03.2026", "31 mars 2026".

    `formats` (strptime formats, or "excel" for serial numbers written as text) are tried first:
    a file written month first says "%m/%d/%Y" there.
    """
    if isinstance(value, datetime):
        return _in_range(value.date(), value)
    if isinstance(value, date):
        return _in_range(value, value)
    if isinstance(value, bool):
        raise ParseError(_("Not a date."))
    if isinstance(value, int | float | Decimal):
        return excel_serial(value)
    text = " ".join(text_of(value).translate(SPACES).split())
    if not text:
        raise ParseError(_("The date is empty."))
    if len(text) > 40:
        raise ParseError(_("Not a date."))
    for fmt in formats:
        if fmt == "excel":
            if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
                return excel_serial(text)
            continue
        day = _strptime(text, fmt)
        if day is not None:
            return _in_range(day, text)
    iso = _ISO.fullmatch(text)
    if iso:
        try:
            day = date.fromisoformat(iso.group(1))
        except ValueError:
            raise ParseError(_("Not a valid date.")) from None
        return _in_range(day, text)
    plain = _english_months(_TRAILING_TIME.sub("", text))
    for fmt in DEFAULT_DATE_FORMATS:
        day = _strptime(plain, fmt)
        if day is not None:
            return _in_range(day, text)
    raise ParseError(_("Not a date (day/month/year or year-month-day)."))
