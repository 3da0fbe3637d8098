"""The plan's milestones, changed in place on the plan page (portfolio.views.plan).

With htmx a row turns into its form (or its deletion form) and back; a change that moves rows (an
addition, a reorder, a deletion, a save) answers the whole table. Without htmx the same URLs answer the
whole page with the form in place, or redirect to it. A stale edit answers 409 with the milestone as it
now is and the values typed, like the weekly status.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from portfolio import plan_services as services
from portfolio.access import project_for
from portfolio.forms.plan import MilestoneDeleteForm, MilestoneForm
from portfolio.models import Milestone, Project
from portfolio.views.plan import MILESTONES, milestones_context, plan_url, render_plan


def _editable(request, code: str, pk: int | None = None) -> tuple[Project, Milestone | None]:
    """The project (404 for who may not see it, 403 for who may not change it) and its milestone `pk`."""
    project = project_for(request.user, code, edit=True)
    if pk is None:
        return project, None
    return project, get_object_or_404(Milestone.objects.for_plan(), pk=pk, project=project)


def _table(request, project: Project, **extra):
    """The milestones' table, put in place of the table whatever the request targeted."""
    response = render(request, MILESTONES, milestones_context(project, can_edit=True, **extra))
    return reswap(retarget(response, "#plan-milestones"), "outerHTML")


@login_required
@require_POST
def milestone_create(request, code):
    project, _none = _editable(request, code)
    form = MilestoneForm(request.POST, project=project)
    if not form.is_valid():
        if request.htmx:
            return render(request, "portfolio/_milestone_form_row.html", {"form": form, "project": project})
        return render_plan(request, project, can_edit=True, add_form=form)
    milestone = services.milestone_add(project=project, milestone=form.save(commit=False), by=request.user)
    if request.htmx:
        return _table(request, project, focus="new", added=milestone)
    messages.success(request, _("Milestone “%(name)s” added.") % {"name": milestone.name})
    return redirect(plan_url(project) + "#plan-milestones")


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, code, pk):
    project, milestone = _editable(request, code, pk)
    if request.method == "GET":
        form = MilestoneForm(instance=milestone, project=project)
        return _edit_answer(request, project, form)
    form = MilestoneForm(request.POST, instance=milestone, project=project)
    if not form.is_valid():
        return _edit_answer(request, project, form)
    try:
        services.milestone_update(
            milestone=form.save(commit=False),
            # The page always sends the version it showed: none is as stale as an old one.
            version=form.cleaned_data["version"] or 0,
            fields=form.saved_fields(),
            by=request.user,
        )
    except services.StaleVersionError as stale:
        current = stale.current
        differences = form.differences_from(current)
        # Keep what the user typed, now based on the stored version: saving again is a deliberate choice.
        data = request.POST.copy()
        data["version"] = current.version
        # A copy: validating puts the typed values on the form's instance; the conflict shows the stored ones.
        form = MilestoneForm(data, instance=copy.copy(current), project=project)
        form.is_valid()
        return _edit_answer(request, project, form, conflict=current, differences=differences, status=409)
    if request.htmx:
        return _table(request, project, focus=milestone.pk)
    messages.success(request, _("Milestone “%(name)s” saved.") % {"name": milestone.name})
    return redirect(plan_url(project) + "#plan-milestones")


def _edit_answer(request, project: Project, form: MilestoneForm, *, status: int = 200, **conflict):
    if request.htmx:
        context = {"form": form, "project": project, "plan_url": plan_url(project), **conflict}
        return render(request, "portfolio/_milestone_form_row.html", context, status=status)
    return render_plan(request, project, can_edit=True, editing=form, status=status, **conflict)


@login_required
@require_POST
def milestone_move(request, code, pk):
    project, milestone = _editable(request, code, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest(_("Move the milestone up or down."))
    services.milestone_move(milestone=milestone, up=direction == "up", by=request.user)
    if request.htmx:
        return _table(request, project)
    return redirect(plan_url(project) + f"#milestone-{milestone.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def milestone_delete(request, code, pk):
    project, milestone = _editable(request, code, pk)
    form = MilestoneDeleteForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        name = milestone.name
        services.milestone_delete(milestone=milestone, reason=form.cleaned_data["reason"], by=request.user)
        if request.htmx:
            return _table(request, project, focus="new")
        messages.success(request, _("Milestone “%(name)s” deleted.") % {"name": name})
        return redirect(plan_url(project) + "#plan-milestones")
    if request.htmx:
        context = {"form": form, "project": project, "m": milestone, "plan_url": plan_url(project)}
        return render(request, "portfolio/_milestone_delete_row.html", context)
    return render_plan(request, project, can_edit=True, deleting=form)
