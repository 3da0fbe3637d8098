"""Reading one row of a file into field values, through the mapping: columns, fallbacks, value maps, parsers.

Each cell gives a value or a CellError naming the row, the column, the value and what is wrong.
References (directorates, people...) are resolved through `Lookups`; nothing else touches the
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from imports.cells import one_line
from imports.fields import BOOL, BY_NAME, CHOICE, DATE, FOREIGN, MONEY, PERCENT, TEXT, Target, choice_key
from imports.lookups import Lookups
from imports.mapping import Mapping
from imports.parsing import (
    UNIT_NAMES,
    Money,
    ParseError,
    ValueMap,
    header_unit,
    is_blank,
    normalise,
    parse_bool,
    parse_date,
    parse_money,
    parse_percent,
    text_of,
)
from imports.tables import Table

DEFAULT_COLUMN = "(default)"
MAX_SHOWN_VALUE = 200


@dataclass(frozen=True)
class CellError:
    row: int | None
    column: str
    value: str
    message: str
    sheet: str = ""  # a plan sheet's name ("Milestones"); blank for the projects' sheet

    def as_list(self) -> list:
        row = [self.row, self.column, self.value, self.message]
        return [*row, self.sheet] if self.sheet else row


@dataclass
class RowValues:
    number: int
    values: dict[str, Any] = field(default_factory=dict)  # field -> value, only for cells that gave one
    columns: dict[str, str] = field(default_factory=dict)  # field -> the column its value came from
    texts: dict[str, str] = field(default_factory=dict)  # field -> the cell's text, for messages
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blanked: int = 0  # cells the value mapping left blank (each also has a note)

    def error(self, name: str, message: Any) -> None:
        self.errors.append(
            CellError(self.number, self.columns.get(name, ""), self.texts.get(name, ""), str(message))
        )


def shown(value: Any) -> str:
    """A cell as a message quotes it: on one line (a multi-line cell's lines joined by a space), clipped."""
    text = one_line(text_of(value))
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 1] + "…"


class RowReader:
    def __init__(self, table: Table, mapping: Mapping, lookups: Lookups) -> None:
        self.mapping = mapping
        self.lookups = lookups
        index = table.column_index()
        self.sources: dict[str, list[tuple[str, int]]] = {}
        for target in mapping.mapped_fields():
            columns = [mapping.column_of(target.name), *mapping.fallbacks.get(target.name, [])]
            # Headers as messages name them: on one line, however the file wraps them.
            self.sources[target.name] = [
                (one_line(table.headers[index[normalise(column)]]), index[normalise(column)])
                for column in columns
                if column
            ]
        self.value_maps = {name: ValueMap(entries) for name, entries in mapping.values.items()}
        self.units: dict[int, Decimal | None] = {}
        self.header_currency: dict[int, str | None] = {}
        forced = UNIT_NAMES.get(mapping.money_unit) if mapping.money_unit else None
        for position, header in enumerate(table.headers):
            unit, currency = header_unit(header)
            self.units[position] = forced or unit
            self.header_currency[position] = currency
        # The currency the headers of the mapped amount columns give ("(£m)"): a new project's, even
        # when its amounts are blank.
        self.columns_currency = next(
            (
                self.header_currency[position]
                for target in mapping.mapped_fields()
                if target.kind == MONEY
                for _column, position in self.sources[target.name]
                if self.header_currency.get(position)
            ),
            None,
        )
        self.choice_names = {
            target.name: target.choice_names() for target in BY_NAME.values() if target.kind == CHOICE
        }

    def read(self, number: int, cells: list[Any]) -> RowValues:
        return self.read_into(RowValues(number), cells)

    def read_into(self, row: RowValues, cells: list[Any]) -> RowValues:
        for name, sources in self.sources.items():
            self._read_field(row, BY_NAME[name], sources, cells)
        return row

    def _read_field(
        self, row: RowValues, target: Target, sources: list[tuple[str, int]], cells: list[Any]
    ) -> None:
        value_map = self.value_maps.get(target.name)
        for column, position in sources:
            raw = cells[position] if position < len(cells) else None
            if is_blank(raw):
                continue
            row.columns[target.name], row.texts[target.name] = column, shown(raw)
            source_text = text_of(raw)
            if value_map is not None:
                found, mapped = value_map.lookup(raw)
                if found and mapped is None:
                    row.blanked += 1
                    row.notes.append(
                        _("%(column)s: “%(value)s” left blank by the value mapping.")
                        % {"column": column, "value": shown(raw)}
                    )
                    continue  # blank by the mapping: the next fallback column may have a value
                if found:
                    raw = mapped
            try:
                row.values[target.name] = self.convert(target, raw, position=position, source=source_text)
            except ParseError as error:
                row.error(target.name, error.message)
            return
        row.columns.pop(target.name, None)

    def convert(self, target: Target, raw: Any, *, position: int | None = None, source: str = "") -> Any:
        """A cell's (or a default's) value for `target`; ParseError says why it cannot be one."""
        if target.kind == TEXT:
            text = text_of(raw)
            return text.upper() if target.name == "currency" else text
        if target.kind == CHOICE:
            value = self.choice_names[target.name].get(choice_key(raw))
            if value is None:
                allowed = ", ".join(str(label) for _value, label in target.choices)
                raise ParseError(
                    _("Not one of: %(allowed)s. Map it in the value mapping.") % {"allowed": allowed}
                )
            return value
        if target.kind == FOREIGN:
            return self.lookups[target.name].resolve(text_of(raw), source=source or text_of(raw))
        if target.kind == MONEY:
            unit = self.units.get(position) if position is not None else None
            money = parse_money(raw, unit=unit, decimal_separator=self.mapping.decimal_separator)
            if money.amount < 0:
                raise ParseError(_("An amount cannot be negative."))
            if money.currency is None and position is not None and self.header_currency.get(position):
                money = Money(money.amount, self.header_currency[position])
            return money
        if target.kind == DATE:
            return parse_date(raw, formats=self.mapping.date_formats)
        if target.kind == PERCENT:
            return parse_percent(raw, decimal_separator=self.mapping.decimal_separator)
        if target.kind == BOOL:
            return parse_bool(raw)
        raise AssertionError(target.kind)  # pragma: no cover - every kind is handled above

    def default(self, row: RowValues, name: str) -> bool:
        """Fill `name` from the mapping's defaults; True when it now has a value (or an error)."""
        if name not in self.mapping.defaults:
            return False
        raw = self.mapping.defaults[name]
        row.columns[name], row.texts[name] = DEFAULT_COLUMN, shown(raw)
        try:
            row.values[name] = self.convert(BY_NAME[name], raw)
        except ParseError as error:
            row.error(name, error.message)
        return True
