"""Closing a project with its closure report, and reading the report afterwards.

The project's manager or the PMO closes an active or on-hold project: what the project achieved against
its objectives, the benefits handed over (their owners stay accountable after the closure), the final
cost and dates taken from the project's figures, and at least one lesson, or an explicit "no lesson".
Whoever may see the project reads the report.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from benefits.lesson_forms import ClosureLessonFormSet, ClosureReportForm
from benefits.lesson_services import CLOSABLE_STATES, ClosureError, closure_figures, project_close
from benefits.lessons import is_pmo
from benefits.models import BenefitProfile, ClosureReport, Lesson
from portfolio.access import project_for
from portfolio.models import Project


def can_close(user, project: Project) -> bool:
    return user.is_authenticated and (project.project_manager_id == user.pk or is_pmo(user))


def _benefits(project: Project) -> list[BenefitProfile]:
    return list(project.benefits.select_related("owner").order_by("pk"))


@login_required
@require_http_methods(["GET", "POST"])
def close(request, code):
    project = project_for(request.user, code, queryset=Project.objects.select_related("last_report", "phase"))
    if not can_close(request.user, project):
        raise PermissionDenied
    if project.state not in CLOSABLE_STATES:
        messages.error(
            request,
            _("Only an active or on-hold project can be closed; this one is %(state)s.")
            % {"state": project.get_state_display().lower()},
        )
        return redirect(project)
    form = ClosureReportForm(request.POST or None)
    lessons = ClosureLessonFormSet(request.POST or None, queryset=Lesson.objects.none(), prefix="lessons")
    if request.method == "POST" and form.is_valid() and lessons.is_valid():
        given = list(lessons.save(commit=False))
        if not given and not form.cleaned_data["no_lesson"]:
            form.add_error("no_lesson", _("Record at least one lesson, or tick that there is none."))
        elif given and form.cleaned_data["no_lesson"]:
            form.add_error("no_lesson", _("Lessons are given below: untick this box or remove them."))
        else:
            try:
                project_close(
                    project=project,
                    report=form.save(commit=False),
                    lessons=given,
                    by=request.user,
                    today=timezone.localdate(),
                )
            except ClosureError:
                messages.error(request, _("The project changed state meanwhile; it was not closed."))
                return redirect(project)
            messages.success(request, _("Project %(code)s is now closed.") % {"code": project.code})
            return redirect("benefits:closure_report", code=project.code)
    return render(
        request,
        "benefits/closure_form.html",
        {
            "project": project,
            "form": form,
            "lessons": lessons,
            "figures": closure_figures(project),
            "benefits": _benefits(project),
        },
    )


@login_required
def closure_report(request, code):
    project = project_for(request.user, code)
    report = get_object_or_404(ClosureReport.objects.select_related("submitted_by"), project=project)
    return render(
        request,
        "benefits/closure_report.html",
        {
            "project": project,
            "report": report,
            "benefits": _benefits(project),
            "lessons": list(
                project.lessons.filter(source=Lesson.Source.CLOSURE).select_related("phase").order_by("pk")
            ),
        },
    )


urlpatterns = [
    path("projects/<str:code>/close/", close, name="project_close"),
    path("projects/<str:code>/closure/", closure_report, name="closure_report"),
]
