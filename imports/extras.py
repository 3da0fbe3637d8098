"""The extra project fields other apps register (imports.fields.register_project_field), applied to a
row's project once it is saved, in the row's savepoint: a field's error is the row's, and the row is
rolled back with everything else it did (a commit with any error saves nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from imports.fields import BY_NAME, EXTRA_FIELDS, Target
from imports.parsing import Money
from imports.rows import RowValues


def apply_extras(
    *, project, values: RowValues, author, today: date, display: Callable[[Target, Any], str]
) -> list[list[str]]:
    """The changes the dry run shows ([field, before, after, ""]); a field's refusal is the row's error."""
    changes = []
    for name, apply in EXTRA_FIELDS.items():
        value = values.values.get(name)
        if value in (None, ""):
            continue  # a blank cell: nothing created, nothing changed
        amount = value.amount if isinstance(value, Money) else value
        try:
            changed = apply(project=project, value=amount, author=author, today=today)
        except ValidationError as error:
            for message in error.messages:
                values.error(name, message)
            continue
        if changed is not None:
            before, after = changed
            changes.append([name, display(BY_NAME[name], before), display(BY_NAME[name], after), ""])
    return changes
