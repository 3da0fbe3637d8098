"""A column mapping: which source column fills which field, how values are translated, and defaults.

The same JSON is the browser's saved mapping (`ColumnMapping.definition`) and the `--mapping`
file of `import_portfolio`; docs/imports.md documents every key. Pure code: no
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from string import Formatter
from typing import Any

from django.utils.translation import gettext as _

from imports.fields import BY_NAME, CONFIDENCE, CREATABLE, TARGETS, Target
from imports.parsing import UNIT_NAMES, normalise
from imports.tables import Table

KEYS = (
    "description",
    "sheet",
    "header_row",
    "columns",
    "fallbacks",
    "key_column",
    "values",
    "defaults",
    "create",
    "money_unit",
    "decimal_separator",
    "date_formats",
    "status_period",
    "code_pattern",
    "plan_sheets",
    "plan_columns",
)
PLAN_KINDS = ("milestones", "dependencies")
KEY_FIELDS = ("code", "name")


class MappingError(Exception):
    """A mapping that cannot be used as written; `problems` lists each thing to fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Mapping:
    columns: dict[str, str | None] = field(default_factory=dict)  # source header -> field (None: ignored)
    fallbacks: dict[str, list[str]] = field(default_factory=dict)  # field -> columns read when blank
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> source value -> target
    defaults: dict[str, Any] = field(default_factory=dict)  # field -> value for new projects and statuses
    create: list[str] = field(default_factory=list)  # of CREATABLE
    key_column: str | None = None
    money_unit: str | None = None  # a UNIT_NAMES key; None: read from each header ("(£m)")
    decimal_separator: str | None = None  # "." or ","; None: worked out from each value
    date_formats: list[str] = field(default_factory=list)
    status_period: date | None = None
    code_pattern: str | None = None  # "PRJ-{n:04}": codes for new projects of a file that gives none
    sheet: str | None = None
    header_row: int | None = None
    description: str = ""
    # The plan sheets (imports.plan): kind -> sheet name, and kind -> {source header: field or null}.
    plan_sheets: dict[str, str] = field(default_factory=dict)
    plan_columns: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> Mapping:
        """Read and check a mapping's JSON object; MappingError lists everything that is wrong at once."""
        problems: list[str] = []
        if not isinstance(data, dict):
            raise MappingError([_("A mapping is a JSON object (between braces).")])
        for key in data:
            if key not in KEYS:
                problems.append(_("Unknown key “%(key)s”.") % {"key": key})
        mapping = cls(
            columns=_columns(data.get("columns", {}), problems),
            fallbacks=_fallbacks(data.get("fallbacks", {}), problems),
            values=_values(data.get("values", {}), problems),
            defaults=_defaults(data.get("defaults", {}), problems),
            create=_create(data.get("create", []), problems),
            key_column=_optional_text(data, "key_column", problems),
            money_unit=_choice(data, "money_unit", tuple(UNIT_NAMES), problems),
            decimal_separator=_choice(data, "decimal_separator", (".", ","), problems),
            date_formats=_text_list(data.get("date_formats", []), "date_formats", problems),
            status_period=_period(data.get("status_period"), problems),
            code_pattern=_code_pattern(data.get("code_pattern"), problems),
            sheet=_optional_text(data, "sheet", problems),
            header_row=_header_row(data.get("header_row"), problems),
            description=str(data.get("description") or ""),
            plan_sheets=_plan_sheets(data.get("plan_sheets", {}), problems),
            plan_columns=_plan_columns(data.get("plan_columns", {}), problems),
        )
        mapped = [target for target in mapping.columns.values() if target]
        for name in sorted({name for name in mapped if mapped.count(name) > 1}):
            problems.append(
                _("Several columns are mapped to “%(field)s”: map one, and list the others in fallbacks.")
                % {"field": name}
            )
        if problems:
            raise MappingError(problems)
        return mapping

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "description": self.description,
            "columns": self.columns,
            "fallbacks": self.fallbacks,
            "key_column": self.key_column,
            "values": self.values,
            "defaults": self.defaults,
            "create": self.create,
            "money_unit": self.money_unit,
            "decimal_separator": self.decimal_separator,
            "date_formats": self.date_formats,
            "status_period": self.status_period.isoformat() if self.status_period else None,
            "code_pattern": self.code_pattern,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "plan_sheets": self.plan_sheets,
            "plan_columns": self.plan_columns,
        }
        return {key: value for key, value in data.items() if value not in (None, "", [], {})}

    # --- reading it against a file ----------------------------------------------------------------

    def column_of(self, name: str) -> str | None:
        """The source column mapped to a field, as the mapping spells it."""
        return next((column for column, target in self.columns.items() if target == name), None)

    def mapped_fields(self) -> list[Target]:
        names = {target for target in self.columns.values() if target}
        return [target for target in TARGETS if target.name in names]

    def key_field(self) -> str:
        """The project field rows are matched on: that of the key column, else the code (the name when
        the codes are generated from the pattern and no column gives them)."""
        if self.key_column:
            return self.columns.get(self._spelling(self.key_column) or "", None) or "code"
        if self.code_pattern and not self.column_of("code") and self.column_of("name"):
            return "name"
        return "code"

    def _spelling(self, column: str) -> str | None:
        wanted = normalise(column)
        return next((name for name in self.columns if normalise(name) == wanted), None)

    def problems_with(self, table: Table) -> list[str]:
        """What keeps this mapping from reading this file: columns it names that the file lacks, a bad key."""
        problems: list[str] = []
        present = table.column_index()
        named = [column for column, target in self.columns.items() if target]
        named += [column for columns in self.fallbacks.values() for column in columns]
        for column in named:
            if normalise(column) not in present:
                problems.append(_("The file has no column “%(column)s”.") % {"column": column})
        for name in self.fallbacks:
            if not self.column_of(name):
                problems.append(
                    _("Fallback columns are given for “%(field)s”, but no column is mapped to it.")
                    % {"field": name}
                )
        if self.key_column:
            spelling = self._spelling(self.key_column)
            if spelling is None or self.columns.get(spelling) not in KEY_FIELDS:
                problems.append(
                    _("The key column “%(column)s” must be mapped to the code or the name.")
                    % {"column": self.key_column}
                )
        elif not self.column_of("code") and not (self.code_pattern and self.column_of("name")):
            problems.append(
                _("No column is mapped to the code: map one, or choose a key column mapped to the name.")
            )
        return problems


