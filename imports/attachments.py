"""An attachment's type, judged by its content, never by its name: PDF, Office (docx, xlsx, pptx), images
(PNG, JPEG, GIF, WebP), plain text or CSV. A file whose name promises another type than its content is
refused too (a PDF renamed .docx), so that what is downloaded opens as its name says.

Every upload kept beside the data (a request's attachments, the PMO's templates, a project's deliverables)
goes through `checked_upload`, so each refuses what the others refuse, with the same messages."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from imports.cells import ParseError
from imports.tables import decode_text

MAX_BYTES = 10 * 1024 * 1024
MAX_INFLATION = 100  # an Office file that unzips a hundred times its size is refused (a zip bomb)

OFFICE = {
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/presentation.xml": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
# The extensions each kind may carry.
EXTENSIONS = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "png": {"png"},
    "jpeg": {"jpg", "jpeg"},
    "gif": {"gif"},
    "webp": {"webp"},
    "text": {"txt", "csv", "md", "text"},
}
ACCEPT = ",".join(sorted(f".{ext}" for extensions in EXTENSIONS.values() for ext in extensions))


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, content type) of these bytes, or None when they are none of the accepted kinds."""
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg", "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif", "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", "image/webp"
    if data[:4] == b"PK\x03\x04":
        return _office(data)
    try:
        decode_text(data)
    except ParseError:
        return None
    return "text", "text/plain"


def _office(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names or inflated > max(len(data), 1) * MAX_INFLATION:
        return None
    return next((found for part, found in OFFICE.items() if part in names), None)


def checked_upload(upload) -> str:
    """The upload's content type; ValidationError says why it is refused (too big, empty, not an accepted
    type, or a name that says another type than the content)."""
    too_big = _("The file is %(size)s; the largest file accepted is %(limit)s.")
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            too_big % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            too_big % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_BYTES)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    found = sniff(data)
    if found is None:
        raise ValidationError(
            _("This type of file is not accepted: join a PDF, an Office document, an image or a text file.")
        )
    kind, content_type = found
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's name ends in “.%(extension)s” but its content is not of that type.")
            % {"extension": extension}
        )
    return content_type
