"""The API's JSON parser: DRF's, refusing (400) two things Python's json module reads but the API could
not answer.

- A string holding half a UTF-16 surrogate pair (`"\\ud800"` alone) is not text: it cannot be written
  in UTF-8, not even in the error message that echoes a refused choice, so the answer failed (500).
- Nesting deeper than the interpreter's stack (5,000 `[`) stopped the parser with a RecursionError
  (500). No body of this API nests more than a few levels: deeper than MAX_DEPTH is refused too.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DrfJSONParser

MAX_DEPTH = 32


class JSONParser(DrfJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(too_deep()) from error
        check(data)
        return data


def too_deep() -> str:
    return _("JSON parse error: the body is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}


def check(data) -> None:
    """Walks the parsed body without recursion: its depth, and every string (keys included) as text."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ParseError(too_deep())
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise ParseError(
                    _(
                        "JSON parse error: a string holds half of a UTF-16 surrogate pair "
                        "(\\ud800 to \\udfff alone), which is not text."
                    )
                ) from error
