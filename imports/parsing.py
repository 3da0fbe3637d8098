"""Reading the values of a spreadsheet cell: amounts, numbers, dates, yes/no, and the value mapping.

Pure functions, no Django request and no database: the browser flow, the `import_portfolio`
command and the property tests call the same code. Every reader returns a value or raises
ParseError with a message for the person who will fix the file; a text that is not a number is
never read as zero, and nothing else is raised, whatever the input.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
MAX_TEXT = 200  # a longer cell is no amount, date or rating; say so instead of scanning it
MAX_DIGITS = 20
FIRST_YEAR, LAST_YEAR = 1900, 2199  # outside these, a date is a typo (or a serial read as a date)

# Spaces that spreadsheets and French number formatting put between thousands.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2008\u2009\u200a\u3000\t"), " ")
_MINUS = {ord("\u2212"): "-", ord("\ufe63"): "-", ord("\uff0d"): "-"}
_GROUPING = " '\u2019"  # thousands separators that are never a decimal separator

CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "¥": "JPY", "₣": "CHF"}
# Written forms of currencies beside the ISO codes (any three capital letters are taken as one).
CURRENCY_ALIASES = {"DH": "MAD", "DHS": "MAD", "MAD": "MAD", "EUR": "EUR", "GBP": "GBP", "USD": "USD"}

THOUSAND, MILLION, BILLION = Decimal(10) ** 3, Decimal(10) ** 6, Decimal(10) ** 9
UNIT_WORDS = {
    "k": THOUSAND,
    "thousand": THOUSAND,
    "thousands": THOUSAND,
    "m": MILLION,
    "mn": MILLION,
    "mio": MILLION,
    "million": MILLION,
    "millions": MILLION,
    "bn": BILLION,
    "billion": BILLION,
    "billions": BILLION,
    "md": BILLION,  # French: milliard
    "mds": BILLION,
    "mrd": BILLION,
    "milliard": BILLION,
    "milliards": BILLION,
}
# Units and currency in one word, as Moroccan and French tables write them.
UNIT_CURRENCY_WORDS = {
    "mdh": (MILLION, "MAD"),
    "kdh": (THOUSAND, "MAD"),
    "mmad": (MILLION, "MAD"),
    "kmad": (THOUSAND, "MAD"),
    "meur": (MILLION, "EUR"),
    "keur": (THOUSAND, "EUR"),
}
# Currencies named in words in a column header ("Coût en millions de dirhams").
CURRENCY_WORDS = {"dirham": "MAD", "dirhams": "MAD", "euro": "EUR", "euros": "EUR", "pounds": "GBP"}
UNIT_NAMES = {"unit": Decimal(1), "thousand": THOUSAND, "million": MILLION, "billion": BILLION}

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
_WORD_AT_END = re.compile(r"([^\W\d_]+)\.?$")
_WORD_AT_START = re.compile(r"^([^\W\d_]+)\.?")


class ParseError(Exception):
    """A cell that cannot be read as the field needs; `message` says why, for the person fixing it."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None  # None: the cell named no currency


def text_of(value: Any) -> str:
    """A cell as the text a person would read in it (numbers without a spurious `.0`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalise(text: Any) -> str:
    """The form of a text used to compare headers and values: case, accents' encodings, spaces folded."""
    folded = unicodedata.normalize("NFKC", text_of(text)).casefold()
    return " ".join(folded.split())


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


# --- numbers and amounts -------------------------------------------------------------------------


