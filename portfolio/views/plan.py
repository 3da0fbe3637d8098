"""A project's plan page: its milestones (edited in place, see portfolio.views.milestones), its phases'
planned dates, and what other apps know of the plan (portfolio.panels' plan registry).

Whoever may see the project reads the plan; its manager and the PMO change it (`Project.objects.editable_by`).
htmx is progressive: every form posts to a URL that, asked without htmx, answers the whole page (the
form in place with its values and errors) or redirects back to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portfolio.access import project_for
from portfolio.forms.plan import MilestoneForm, PhasePlanFormSet
from portfolio.models import Phase, Project
from portfolio.panels import plan_panels
from portfolio.plan_services import phases_plan

MILESTONES = "portfolio/_plan_milestones.html"
PHASES = "portfolio/_plan_phases.html"


def plan_url(project: Project) -> str:
    return reverse("portfolio:project_plan", args=[project.code])


def milestones_context(project: Project, *, can_edit: bool, **extra: Any) -> dict[str, Any]:
    """What the milestones' table needs: the rows (owners read with them), and for an editor the form of
    a new one. `extra`: the row being edited (`editing`) or deleted (`deleting`), a conflict, the focus."""
    context = {
        "project": project,
        "can_edit": can_edit,
        "milestones": list(project.milestones.for_plan()),
        "baseline_locked": project.baseline_version > 0,
        "plan_url": plan_url(project),
        **extra,
    }
    if can_edit and context.get("add_form") is None:
        context["add_form"] = MilestoneForm(project=project)
    return context


def phases_context(project: Project, *, can_edit: bool, formset=None) -> dict[str, Any]:
    phases = list(Phase.objects.all())
    plans = list(project.phase_plans.all())
    if can_edit and formset is None:
        formset = PhasePlanFormSet(phases=phases, plans=plans)
    planned = {plan.phase_id: plan for plan in plans}
    return {
        "project": project,
        "can_edit": can_edit,
        "phase_rows": [(phase, planned.get(phase.pk)) for phase in phases],
        "phase_formset": formset,
    }


def render_plan(request, project: Project, *, can_edit: bool, status: int = 200, phase_formset=None, **extra):
    """The whole page; `extra` goes to the milestones' table (see milestones_context)."""
    today = timezone.localdate()
    context = {
        **milestones_context(project, can_edit=can_edit, **extra),
        **phases_context(project, can_edit=can_edit, formset=phase_formset),
        "panels": plan_panels(project, user=request.user, today=today),
    }
    return render(request, "portfolio/project_plan.html", context, status=status)


def can_edit_plan(user, project: Project) -> bool:
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()


@login_required
@require_GET
def project_plan(request, code):
    """The page; asked by htmx (a Cancel of a row's edit), only the milestones' table."""
    project = project_for(request.user, code)
    can_edit = can_edit_plan(request.user, project)
    if request.htmx:
        focus = request.GET.get("focus", "")
        context = milestones_context(
            project, can_edit=can_edit, focus=int(focus) if focus.isdigit() else None
        )
        return render(request, MILESTONES, context)
    return render_plan(request, project, can_edit=can_edit)


@login_required
@require_POST
def plan_phases(request, code):
    project = project_for(request.user, code, edit=True)
    formset = PhasePlanFormSet(
        request.POST, phases=list(Phase.objects.all()), plans=list(project.phase_plans.all())
    )
    if not formset.is_valid():
        if request.htmx:
            return render(request, PHASES, phases_context(project, can_edit=True, formset=formset))
        return render_plan(request, project, can_edit=True, phase_formset=formset)
    phases_plan(project=project, dates=formset.dates(), by=request.user)
    if request.htmx:
        context = phases_context(project, can_edit=True)
        context["saved"] = True
        return render(request, PHASES, context)
    messages.success(request, _("The phases' dates of %(code)s are saved.") % {"code": project.code})
    return redirect(plan_url(project) + "#plan-phases")
