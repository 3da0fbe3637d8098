"""An agile project's release plan (AgileEVM's baseline): whoever sees the project reads it; its project
manager and the PMO (`Project.objects.editable_by`) set it. 404 for a project the user may not see, 403
for a reader who posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pmo import audit
from portfolio.access import project_for
from portfolio.agile import ReleaseFigures, is_agile
from portfolio.forms.release_plan import ReleasePlanForm
from portfolio.models import Project, ReleasePlan


@login_required
@require_http_methods(["GET", "POST"])
def release_plan(request, code):
    project = project_for(request.user, code, queryset=Project.objects.select_related("release_plan"))
    can_edit = Project.objects.editable_by(request.user).filter(pk=project.pk).exists()
    try:
        plan = project.release_plan
    except ReleasePlan.DoesNotExist:
        plan = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ReleasePlanForm(request.POST, instance=plan or ReleasePlan(project=project))
        if form.is_valid():
            audit.note(form.instance, by=request.user)
            form.save()
            messages.success(request, _("Release plan of %(code)s saved.") % {"code": project.code})
            return redirect("portfolio:release_plan", code=project.code)
    else:
        form = ReleasePlanForm(instance=plan) if can_edit else None
    return render(
        request,
        "portfolio/release_plan.html",
        {
            "project": project,
            "plan": plan,
            "figures": ReleaseFigures.of(plan) if plan else None,
            "form": form,
            "can_edit": can_edit,
            "agile": is_agile(project),
        },
    )