def guess_columns(headers: list[str]) -> dict[str, str | None]:
    """A first mapping from the headers' words: each field goes to the header that names it best."""
    scores: list[tuple[int, int, str, str]] = []
    for position, header in enumerate(headers):
        text = normalise(header)
        words = set(text.replace("/", " ").replace("-", " ").replace("(", " ").replace(")", " ").split())
        for target in TARGETS:
            for rank, synonym in enumerate(target.synonyms):
                if text == synonym or text == target.name.replace("_", " "):
                    score = 100
                elif " " in synonym and synonym in text:
                    score = 60 - rank
                elif synonym in words and len(words) <= 8:  # a short header that says it, not a narrative
                    score = 40 - rank - len(words)
                else:
                    continue
                scores.append((score, -position, header, target.name))
    guessed: dict[str, str | None] = dict.fromkeys(headers)
    taken: set[str] = set()
    for score, _position, header, name in sorted(scores, reverse=True):
        if score > 0 and guessed[header] is None and name not in taken:
            guessed[header] = name
            taken.add(name)
    return guessed


# --- checking each key of the JSON ----------------------------------------------------------------


def _field_name(name: Any, where: str, problems: list[str]) -> bool:
    if name in BY_NAME:
        return True
    problems.append(
        _("%(where)s: “%(field)s” is not a field that can be imported.") % {"where": where, "field": name}
    )
    return False


def _columns(raw: Any, problems: list[str]) -> dict[str, str | None]:
    if not isinstance(raw, dict):
        problems.append(_("columns: expected an object of source column -> field."))
        return {}
    columns: dict[str, str | None] = {}
    for column, target in raw.items():
        if target in (None, "", "ignore"):
            columns[str(column)] = None
        elif isinstance(target, str) and _field_name(target, "columns", problems):
            columns[str(column)] = target
        elif not isinstance(target, str):
            problems.append(
                _("columns: the field of “%(column)s” must be a name or null.") % {"column": column}
            )
    return columns


def _fallbacks(raw: Any, problems: list[str]) -> dict[str, list[str]]:
    if not isinstance(raw, dict):
        problems.append(_("fallbacks: expected an object of field -> list of columns."))
        return {}
    fallbacks: dict[str, list[str]] = {}
    for name, columns in raw.items():
        if _field_name(name, "fallbacks", problems):
            listed = [columns] if isinstance(columns, str) else columns
            fallbacks[name] = _text_list(listed, "fallbacks", problems)
    return fallbacks


