"""Serving the files standards keeps (the PMO's templates, a project's deliverables): always as a
download with the type judged at upload (`imports.attachments.checked_upload`), never sniffed or rendered
inline by the browser. Who may fetch a file is the caller's rule, checked before it comes here."""

from __future__ import annotations

from django.http import FileResponse, Http404


def download(field, *, filename: str, content_type: str) -> FileResponse:
    """The stored file as an attachment; 404 when the storage no longer holds it."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or field.name.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def upload_name(upload) -> str:
    """The name as uploaded, without any folder a browser may send, short enough for the model."""
    return (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][-200:]
