"""A request's attachments: joined and deleted by who may edit the request, downloaded by who sees it
(404 otherwise), always as a download (never rendered inline by the browser)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from demand import services
from demand.forms import AttachmentForm
from demand.models import ProjectRequest, RequestAttachment
from demand.views.requests import _visible, render_detail


def _editable(request, project_request: ProjectRequest) -> None:
    if not ProjectRequest.objects.editable_by(request.user).filter(pk=project_request.pk).exists():
        raise PermissionDenied


@login_required
@require_POST
def attachment_upload(request, code):
    project_request = _visible(request, code)
    _editable(request, project_request)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_detail(request, project_request, status=400, attachment_form=form)
    attachment = services.attachment_add(
        request=project_request,
        upload=form.cleaned_data["file"],
        content_type=form.content_type,
        by=request.user,
    )
    messages.success(request, _("“%(name)s” attached.") % {"name": attachment.name})
    return redirect("demand:request_detail", code=code)


def _attachment(request, pk: int) -> RequestAttachment:
    return get_object_or_404(
        RequestAttachment.objects.select_related("request").filter(
            request__in=ProjectRequest.objects.visible_to(request.user)
        ),
        pk=pk,
    )


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = _attachment(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = _attachment(request, pk)
    _editable(request, attachment.request)
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("“%(name)s” deleted.") % {"name": attachment.name})
    return redirect("demand:request_detail", code=attachment.request.code)


urlpatterns = [
    path("requests/<str:code>/attachments/", attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachment_delete, name="attachment_delete"),
]
