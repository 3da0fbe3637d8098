"""The status policy: the grace after its week before a project's latest rating is shown as stale. The PMO
and administrators set it; everyone else gets 403."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pmo.roles import Role
from portfolio.models import StatusPolicy


class StatusPolicyForm(forms.ModelForm):
    class Meta:
        model = StatusPolicy
        fields = ["grace_days", "confidence_scale"]
        widgets = {"confidence_scale": forms.RadioSelect}


@login_required
@require_http_methods(["GET", "POST"])
def status_policy(request):
    if not request.user.has_role(Role.PMO, Role.ADMINISTRATOR):
        raise PermissionDenied
    policy = StatusPolicy.current()
    form = StatusPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The status policy is saved."))
        return redirect("portfolio:status_policy")
    return render(request, "portfolio/status_policy.html", {"form": form, "policy": policy})
