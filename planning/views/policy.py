"""The PMO's tolerance for change requests: within it the PMO decides, beyond it the project's committee.
The PMO and administrators set it; everyone else gets 403. (The shape of portfolio's status policy page.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planning.forms import PlanPolicyForm
from planning.models import PlanPolicy
from planning.selectors import may_decide


@login_required
@require_http_methods(["GET", "POST"])
def plan_policy(request):
    if not may_decide(request.user):
        raise PermissionDenied
    policy = PlanPolicy.current()
    form = PlanPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The change-request tolerance is saved."))
        return redirect("planning:policy")
    return render(request, "planning/plan_policy.html", {"form": form, "policy": policy})
