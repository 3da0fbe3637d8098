"""A project's delivery confidence assessments: whoever may see the project reads them, newest first;
the PMO and administrators record a new one (`portfolio.assurance.confidence_record`), others get 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio.access import can_assess, project_for
from portfolio.assurance import confidence_record
from portfolio.forms.confidence import ConfidenceForm
from portfolio.models import DeliveryConfidence, StatusPolicy


def assessments_of(project) -> list[DeliveryConfidence]:
    """The project's assessments, newest first, each with `followed_up`: a later-dated assessment
    exists (the rule of `DeliveryConfidenceQuerySet.follow_ups_due`: a follow-up is done once a later
    assessment is recorded)."""
    rows = list(project.confidence_assessments.select_related("assessed_by").order_by("-assessed_on", "-pk"))
    newest = rows[0].assessed_on if rows else None
    for row in rows:
        row.followed_up = row.assessed_on < newest
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def project_confidence(request, code):
    project = project_for(request.user, code)
    may_assess = can_assess(request.user)
    if request.method == "POST" and not may_assess:
        raise PermissionDenied
    today = timezone.localdate()
    form = None
    if may_assess:
        scale = StatusPolicy.current().confidence_scale
        form = ConfidenceForm(request.POST or None, scale=scale, today=today)
    if request.method == "POST" and form.is_valid():
        assessment = confidence_record(project=project, user=request.user, **form.cleaned_data)
        text = _("The assessment of %(code)s is recorded.") % {"code": project.code}
        if assessment.follow_up_due:
            due = formats.date_format(assessment.follow_up_due, "SHORT_DATE_FORMAT")
            text = _("%(message)s Follow-up review due %(date)s.") % {"message": text, "date": due}
        messages.success(request, text)
        return redirect("portfolio:project_confidence", code=project.code)
    return render(
        request,
        "portfolio/project_confidence.html",
        {"project": project, "assessments": assessments_of(project), "form": form, "today": today},
    )
