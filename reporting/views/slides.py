"""The PowerPoint side of reports: a report's slides (downloaded beside its PDF) and the PMO's slide
templates page (upload, the layouts found in each, which one is in use, delete, and the default template
to restyle).

Access: a report's slides are read as its PDF is (`Report.objects.visible_to`: 404 otherwise, and 404
when it has no slides); the templates page and its actions are the PMO's and administrators' (403
otherwise). Every change is a POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reporting.models import Report, SlideTemplate
from reporting.slide_forms import SlideTemplateForm
from reporting.slides import CONTENT_TYPE, filename
from reporting.slides.layouts import default_template, matches
from reporting.slides.templates import (
    layout_names,
    template_activate,
    template_deactivate_all,
    template_delete,
    template_upload,
)
from reporting.views.reports import _readable, may_manage

KIND_LABELS = {
    "title": gettext_lazy("Cover"),
    "content": gettext_lazy("Text"),
    "title_only": gettext_lazy("Charts, tables and project slides"),
    "blank": gettext_lazy("Blank"),
}


def _require_manager(user) -> None:
    if not may_manage(user):
        raise PermissionDenied


@login_required
def report_slides(request, pk: int):
    report = _readable(request.user, pk)
    if report.state != Report.State.DONE or not report.slides:
        raise Http404(_("This report has no PowerPoint version."))
    try:
        handle = report.slides.open("rb")
    except FileNotFoundError:
        raise Http404(_("The PowerPoint file of this report is missing from the storage.")) from None
    return FileResponse(handle, as_attachment=True, filename=filename(report), content_type=CONTENT_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def slide_templates(request):
    """The list and the upload form (a refused upload shows the list again with the form's errors)."""
    _require_manager(request.user)
    form = SlideTemplateForm()
    status = 200
    if request.method == "POST":
        form = SlideTemplateForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            template_upload(
                name=form.cleaned_data["name"], filename=upload.name, data=form.data_bytes, by=request.user
            )
            messages.success(request, _("The template is uploaded: the next slides are built in it."))
            return redirect("reporting:slide_templates")
        status = 400
    templates = list(SlideTemplate.objects.select_related("uploaded_by"))
    in_use = next((template for template in templates if template.active), None)
    rows = []
    for template in templates:
        names = layout_names(template)
        rows.append(
            {
                "template": template,
                "in_use": template == in_use,
                "layouts": names,
                "matches": [(KIND_LABELS[kind], name, by_name) for kind, name, by_name in matches(names)]
                if names
                else [],
            }
        )
    return render(
        request,
        "reporting/slide_templates.html",
        {"form": form, "rows": rows, "in_use": in_use},
        status=status,
    )


def _template(request, pk: int) -> SlideTemplate:
    _require_manager(request.user)
    return get_object_or_404(SlideTemplate, pk=pk)


@login_required
@require_POST
def slide_template_activate(request, pk: int):
    template = _template(request, pk)
    template_activate(template)
    messages.success(request, _("The slides are now built in “%(name)s”.") % {"name": template.name})
    return redirect("reporting:slide_templates")


@login_required
@require_POST
def slide_template_default(request):
    _require_manager(request.user)
    template_deactivate_all()
    messages.success(request, _("The slides are now built in the default template."))
    return redirect("reporting:slide_templates")


@login_required
@require_POST
def slide_template_delete(request, pk: int):
    template = _template(request, pk)
    template_delete(template)
    messages.success(request, _("The template “%(name)s” is deleted.") % {"name": template.name})
    return redirect("reporting:slide_templates")


@login_required
@require_GET
def slide_template_download(request, pk: int | None = None):
    """A stored template, or the default one, for the PMO to restyle in PowerPoint."""
    _require_manager(request.user)
    if pk is None:
        response = HttpResponse(default_template(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="pmo-default-template.pptx"'
        return response
    template = get_object_or_404(SlideTemplate, pk=pk)
    try:
        handle = template.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this template is missing from the storage.")) from None
    name = template.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


urlpatterns = [
    path("reports/<int:pk>/slides/", report_slides, name="report_slides"),
    path("reports/slide-templates/", slide_templates, name="slide_templates"),
    path("reports/slide-templates/default/", slide_template_download, name="slide_template_default"),
    path("reports/slide-templates/use-default/", slide_template_default, name="slide_template_use_default"),
    path("reports/slide-templates/<int:pk>/", slide_template_download, name="slide_template_download"),
    path("reports/slide-templates/<int:pk>/use/", slide_template_activate, name="slide_template_activate"),
    path("reports/slide-templates/<int:pk>/delete/", slide_template_delete, name="slide_template_delete"),
]
