"""Steps 2 to 5 of an import: map columns, map values (then the dry run runs), read the dry run, commit.

Each step saves what was chosen on the import before going on, so going back loses nothing;
a form with mistakes is shown again as it was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from imports.forms import ColumnsForm, ValuesForm
from imports.lookups import Lookups
from imports.models import ColumnMapping, Import
from imports.parsing import ParseError
from imports.plan import with_plan_columns
from imports.rows import RowReader
from imports.runs import run_request
from imports.targets import TargetOptions
from imports.views.common import StepUnavailable, mapping_of, open_step, steps_context
from imports.views.results import progress_context, results_context


def _step(view):
    """Run a step view; a committed import or one whose file is gone goes to its summary instead."""

    def wrapped(request, pk: int):
        try:
            return view(request, pk)
        except StepUnavailable as unavailable:
            return unavailable.response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
@require_http_methods(["GET", "POST"])
@_step
def columns(request, pk: int):
    """Step 2: each source column -> a project or status field, or ignored; the options of the mapping."""
    upload, table = open_step(request, pk)
    if request.method == "POST" and "apply" in request.POST:
        saved = get_object_or_404(ColumnMapping, pk=request.POST.get("saved_mapping") or 0)
        upload.mapping, upload.saved_mapping, upload.state = (
            dict(saved.definition),
            saved,
            Import.State.UPLOADED,
        )
        upload.save(update_fields=["mapping", "saved_mapping", "state", "updated_at"])
        messages.success(request, _("Mapping “%(name)s” applied.") % {"name": saved.name})
        return redirect("imports:columns", upload.pk)

    form = ColumnsForm(
        request.POST if request.method == "POST" else None, table=table, mapping=upload.mapping or {}
    )
    if request.method == "POST" and form.is_valid():
        definition = form.definition
        if upload.has_file:  # a workbook's plan sheets: their columns are saved with the mapping
            definition = with_plan_columns(definition, upload.read_bytes())
        upload.mapping, upload.state = definition, Import.State.MAPPED
        name = form.cleaned_data["save_as"].strip()
        if name:
            upload.saved_mapping, created = ColumnMapping.objects.update_or_create(
                name=name, defaults={"definition": definition, "created_by": request.user}
            )
            message = _("Mapping saved as “%(name)s”.") if created else _("Mapping “%(name)s” replaced.")
            messages.success(request, message % {"name": name})
        upload.save(update_fields=["mapping", "saved_mapping", "state", "updated_at"])
        return redirect("imports:values", upload.pk)
    return render(
        request,
        "imports/columns.html",
        {"form": form, "mappings": ColumnMapping.objects.all(), "table": table, **steps_context(2, upload)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@_step
def values(request, pk: int):
    """Step 3: each distinct value of a choice or reference column -> a choice; defaults. Then the dry run."""
    upload, table = open_step(request, pk)
    mapping = mapping_of(request, upload)
    if mapping is None or mapping.problems_with(table):
        for problem in mapping.problems_with(table) if mapping else []:
            messages.error(request, problem)
        return redirect("imports:columns", upload.pk)
    options = TargetOptions()
    reader = RowReader(table, mapping, Lookups())

    def unreadable(target, text) -> bool:
        try:
            reader.convert(target, text)
        except ParseError:
            return True
        return False

    form = ValuesForm(
        request.POST if request.method == "POST" else None,
        table=table,
        mapping=mapping,
        targets=options.options,
        guesses=options.guess,
        unreadable=unreadable,
        initial={"update_saved": upload.saved_mapping_id is not None},
    )
    if request.method == "POST" and form.is_valid():
        upload.mapping = form.definition()
        if upload.saved_mapping is not None and form.cleaned_data["update_saved"]:
            upload.saved_mapping.definition = upload.mapping
            upload.saved_mapping.save(update_fields=["definition", "updated_at"])
        upload.save(update_fields=["mapping", "updated_at"])
        run_request(upload, commit=False, by=request.user)
        return redirect("imports:dry_run", upload.pk)
    return render(request, "imports/values.html", {"form": form, **steps_context(3, upload)})


@login_required
@require_http_methods(["GET", "POST"])
@_step
def dry_run(request, pk: int):
    """Step 4: row by row, what would be created or updated, and every error (row, column, value, message)."""
    upload, _table = open_step(request, pk)
    if request.method == "POST":
        mapping = mapping_of(request, upload)
        if mapping is None:
            return redirect("imports:columns", upload.pk)
        if not upload.is_running:
            run_request(upload, commit=False, by=request.user)
        return redirect("imports:dry_run", upload.pk)
    context = {
        **steps_context(4, upload),
        **results_context(request, upload),
        **progress_context(upload),
        "not_run": upload.state in (Import.State.UPLOADED, Import.State.MAPPED),
    }
    template = "imports/_results.html" if request.htmx else "imports/dry_run.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
@_step
def commit(request, pk: int):
    """Step 5: save it all in one transaction, or nothing; then the summary."""
    upload, _table = open_step(request, pk)
    summary = upload.summary or {}
    ready = upload.state == Import.State.DRY_RUN and not summary.get("counts", {}).get("errors", 1)
    if request.method == "GET" or not ready:
        if request.method == "POST":
            messages.error(request, _("The dry run has errors: fix them before committing."))
        return render(
            request, "imports/commit.html", {"ready": ready, "summary": summary, **steps_context(5, upload)}
        )

    if mapping_of(request, upload) is None:
        return redirect("imports:columns", upload.pk)
    with transaction.atomic():
        # A second click on Commit waits for the first, then finds the import being committed.
        locked = Import.objects.select_for_update().get(pk=upload.pk)
        if locked.state == Import.State.DRY_RUN:
            run_request(locked, commit=True, by=request.user)
    return redirect(upload.get_absolute_url())
