"""Imports' work for Celery: the dry run and the commit of an import (imports.runs), and the
housekeeping that keeps uploaded files no longer than they are needed."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The database restarting or unreachable for a moment: worth trying again. Anything else fails the run
# at once, with its message on the import.
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    name="imports.run_import",
    bind=True,
    acks_late=True,  # a worker killed mid-run leaves the message to be handed out again
    reject_on_worker_lost=True,
    max_retries=3,
    time_limit=settings.IMPORT_TIME_LIMIT,
    soft_time_limit=max(settings.IMPORT_TIME_LIMIT - 30, 1),  # its error recorded on the import
)
def run_import_task(self, import_id: int, run: int) -> None:
    from imports.runs import run_failed, run_import

    try:
        run_import(import_id, run)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            run_failed(import_id, run, error)
            return
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error
    except SoftTimeLimitExceeded:
        message = _(
            "The run took longer than the %(seconds)s s a run may take (IMPORT_TIME_LIMIT): split the file, "
            "or ask the administrator to allow longer runs."
        ) % {"seconds": settings.IMPORT_TIME_LIMIT}
        run_failed(import_id, run, message)
    except Exception as error:
        logger.exception("Import %s, run %s stopped.", import_id, run)
        run_failed(import_id, run, error)


@shared_task(name="imports.discard_expired_files")
def discard_expired_files() -> int:
    """Delete the files of imports uploaded more than IMPORT_FILE_RETENTION ago (idempotent)."""
    from imports.models import Import

    count = 0
    for upload in Import.objects.expired():
        upload.discard_file()
        count += 1
    if count:
        logger.info("Deleted the files of %d expired imports.", count)
    return count
