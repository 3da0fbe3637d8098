"""Codes for new projects from the PMO's pattern, when the file gives none ("PRJ-{n:04}").

Numbering continues after the highest code of that pattern already in the database (whoever may
see it: a code is unique across the whole portfolio), one number per project created, in row order.
A row rolled back gives its number back, so a dry run shows the codes the commit will give.
"""

from __future__ import annotations

import re

from imports.mapping import code_pattern_parts
from portfolio.models import Project


class CodeSequence:
    def __init__(self, pattern: str) -> None:
        parts = code_pattern_parts(pattern)
        if parts is None:  # pragma: no cover - the mapping refuses such a pattern
            raise ValueError(pattern)
        prefix, suffix = parts
        self.pattern = pattern
        number = re.compile(re.escape(prefix) + r"(\d+)" + re.escape(suffix))
        codes = Project.objects.filter(code__startswith=prefix, code__endswith=suffix).values_list(
            "code", flat=True
        )
        self.last = max(
            (int(match.group(1)) for code in codes if (match := number.fullmatch(code))), default=0
        )

    def next(self) -> str:
        self.last += 1
        return self.pattern.format(n=self.last)

    def give_back(self, code: str) -> None:
        """The row that took `code` was rolled back: the next new project takes it."""
        if code == self.pattern.format(n=self.last):
            self.last -= 1
