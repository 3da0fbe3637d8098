"""The dry run and the commit of an import, run by a worker with their progress shown on the import's page.

A 20,000-row file takes minutes to check: longer than a web request may last. So a request only
asks (`run_request`): the import's row moves to *checking* or *committing* with a new run number,
and the task is sent once that row is committed. The worker (`run_import`, the task's body) reads
the parsed rows, runs the import and writes its results on the row; the page polls the progress.

- Idempotent: the task takes the import's id and its run number. A run that is done, failed, or
  superseded by a later request (the mapping changed meanwhile) finds nothing to do and returns. A
  commit is one transaction with the import's row locked, its results and its *committed* state
  saved in it, so a commit delivered twice (a worker killed, the message handed out again) saves
  the projects once: the second finds the import committed, or runs again from nothing.
- Progress (rows done) is kept in the cache, not on the row: the run's rows are written inside one
  transaction, which other connections do not see into (and on SQLite, would wait behind).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnreachable

from imports.datasheets import data_sheets
from imports.mapping import Mapping, MappingError
from imports.models import Import
from imports.parsing import ParseError
from imports.plan import plan_sheets
from imports.services import import_table
from pmo import background

logger = logging.getLogger(__name__)
RUNNING = (Import.State.CHECKING, Import.State.COMMITTING)

PROGRESS_TIMEOUT = 24 * 3600


def run_request(upload: Import, *, commit: bool, by) -> None:
    """Ask for a dry run (or the commit) of the import: the row shows it at once, a worker runs it."""
    upload.state = Import.State.COMMITTING if commit else Import.State.CHECKING
    upload.run += 1
    upload.run_by = by
    upload.run_error = ""
    try:
        upload.rows_total = len(upload.table().rows)
    except (ParseError, OSError):
        upload.rows_total = 0  # the worker says what is wrong with the file
    upload.save(update_fields=["state", "run", "run_by", "run_error", "rows_total", "updated_at"])
    import_id, run = upload.pk, upload.run
    transaction.on_commit(lambda: _send(import_id, run))


def _send(import_id: int, run: int) -> None:
    from imports.tasks import run_import_task

    try:
        # To the workers, or without a broker to the web process's background threads: never the request.
        background.send(run_import_task, import_id, run)
    except BrokerUnreachable:
        # The request that asked succeeds all the same; the page says what happened and offers to retry.
        logger.warning("Import %s, run %s: the broker does not answer.", import_id, run, exc_info=True)
        Import.objects.filter(pk=import_id, run=run, state__in=RUNNING).update(
            state=Import.State.FAILED,
            run_error=_("The queue of the workers did not answer: nothing was run. Try again in a moment."),
            updated_at=timezone.now(),
        )


def progress_key(import_id: int, run: int) -> str:
    return f"imports:progress:{import_id}:{run}"


def rows_done(upload: Import) -> int:
    """How many rows the current run has read (0 before it starts, or when the cache lost it)."""
    if not upload.is_running:
        return upload.rows_total
    return min(cache.get(progress_key(upload.pk, upload.run), 0), upload.rows_total)


def run_import(import_id: int, run: int) -> None:
    """The task's body: the dry run or the commit of run `run` of the import, if it is still to do."""
    upload = Import.objects.filter(pk=import_id, run=run, state__in=RUNNING).select_related("run_by").first()
    if upload is None:
        return  # gone, done, or superseded by a later request
    if not upload.has_file:
        _fail(upload, _("The file of this import was deleted after a day. Upload it again."))
        return
    try:
        mapping = Mapping.from_dict(upload.mapping or {})
        table = upload.table()
        plan = plan_sheets(upload.read_bytes(), mapping.plan_columns, mapping.plan_sheets)
        data = data_sheets(upload.read_bytes())
    except MappingError as error:
        _fail(upload, " ".join(str(problem) for problem in error.problems))
        return
    except ParseError as error:
        _fail(upload, str(error.message))
        return
    except OSError as error:
        _fail(upload, str(error))
        return

    key = progress_key(import_id, run)

    def progress(done: int) -> None:
        cache.set(key, done, PROGRESS_TIMEOUT)

    if upload.state == Import.State.CHECKING:
        report = import_table(
            table=table, mapping=mapping, author=upload.run_by, progress=progress, plan=plan, data=data
        )
        Import.objects.filter(pk=import_id, run=run, state=Import.State.CHECKING).update(
            results=[row.as_dict() for row in report.rows],
            summary={"counts": report.counts(), "problems": report.problems, "committed": False},
            state=Import.State.DRY_RUN,
            updated_at=timezone.now(),
        )
    else:
        _commit(upload, table, mapping, progress, plan, data)
    cache.delete(key)


def _commit(upload: Import, table, mapping: Mapping, progress, plan, data) -> None:
    with transaction.atomic():
        locked = (
            Import.objects.select_for_update()
            .filter(pk=upload.pk, run=upload.run, state=Import.State.COMMITTING)
            .first()
        )
        if locked is None:
            return  # a second delivery of a commit already saved
        report = import_table(
            table=table,
            mapping=mapping,
            author=upload.run_by,
            commit=True,
            progress=progress,
            plan=plan,
            data=data,
        )
        locked.results = [row.as_dict() for row in report.rows]
        locked.summary = {
            "counts": report.counts(),
            "problems": report.problems,
            "committed": report.committed,
        }
        if report.committed:
            locked.state, locked.committed_at = Import.State.COMMITTED, timezone.now()
        else:
            # Errors appeared since the dry run (someone changed the data): nothing was saved.
            locked.state = Import.State.FAILED
        locked.save(update_fields=["results", "summary", "state", "committed_at", "updated_at"])
    if report.committed:
        # The file has served its purpose: it is not kept once its rows are in the portfolio.
        locked.discard_file()


def run_failed(import_id: int, run: int, error: BaseException | str) -> None:
    """Record on the import that its run stopped with an error (or this message) that trying again at
    once would not fix."""
    upload = Import.objects.filter(pk=import_id, run=run).first()
    if upload is not None and upload.is_running:
        message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        _fail(upload, message[:2000])


def _fail(upload: Import, message: str) -> None:
    logger.warning("Import %s, run %s failed: %s", upload.pk, upload.run, message)
    Import.objects.filter(pk=upload.pk, run=upload.run, state__in=RUNNING).update(
        state=Import.State.FAILED, run_error=message, updated_at=timezone.now()
    )
