"""Housekeeping for imports: uploaded files are not kept longer than they are needed."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


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