def _digits(text: str, decimal_separator: str | None) -> Decimal:
    """A number written with digits, thousands separators and at most one decimal separator."""
    sign = ""
    if text[:1] in "+-":
        sign, text = text[:1], text[1:].lstrip()
    if not text or not re.fullmatch(r"[0-9.,' \u2019]+", text) or not text[-1].isdigit():
        raise ParseError(_("Not a number."))
    punctuation = [c for c in text if c in ".,"]
    grouped_by_space = any(c in _GROUPING for c in text)
    if decimal_separator:
        decimal = decimal_separator
    elif not punctuation:
        decimal = None
    elif len(set(punctuation)) == 2:
        decimal = punctuation[-1]
    elif len(punctuation) > 1:
        decimal = None
    elif grouped_by_space:
        decimal = punctuation[0]
    else:
        # One "." or ",": a decimal separator, unless exactly three digits follow it ("1,234" and
        # "1.234" are thousands, as in English and French tables). The mapping's decimal_separator
        # settles the rare three-decimal amount.
        before, after = text.split(punctuation[0])
        decimal = punctuation[0] if len(after) != 3 or before in ("", "0") else None
    if decimal and decimal in text:
        if text.count(decimal) > 1:
            raise ParseError(_("More than one decimal separator."))
        whole, fraction = text.split(decimal)
    else:
        whole, fraction = text, ""
    if fraction and not fraction.isdigit():
        raise ParseError(_("Separators after the decimal point."))
    separators = {c for c in whole if not c.isdigit()}
    if len(separators) > 1:
        raise ParseError(_("Mixed thousands separators."))
    groups = re.split(r"[.,' \u2019]", whole) if separators else [whole]
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])):
        raise ParseError(_("Thousands separators in the wrong places."))
    whole = "".join(groups) or "0"
    if len(whole.lstrip("0")) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
        raise ParseError(_("Too many digits."))
    return Decimal(f"{sign}{whole}.{fraction or '0'}")


def _native_number(value: Any) -> Decimal | None:
    """A number cell of a workbook as a Decimal (None when the cell holds text)."""
    if isinstance(value, bool):
        raise ParseError(_("Not a number."))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError(_("Not a number."))
        number = Decimal(repr(value))
    else:
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** MAX_DIGITS:
        raise ParseError(_("Too large."))
    return number


def _prepared(value: Any) -> str:
    text = text_of(value).translate(_SPACES).translate(_MINUS).strip()
    if len(text) > MAX_TEXT:
        raise ParseError(_("Too long to be a number."))
    return " ".join(text.split())


def parse_number(value: Any, *, decimal_separator: str | None = None) -> Decimal:
    """A plain number: "12.5", "12,5", "1 234,5", "(3)" (negative), a workbook's number cell."""
    native = _native_number(value)
    if native is not None:
        return native
    text = _prepared(value)
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    number = _digits(text, decimal_separator)
    return -number if negative else number


def parse_percent(value: Any, *, decimal_separator: str | None = None) -> Decimal:
    """A percentage: "45", "45 %", "45,5%". A workbook's percent cell arrives as "45%" (see tables)."""
    text = value if not isinstance(value, str) else value.strip().removesuffix("%").rstrip()
    return parse_number(text, decimal_separator=decimal_separator)


def header_unit(header: str) -> tuple[Decimal | None, str | None]:
    """The unit and currency a column header gives its amounts: "Budget (£m)", "Coût en millions de MAD"."""
    text = normalise(header)
    currency = None
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in text:
            currency = code
    for word, (multiplier, code) in UNIT_CURRENCY_WORDS.items():
        if re.search(rf"\b{word}\b", text):
            return multiplier, code
    codes = re.findall(r"\b(mad|eur|gbp|usd|dh|dhs|chf)\b", text)
    if codes:
        currency = CURRENCY_ALIASES.get(codes[-1].upper(), codes[-1].upper())
    for word, code in CURRENCY_WORDS.items():
        if re.search(rf"\b{word}\b", text):
            currency = code
    # "(£m)", "(m)", "(k€)", "(€bn)", "£m": a unit letter glued to a currency or in brackets.
    glued = re.search(r"(?:[£€$]\s?(k|m|mn|bn)\b)|(?:\b(k|m|mn|bn)\s?[£€$])|\(\s*(k|m|mn|bn)\s*\)", text)
    if glued:
        return UNIT_WORDS[next(g for g in glued.groups() if g)], currency
    words = re.search(r"\b(thousands?|millions?|billions?|milliards?|milliers?)\b", text)
    if words:
        word = words.group(1)
        return (
            THOUSAND if word.startswith(("thousand", "millier")) else UNIT_WORDS.get(word, BILLION)
        ), currency
    return None, currency


