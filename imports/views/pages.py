"""The imports' home (upload, one's imports), an import's summary, and saved mappings as JSON."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from imports.forms import UploadForm
from imports.models import ColumnMapping, Import
from imports.uploads import store_upload
from imports.views.common import import_for, require_importer, steps_context
from imports.views.results import progress_context, results_context

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    """Step 1: upload a file; below, the imports of this user and the saved mappings."""
    require_importer(request.user)
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST":
        if form.is_valid():
            upload = store_upload(
                data=form.content,
                kind=form.kind,
                original_name=form.cleaned_data["file"].name,
                user=request.user,
                start_from=form.cleaned_data["start_from"],
                table=form.table,
            )
            messages.success(
                request,
                _("%(file)s uploaded. Now say which column is which.") % {"file": upload.original_name},
            )
            return redirect("imports:columns", upload.pk)
        messages.error(request, _("The file was not accepted: see the message under it."))
    imports = Import.objects.visible_to(request.user).select_related("created_by").defer("results", "mapping")
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "page": page,
            "mappings": ColumnMapping.objects.select_related("created_by"),
            "max_bytes": settings.IMPORT_MAX_BYTES,
            **steps_context(1),
        },
    )


@login_required
@require_GET
def detail(request, pk: int):
    """An import's state; once committed, its summary: what was created and updated, row by row."""
    upload = import_for(request, pk)
    return render(
        request,
        "imports/detail.html",
        {
            **steps_context(5 if upload.is_committed else 0, upload),
            **results_context(request, upload),
            **progress_context(upload),
        },
    )


@login_required
@require_GET
def progress(request, pk: int):
    """The progress partial, which htmx fetches every 2 s while a dry run or a commit is under way. Once
    it is over, htmx is sent to the page that shows its results (the summary of a committed import,
    else the dry run)."""
    upload = import_for(request, pk)
    response = render(request, "imports/_progress.html", {"upload": upload, **progress_context(upload)})
    if request.htmx and not upload.is_running:
        done = (
            upload.get_absolute_url() if upload.is_committed else reverse("imports:dry_run", args=[upload.pk])
        )
        response["HX-Redirect"] = done
    return response


@login_required
@require_GET
def mapping_json(request, pk: int):
    """A saved mapping as the JSON file `import_portfolio --mapping` reads."""
    require_importer(request.user)
    mapping = get_object_or_404(ColumnMapping, pk=pk)
    body = json.dumps(mapping.definition, indent=2, ensure_ascii=False)
    response = HttpResponse(body + "\n", content_type="application/json; charset=utf-8")
    name = slugify(mapping.name) or "mapping"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response