def _values(raw: Any, problems: list[str]) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        problems.append(_("values: expected an object of field -> {source value: target}."))
        return {}
    values: dict[str, dict[str, Any]] = {}
    for name, entries in raw.items():
        if not _field_name(name, "values", problems):
            continue
        if not isinstance(entries, dict) or any(
            not isinstance(target, str | int | float | type(None)) or isinstance(target, bool)
            for target in entries.values()
        ):
            problems.append(
                _("values.%(field)s: expected {source value: target value or null}.") % {"field": name}
            )
            continue
        values[name] = {
            str(source): (None if target is None else str(target)) for source, target in entries.items()
        }
    return values


def _defaults(raw: Any, problems: list[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(_("defaults: expected an object of field -> value."))
        return {}
    defaults: dict[str, Any] = {}
    for name, value in raw.items():
        if _field_name(name, "defaults", problems):
            if BY_NAME[name].on == CONFIDENCE:
                # A delivery confidence is someone's assessment of this project: a default would make one up.
                problems.append(
                    _("defaults.%(field)s: a delivery confidence is assessed, never given by default.")
                    % {"field": name}
                )
            elif isinstance(value, dict | list):
                problems.append(_("defaults.%(field)s: expected a single value.") % {"field": name})
            elif value is not None:
                defaults[name] = value if isinstance(value, bool) else str(value)
    return defaults


def _create(raw: Any, problems: list[str]) -> list[str]:
    listed = _text_list(raw, "create", problems)
    for name in listed:
        if name not in CREATABLE:
            problems.append(
                _("create: “%(field)s” cannot be created by an import (only %(fields)s).")
                % {"field": name, "fields": ", ".join(CREATABLE)}
            )
    return [name for name in listed if name in CREATABLE]


def _text_list(raw: Any, where: str, problems: list[str]) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        problems.append(_("%(where)s: expected a list of texts.") % {"where": where})
        return []
    return list(raw)


def _optional_text(data: dict, key: str, problems: list[str]) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        problems.append(_("%(key)s: expected a text.") % {"key": key})
        return None
    return value


def _choice(data: dict, key: str, allowed: tuple[str, ...], problems: list[str]) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if value not in allowed:
        problems.append(
            _("%(key)s: expected one of %(allowed)s.") % {"key": key, "allowed": ", ".join(allowed)}
        )
        return None
    return value


def _period(raw: Any, problems: list[str]) -> date | None:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(_("status_period: expected a date written 2026-03-31."))
        return None


def _code_pattern(raw: Any, problems: list[str]) -> str | None:
    if raw in (None, ""):
        return None
    if not isinstance(raw, str) or code_pattern_parts(raw) is None:
        problems.append(
            _("code_pattern: expected a text with one number {n}, such as “PRJ-{n:04}” (PRJ-0001…).")
        )
        return None
    return raw


def code_pattern_parts(pattern: str) -> tuple[str, str] | None:
    """The texts before and after the number of a code pattern (("PRJ-", "") for "PRJ-{n:04}"); None if
    it is no pattern of one number `n`."""
    try:
        parts = list(Formatter().parse(pattern))
        pattern.format(n=1)
    except (ValueError, KeyError, IndexError):
        return None
    named = [index for index, (_text, name, _spec, _conversion) in enumerate(parts) if name is not None]
    if len(named) != 1 or parts[named[0]][1] != "n":
        return None
    prefix = "".join(text for text, *_rest in parts[: named[0] + 1])
    suffix = "".join(text for text, *_rest in parts[named[0] + 1 :])
    return prefix, suffix


def _plan_sheets(raw: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or any(
        kind not in PLAN_KINDS or not isinstance(name, str) for kind, name in raw.items()
    ):
        problems.append(_("plan_sheets: expected an object of milestones or dependencies -> sheet name."))
        return {}
    return dict(raw)


def _plan_columns(raw: Any, problems: list[str]) -> dict[str, dict[str, str | None]]:
    if not isinstance(raw, dict) or any(
        kind not in PLAN_KINDS
        or not isinstance(columns, dict)
        or any(not isinstance(name, str | type(None)) for name in columns.values())
        for kind, columns in raw.items()
    ):
        problems.append(
            _("plan_columns: expected an object of milestones or dependencies -> {source column: field}.")
        )
        return {}
    return {
        kind: {str(column): name or None for column, name in columns.items()} for kind, columns in raw.items()
    }


def _header_row(raw: Any, problems: list[str]) -> int | None:
    if raw in (None, ""):
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        problems.append(_("header_row: expected a row number from 1."))
        return None
    return raw
