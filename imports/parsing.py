"""Reading the values of a spreadsheet cell: amounts, numbers, dates (imports.dates), yes/no, value maps.

Pure functions, no Django request and no database: the browser flow, the `import_portfolio`
command and the property tests call the same code. Every reader returns a value or raises
ParseError with a message for the person who will fix the file; a text that is not a number is
never read as zero, and nothing else is raised, whatever the input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from imports.cells import SPACES as _SPACES
from imports.cells import ParseError, is_blank, normalise, text_of
from imports.dates import FIRST_YEAR, LAST_YEAR, excel_serial, parse_date

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Money",
    "ParseError",
    "ValueMap",
    "excel_serial",
    "header_unit",
    "is_blank",
    "normalise",
    "parse_bool",
    "parse_date",
    "parse_money",
    "parse_number",
    "parse_percent",
    "text_of",
]

CENT = Decimal("0.01")
MAX_TEXT = 200  # a longer cell is no amount, date or rating; say so instead of scanning it
MAX_DIGITS = 20

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

_WORD_AT_END = re.compile(r"([^\W\d_]+)\.?$")
_WORD_AT_START = re.compile(r"^([^\W\d_]+)\.?")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None  # None: the cell named no currency


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