def _peel(text: str) -> tuple[str, Decimal | None, str | None]:
    """Take the currency and the unit off an amount: "£1,234.5m" -> ("1,234.5", million, "GBP")."""
    unit: Decimal | None = None
    currency: str | None = None

    def found_currency(code: str) -> None:
        nonlocal currency
        if currency is not None and currency != code:
            raise ParseError(_("Two currencies."))
        currency = code

    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in text:
            found_currency(code)
            text = text.replace(symbol, " ")
    text = text.replace("US ", " ") if currency == "USD" else text
    for pattern, at_end in ((_WORD_AT_END, True), (_WORD_AT_START, False)):
        for _attempt in range(2):  # a unit and a currency: "1,2 M EUR", "EUR 1.2 bn"
            text = text.strip()
            match = pattern.search(text)
            if not match:
                break
            word = match.group(1)
            if word.casefold() in UNIT_CURRENCY_WORDS and unit is None:
                unit, code = UNIT_CURRENCY_WORDS[word.casefold()]
                found_currency(code)
            elif word.casefold() in UNIT_WORDS and unit is None and at_end:
                unit = UNIT_WORDS[word.casefold()]
            elif word.upper() in CURRENCY_ALIASES or re.fullmatch(r"[A-Z]{3}", word):
                found_currency(CURRENCY_ALIASES.get(word.upper(), word.upper()))
            else:
                raise ParseError(_("Not an amount."))
            text = text[: match.start()] if at_end else text[match.end() :]
    return text.strip(), unit, currency


def parse_money(value: Any, *, unit: Decimal | None = None, decimal_separator: str | None = None) -> Money:
    """An amount as spreadsheets hold them: "£1,234.5m", "1 234,50 MAD", "12.5", "(1,234)".

    `unit` multiplies an amount whose cell names no unit of its own (the header's "(£m)" or the
    mapping's money_unit). The result is rounded to the cent.
    """
    native = _native_number(value)
    if native is not None:
        amount, cell_unit, currency = native, None, None
    else:
        text = _prepared(value)
        if not text:
            raise ParseError(_("The amount is empty."))
        negative = text.startswith("(") and text.endswith(")")
        text = text[1:-1].strip() if negative else text
        if text.startswith("-") and not text[1:2].isdigit():
            negative, text = not negative, text[1:].strip()  # "-£12" as well as "£-12"
        digits, cell_unit, currency = _peel(text)
        if digits.startswith("(") and digits.endswith(")"):
            negative, digits = not negative, digits[1:-1].strip()  # "£(1,234)"
        if not digits:
            raise ParseError(_("Not an amount."))
        amount = _digits(digits, decimal_separator)
        amount = -amount if negative else amount
    multiplier = cell_unit or unit or Decimal(1)
    try:
        scaled = (amount * multiplier).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ParseError(_("Too large.")) from None
    return Money(scaled, currency)


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
    text = " ".join(text_of(value).translate(_SPACES).split())
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


# --- yes/no and the value mapping ----------------------------------------------------------------

_TRUE = {"yes", "y", "true", "1", "oui", "o", "x", "vrai"}
_FALSE = {"no", "n", "false", "0", "non", "faux"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = normalise(value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError(_("Neither yes nor no."))


class ValueMap:
    """A field's value mapping: source value (or pattern with `*`) -> target, compared normalised.

    Exact entries win over patterns; patterns are tried in the order the mapping lists them.
    """

    def __init__(self, entries: dict[str, Any] | None) -> None:
        self.exact: dict[str, Any] = {}
        self.patterns: list[tuple[re.Pattern, Any, str]] = []
        for source, target in (entries or {}).items():
            key = normalise(source)
            if "*" in key:
                regex = ".*".join(re.escape(part) for part in key.split("*"))
                self.patterns.append((re.compile(regex, re.DOTALL), target, source))
            else:
                self.exact[key] = target

    def lookup(self, value: Any) -> tuple[bool, Any]:
        """(found, target): target None means "treat the cell as blank"."""
        key = normalise(value)
        if key in self.exact:
            return True, self.exact[key]
        pattern = self.pattern_for(value)
        return (True, pattern[1]) if pattern else (False, None)

    def pattern_for(self, value: Any) -> tuple[str, Any] | None:
        """(pattern, target) of the first pattern that matches the value, if any."""
        key = normalise(value)
        for regex, target, source in self.patterns:
            if regex.fullmatch(key):
                return source, target
        return None
