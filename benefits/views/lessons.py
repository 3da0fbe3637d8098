"""The lessons register and recording, editing and deleting a lesson.

The register lists the lessons the user may see (their project's rule). A lesson is recorded by who may
edit the project, the PMO or a member of a committee reviewing its gate; it is changed or deleted by who
recorded it or the PMO. An outsider gets 404, a reader who tries to write 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from benefits.lesson_forms import LessonFilterForm, LessonForm
from benefits.lesson_services import lesson_prepare, lesson_record
from benefits.lessons import can_change, can_record, for_listing
from benefits.models import Lesson
from governance.models import GateReview
from pmo import spreadsheets
from pmo.spreadsheets import DATE_FORMAT, Column, choice_labels, label, neutralise
from portfolio.access import project_for
from risks.models import Risk

PAGE_SIZE = 25

COLUMNS = [
    Column(gettext_lazy("Recorded on"), 12, DATE_FORMAT),
    Column(gettext_lazy("Project"), 12),
    Column(gettext_lazy("Lesson"), 40),
    Column(gettext_lazy("Category"), 22),
    Column(gettext_lazy("Effect"), 10),
    Column(gettext_lazy("Source"), 18),
    Column(gettext_lazy("Phase"), 14),
    Column(gettext_lazy("Directorate"), 20),
    Column(gettext_lazy("Methodology"), 16),
    Column(gettext_lazy("What happened"), 60),
    Column(gettext_lazy("Recommendation"), 60),
]


def _rows(lessons):
    labels = choice_labels(Lesson, "category", "effect", "source")
    methodologies = {value: str(text) for value, text in _methodologies()}
    for lesson in lessons:
        yield [
            lesson.recorded_at.date(),
            lesson.project.code,
            neutralise(lesson.title),
            label(labels["category"], lesson.category),
            label(labels["effect"], lesson.effect),
            label(labels["source"], lesson.source),
            str(lesson.phase or ""),
            lesson.directorate.code if lesson.directorate else "",
            methodologies.get(lesson.methodology, lesson.methodology),
            neutralise(lesson.what_happened),
            neutralise(lesson.recommendation),
        ]


def _methodologies():
    from portfolio.models import Project

    return Project.Methodology.choices


@login_required
def lesson_list(request):
    lessons = for_listing(Lesson.objects.visible_to(request.user))
    form = LessonFilterForm(request.GET or None)
    found = form.filter(lessons) if form.is_valid() else lessons
    if form.is_bound and not form.is_valid():
        found = lessons.none()
    if kind := spreadsheets.requested(request):
        return spreadsheets.export_response(
            kind, COLUMNS, _rows(found), filename="lessons", title=_("Lessons learned")
        )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "benefits/lesson_list.html", {"form": form, "page": page})


def _prefill(request, project) -> dict:
    """`?review=` (a gate review of the project) or `?risk=` (a risk of the project, closed or occurred)."""
    initial: dict = {}
    if review_pk := request.GET.get("review", "").strip():
        review = get_object_or_404(GateReview, pk=review_pk if review_pk.isdigit() else 0, project=project)
        initial.update(source=Lesson.Source.GATE, phase=review.from_phase_id, gate_review=review)
    elif risk_pk := request.GET.get("risk", "").strip():
        risk = get_object_or_404(Risk, pk=risk_pk if risk_pk.isdigit() else 0, project=project)
        occurred = risk.state == Risk.State.OCCURRED
        initial.update(
            source=Lesson.Source.RISK_OCCURRED if occurred else Lesson.Source.RISK_CLOSED,
            category=Lesson.Category.RISK,
            title=risk.title[:200],
            risk=risk,
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def lesson_new(request, code):
    project = project_for(request.user, code)
    if not can_record(request.user, project):
        raise PermissionDenied
    initial = _prefill(request, project)
    links = {"gate_review": initial.pop("gate_review", None), "risk": initial.pop("risk", None)}
    form = LessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        lesson = form.save(commit=False)
        lesson.gate_review, lesson.risk = links["gate_review"], links["risk"]
        lesson_record(lesson, project=project, by=request.user)
        messages.success(request, _("Lesson recorded."))
        return redirect(project)
    return render(
        request,
        "benefits/lesson_form.html",
        {"form": form, "project": project, "lesson": None, **links},
    )


def _lesson_for(user, pk: int) -> Lesson:
    lesson = get_object_or_404(
        Lesson.objects.visible_to(user).select_related("project", "gate_review", "risk"), pk=pk
    )
    if not can_change(user, lesson):
        raise PermissionDenied
    return lesson


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, pk):
    lesson = _lesson_for(request.user, pk)
    form = LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        lesson_prepare(form.save(commit=False), project=lesson.project).save()
        messages.success(request, _("Lesson saved."))
        return redirect(lesson.project)
    return render(
        request,
        "benefits/lesson_form.html",
        {
            "form": form,
            "project": lesson.project,
            "lesson": lesson,
            "gate_review": lesson.gate_review,
            "risk": lesson.risk,
        },
    )


@login_required
@require_POST
def lesson_delete(request, pk):
    lesson = _lesson_for(request.user, pk)
    project = lesson.project
    lesson.delete()
    messages.success(request, _("Lesson deleted."))
    return redirect(project)


urlpatterns = [
    path("lessons/", lesson_list, name="lessons"),
    path("projects/<str:code>/lessons/new/", lesson_new, name="lesson_new"),
    path("lessons/<int:pk>/edit/", lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/delete/", lesson_delete, name="lesson_delete"),
]
