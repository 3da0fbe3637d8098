"""What every cell reader shares: the error it raises, a cell as text, and the folded form used to compare."""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime
from typing import Any

# Spaces that spreadsheets and French number formatting put between thousands.
SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2008\u2009\u200a\u3000\t"), " ")


class ParseError(Exception):
    """A cell that cannot be read as the field needs; `message` says why, for the person fixing it."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


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


def one_line(text: str) -> str:
    """Every run of whitespace (line breaks of a multi-line cell or header too) as one space."""
    return " ".join(str(text).split())


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalise(text: Any) -> str:
    """The form of a text used to compare headers and values: case, accents' encodings, spaces folded."""
    folded = unicodedata.normalize("NFKC", text_of(text)).casefold()
    return " ".join(folded.split())


def clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
