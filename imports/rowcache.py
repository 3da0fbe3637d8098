"""A parsed table kept beside the upload, so that a file is parsed once, not at every step.

Reading a 20,000-row workbook takes seconds; the columns step, the values step, the dry run and the
commit all need its rows. The first reader parses the file and writes its table as JSON through
Django's storage (beside the upload, deleted with it); the next ones read that back. The JSON records
which sheet and header row it was read with: a mapping that changes them parses the file again.

JSON, not pickle: the cells are plain values (text, numbers, dates), and nothing stored is ever code.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from imports.tables import Table

VERSION = 1


def table_key(mapping: dict | None) -> dict[str, Any]:
    """What a table depends on besides the file: the sheet and the header row the mapping names."""
    mapping = mapping if isinstance(mapping, dict) else {}
    return {"sheet": mapping.get("sheet") or None, "header_row": mapping.get("header_row") or None}


def dump(table: Table, key: dict[str, Any]) -> bytes:
    body = {"version": VERSION, "key": key, "kind": table.kind, "headers": table.headers, "rows": table.rows}
    return json.dumps(body, default=_tagged, ensure_ascii=False, separators=(",", ":")).encode()


def load(data: bytes, key: dict[str, Any]) -> Table | None:
    """The table stored in `data` if it was read with `key`; None when it was not (or is unreadable)."""
    try:
        body = json.loads(data, object_hook=_untagged)
    except (ValueError, TypeError):
        return None
    if not isinstance(body, dict) or body.get("version") != VERSION or body.get("key") != key:
        return None
    return Table(
        headers=body["headers"], rows=[(number, cells) for number, cells in body["rows"]], kind=body["kind"]
    )


# A workbook's cells may hold dates, times and durations: each is written as {"$": type, "v": text}.
_TYPES: dict[str, Any] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "timedelta": lambda seconds: timedelta(seconds=float(seconds)),
    "decimal": Decimal,
}


def _tagged(value: Any) -> dict[str, str]:
    if isinstance(value, datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, time):
        return {"$": "time", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$": "timedelta", "v": repr(value.total_seconds())}
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    return {"$": "text", "v": str(value)}


def _untagged(value: dict) -> Any:
    if len(value) == 2 and "$" in value and "v" in value:
        kind = value["$"]
        return _TYPES[kind](value["v"]) if kind in _TYPES else value["v"]
    return value
