"""Writing the audit trail: why a change was made, and history written in bulk.

The trail itself is django-simple-history's: every tracked model (projects, status reports,
milestones, committees, meetings, decisions, actions, risks, issues) has a `history` manager, and
`simple_history.middleware.HistoryRequestMiddleware` records who made each change. Two things it
cannot do alone are here: a service says who and *why* it saves (`note`), and code that writes many rows
at once (`QuerySet.update`, `bulk_create`, which send no signal) writes their history with them.
`pmo.history` reads the trail back for the History tabs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

# What a service stores as the reason: the English text, marked with gettext_noop where it is written
# and translated when the History tab shows it (pmo.history), so a reason reads in the reader's language.
REASON_MAX_LENGTH = 100


def note(instance: models.Model, *, by=None, reason: str = "") -> models.Model:
    """Say who makes the next save of `instance` and why, for its historical record.

    In a request the middleware already knows who; a service that is told `by` says it anyway, so
    that the trail is right when it runs elsewhere (a Celery task, a command). `reason` is English,
    marked with gettext_noop where it is written: the History tab translates it for its reader."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by
    # Always set, so that a reason given for an earlier save of the same instance is not repeated.
    instance._change_reason = reason[:REASON_MAX_LENGTH] or None
    return instance


def bulk_update(
    objs: list[models.Model], fields: list[str], *, reason: str = "", user=None, when: datetime | None = None
) -> int:
    """`Model.objects.bulk_update` that leaves a "changed" record of each object in the trail."""
    from simple_history.utils import bulk_update_with_history

    if not objs:
        return 0
    return bulk_update_with_history(
        objs,
        type(objs[0]),
        fields,
        default_user=user,
        default_change_reason=reason[:REASON_MAX_LENGTH] or None,
        default_date=when,
    )


def record_created(
    model: type[models.Model],
    rows: models.QuerySet,
    *,
    when: Callable[[dict], datetime],
    who: Callable[[dict], int | None],
) -> int:
    """One "created" record for each of the rows of `rows`, dated `when(row)` and made by the user
    whose id is `who(row)` (each row a dict of the tracked fields' attnames): for rows inserted in bulk
    (the demo), so that their History tab starts somewhere. Returns how many records were written."""
    names = [f.attname for f in get_history_model_for_model(model).tracked_fields]
    return record(model, ((row, "+", when(row), who(row), "") for row in rows.values(*names)))


def record(model: type[models.Model], rows: Iterable[tuple[Any, str, datetime, int | None, str]]) -> int:
    """Historical records written as given: `(values, "+" | "~" | "-", when, user id, reason)`, the
    values an instance of `model` or a dict of its tracked fields' attnames. For the demo's history.

    One INSERT run many times (`executemany`), not one statement per batch of rows: the demo writes
    tens of thousands of records and SQLite takes only a few dozen rows a statement."""
    history = get_history_model_for_model(model)
    tracked = list(history.tracked_fields)
    stamps = [
        history._meta.get_field(name) for name in ("history_date", "history_user", "history_change_reason")
    ]
    # Only dates, times, decimals and JSON need the database's own form (SQLite stores them as text), done by
    # the backend's adapters bound once: the fields' full preparation would dominate the demo's time.
    fields = (*tracked, *stamps)
    prepared = [
        (index, _memo(prepare) if isinstance(fields[index], models.DateField) else prepare)
        for index, prepare in _preparers(fields)
    ]
    quote = connection.ops.quote_name
    columns = [*(f.column for f in tracked), *(f.column for f in stamps), "history_type"]
    # Names from the model's metadata, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608 - names from the model
        quote(history._meta.db_table), ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
    )
    params = []
    for values, kind, when, user_id, reason in rows:
        get = values.__getitem__ if isinstance(values, dict) else values.__getattribute__
        row = [*(get(f.attname) for f in tracked), when, user_id, reason or None, kind]
        for index, prepare in prepared:
            row[index] = prepare(row[index])
        params.append(row)
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(params)


def insert(model: type[models.Model], names: list[str], rows: Iterable[tuple]) -> int:
    """Rows of `model` inserted as given (each a tuple of the fields `names`, attnames, in that order; an
    auto_now field is not filled for you): `bulk_create` without building an instance per row, one INSERT
    run many times (see `record`). For the demo's large tables; returns how many rows were written."""
    fields = [model._meta.get_field(name) for name in names]
    # The demo's dates and times repeat (months, the run's morning): each adapted once.
    prepared = [
        (index, _memo(prepare) if isinstance(fields[index], models.DateField) else prepare)
        for index, prepare in _preparers(fields)
    ]
    quote = connection.ops.quote_name
    # Names from the model's metadata, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608 - names from the model
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = []
    for values in rows:
        row = list(values)
        for index, prepare in prepared:
            row[index] = prepare(row[index])
        params.append(row)
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(params)


def _memo(prepare: Callable) -> Callable:
    seen: dict = {}

    def prepared(value):
        if value not in seen:
            seen[value] = prepare(value)
        return seen[value]

    return prepared


def _preparers(fields) -> list[tuple[int, Callable]]:
    """(index, adapter) of the fields whose values need the database's own form (SQLite stores dates,
    times, decimals and JSON as text), the backend's adapters bound once: the fields' full preparation
    would dominate the demo's time."""
    ops = connection.ops
    prepared = []
    for index, f in enumerate(fields):
        if isinstance(f, models.DateTimeField):
            prepared.append((index, ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            prepared.append((index, ops.adapt_datefield_value))
        elif isinstance(f, models.DecimalField):
            prepared.append((index, partial(_decimal, ops, f.max_digits, f.decimal_places)))
        elif isinstance(f, models.JSONField):
            prepared.append((index, partial(ops.adapt_json_value, encoder=f.encoder)))
    return prepared


def _decimal(ops, max_digits: int, decimal_places: int, value):
    return ops.adapt_decimalfield_value(value, max_digits, decimal_places)


@contextmanager
def history_paused() -> Iterator[None]:
    """No historical record is written inside: for `seed_demo`, which wipes and bulk-inserts the demo
    and then writes its history itself, in bulk. The flag is the process's, so this is for management
    commands, never for a request."""
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous


def forget_history(*model_classes: type[models.Model]) -> None:
    """Delete every historical record of these models (`seed_demo --reset`: the demo's past goes with it)."""
    for model in model_classes:
        get_history_model_for_model(model).objects.all().delete()


def local(day, hour: int, minute: int = 0) -> datetime:
    """`day` at `hour:minute` in the organisation's time zone (dates of the demo's history)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())
