"""The PMO brings a request to a portfolio committee for its G0 (demand.g0). Read rule: the request's
`visible_to` (404 otherwise); write rule: the PMO and administrators (403 for a reader)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from demand.forms_g0 import ProposeForm
from demand.g0 import request_propose
from demand.models import ProjectRequest
from pmo.roles import Role


def may_propose(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PMO, Role.ADMINISTRATOR)


@login_required
@require_POST
def request_propose_view(request, code: str):
    project_request = get_object_or_404(ProjectRequest.objects.visible_to(request.user), code=code)
    if not may_propose(request.user):
        raise PermissionDenied
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a portfolio committee."))
        return redirect("demand:request_detail", code=code)
    committee = form.cleaned_data["committee"]
    try:
        request_propose(request=project_request, committee=committee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("demand:request_detail", code=code)
    messages.success(
        request,
        _("Request %(code)s proposed to %(committee)s: its next meeting's agenda proposes it.")
        % {"code": code, "committee": committee.name},
    )
    return redirect("demand:request_detail", code=code)


urlpatterns = [
    path("requests/<str:code>/propose/", request_propose_view, name="request_propose"),
]
