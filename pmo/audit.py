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

from django.conf import settings
from django.db import models
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
    objs: Iterable[models.Model],
    *,
    when: Callable[[models.Model], datetime],
    who: Callable[[models.Model], int | None],
    batch_size: int = 2000,
) -> int:
    """One "created" record per object, dated `when(obj)` and made by the user whose id is `who(obj)`:
    for rows that were inserted in bulk (the demo), so that their History tab starts somewhere.
    Returns how many records were written."""
    return record(model, ((obj, "+", when(obj), who(obj), "") for obj in objs), batch_size=batch_size)


def record(
    model: type[models.Model],
    rows: Iterable[tuple[models.Model, str, datetime, int | None, str]],
    *,
    batch_size: int = 2000,
) -> int:
    """Historical records written as given: `(obj, "+" | "~" | "-", when, user id, reason)`, each with
    `obj`'s tracked values as they are in memory. For the demo's story of changes."""
    history = get_history_model_for_model(model)
    tracked = [field.attname for field in history.tracked_fields]
    written = 0
    batch: list[models.Model] = []
    for obj, kind, when, user_id, reason in rows:
        batch.append(
            history(
                history_type=kind,
                history_date=when,
                history_user_id=user_id,
                history_change_reason=reason or None,
                **{name: getattr(obj, name) for name in tracked},
            )
        )
        if len(batch) >= batch_size:
            written += len(history.objects.bulk_create(batch))
            batch = []
    if batch:
        written += len(history.objects.bulk_create(batch))
    return written


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
