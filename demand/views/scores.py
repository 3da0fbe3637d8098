"""Scoring a request or a running project with the current criteria: one scorer's form, saved as their
score on this version (an earlier one of theirs is replaced)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path

from demand.models import CriteriaSet, ProjectRequest, Score
from demand.scoring import weighted
from demand.scoring_access import can_score
from demand.scoring_forms import ScoreForm
from demand.scoring_services import score_save
from portfolio.access import project_for


def _score_page(request, *, subject, subject_kind: str):
    """`subject_kind`: "request" or "project", the Score field naming the subject."""
    if not can_score(request.user):
        raise PermissionDenied
    current = CriteriaSet.objects.current()
    if current is None:
        raise PermissionDenied
    criteria = list(current.criteria.all())
    mine = (
        Score.objects.filter(criteria_set=current, scorer=request.user, **{subject_kind: subject})
        .prefetch_related("values")
        .first()
    )
    initial = {v.criterion_id: v.value for v in mine.values.all()} if mine else {}
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        initial_values=initial,
        initial={"comment": mine.comment if mine else ""},
    )
    result, saved = None, False
    if request.method == "POST" and form.is_valid():
        score_save(
            criteria_set=current,
            scorer=request.user,
            values=form.values,
            comment=form.cleaned_data["comment"],
            **{subject_kind: subject},
        )
        result, saved = weighted(form.values, criteria), True
    elif mine:
        result = weighted(initial, criteria)
    return render(
        request,
        "demand/score_form.html",
        {
            "subject": subject,
            "subject_kind": subject_kind,
            "criteria_set": current,
            "form": form,
            "result": result,
            "saved": saved,
            "rescoring": mine is not None,
        },
        status=400 if request.method == "POST" and not saved else 200,
    )


@login_required
def request_score(request, code: str):
    project_request = get_object_or_404(ProjectRequest.objects.visible_to(request.user), code=code)
    return _score_page(request, subject=project_request, subject_kind="request")


@login_required
def project_score(request, code: str):
    project = project_for(request.user, code)
    return _score_page(request, subject=project, subject_kind="project")


urlpatterns = [
    path("requests/<str:code>/score/", request_score, name="request_score"),
    path("projects/<str:code>/score/", project_score, name="project_score"),
]
