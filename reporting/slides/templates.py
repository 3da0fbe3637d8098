"""The organisation's slide templates: the only code that writes `SlideTemplate` rows and their files.

One template is in use at a time: uploading one puts it in use, "Use this template" switches to
another, "Use the default" stops using any (the clean default is used). Deleting one removes its file.
An upload is checked by its content before anything is stored (`layouts.inspect`).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from reporting.models import SlideTemplate
from reporting.slides.layouts import inspect


def active_template() -> SlideTemplate | None:
    """The template the slides are built in: the latest one in use (one query)."""
    return SlideTemplate.objects.filter(active=True).order_by("-uploaded_at", "-pk").first()


def active_template_bytes() -> bytes | None:
    """The active template's file, None when there is none (or its file is gone from the storage: the
    slides are then built in the default rather than not at all)."""
    template = active_template()
    if template is None:
        return None
    try:
        with template.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def layout_names(template: SlideTemplate) -> list[str]:
    """The layouts of a stored template ([] when its file cannot be read any more)."""
    try:
        with template.file.open("rb") as handle:
            return inspect(handle.read())
    except Exception:  # the file gone or damaged since: the page says so rather than failing
        return []


@transaction.atomic
def template_upload(*, name: str, filename: str, data: bytes, by) -> SlideTemplate:
    """Store a checked template and put it in use (ValidationError if it is not a PowerPoint template)."""
    inspect(data)
    SlideTemplate.objects.filter(active=True).update(active=False)
    template = SlideTemplate(name=name, active=True, uploaded_by=by)
    template.file.save(filename, ContentFile(data), save=False)
    template.save()
    return template


@transaction.atomic
def template_activate(template: SlideTemplate) -> None:
    SlideTemplate.objects.exclude(pk=template.pk).filter(active=True).update(active=False)
    SlideTemplate.objects.filter(pk=template.pk).update(active=True)


def template_deactivate_all() -> None:
    SlideTemplate.objects.filter(active=True).update(active=False)


def template_delete(template: SlideTemplate) -> None:
    file = template.file
    template.delete()
    transaction.on_commit(lambda: file.delete(save=False))
