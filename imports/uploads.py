"""Accepting an uploaded file: its size, its type judged by its content, and where it is kept.

The file goes through Django's storage API under MEDIA_ROOT/imports/ with a random name (never
the user's), outside the static files; no URL serves it back. It is deleted once the import is
committed, or by the hourly task once it is older than IMPORT_FILE_RETENTION.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from imports import rowcache
from imports.mapping import Mapping, guess_columns
from imports.models import ColumnMapping, Import
from imports.parsing import ParseError
from imports.tables import Table, read_table, sniff_kind


def checked_content(upload) -> tuple[bytes, str, Table]:
    """The upload's bytes, kind ("csv" or "xlsx") and table; ValidationError says why it is refused."""
    limit = settings.IMPORT_MAX_BYTES
    too_big = _("The file is %(size)s; the largest file accepted is %(limit)s.")
    if upload.size is not None and upload.size > limit:
        raise ValidationError(too_big % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            too_big % {"size": filesizeformat(upload.size or len(data)), "limit": filesizeformat(limit)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    try:
        # A workbook that inflates too far is refused before openpyxl opens it; one openpyxl cannot
        # read, or a text with no header, is refused now too.
        kind = sniff_kind(data)
        table = read_table(data)
    except ParseError as error:
        raise ValidationError(str(error.message)) from None
    return data, kind, table


def store_upload(
    *,
    data: bytes,
    kind: str,
    original_name: str,
    user,
    start_from: ColumnMapping | None,
    table: Table | None = None,
) -> Import:
    """Keep the file and open an import, its columns from a saved mapping or guessed from the headers.
    `table`: the file as already read (at upload), kept so that the next steps do not read it again."""
    upload = Import(
        created_by=user,
        original_name=(original_name or "")[-255:],
        kind=kind,
        size=len(data),
        saved_mapping=start_from,
    )
    if start_from is not None:
        upload.mapping = dict(start_from.definition)
    else:
        table = table or read_table(data)
        upload.mapping = Mapping(columns=guess_columns(table.headers)).to_dict()
    upload.file.save("upload", ContentFile(data), save=False)
    if table is not None and rowcache.table_key(upload.mapping) == rowcache.table_key(None):
        upload.keep_table(table)  # read with the sheet and header row the mapping reads
    upload.save()
    return upload
