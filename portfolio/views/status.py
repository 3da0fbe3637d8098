from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio import assurance
from portfolio.access import project_for
from portfolio.agile import is_agile, release_of
from portfolio.forms.review import StatusAnswerForm
from portfolio.forms.status import MilestoneDatesFormSet, StatusReportForm
from portfolio.models import Project
from portfolio.models.status import current_period
from portfolio.services import StaleStatusError, submit_status_report


def week_label(period: date) -> str:
    year, week, _day = period.isocalendar()
    return f"{year}-W{week:02d}"


@login_required
@require_http_methods(["GET", "POST"])
def status_update(request, code):
    """This week's status, as a new revision of the week; or, while the PMO's challenge of the latest
    reported week waits for an answer, that week's next revision with the answer."""
    project = project_for(
        request.user,
        code,
        edit=True,
        queryset=Project.objects.select_related("last_report__submitted_by", "release_plan"),
    )
    period = current_period()
    previous = project.last_report
    milestones = list(project.milestones.all())
    conflict = None
    # The PMO's challenges of the latest reported week not answered yet: the form then reports that week
    # (often last week's, challenged after it ended), and its new revision carries the answer.
    challenges = assurance.challenges(
        project_id=project.pk, period=previous.period if previous is not None else period
    )
    if challenges:
        period = previous.period

    # An agile project's status carries its sprint (the fieldset) and its release plan's figures.
    sprint = {"agile": is_agile(project), "release": release_of(project)}
    if request.method == "POST":
        form = StatusReportForm(request.POST, previous=previous, currency=project.currency, **sprint)
        formset = MilestoneDatesFormSet(request.POST, milestones=milestones)
        answer_form = StatusAnswerForm(request.POST, challenged=bool(challenges))
        if all([form.is_valid(), formset.is_valid(), answer_form.is_valid()]):
            data = {name: value for name, value in form.cleaned_data.items() if name != "based_on"}
            try:
                report = submit_status_report(
                    project=project,
                    author=request.user,
                    period=period,
                    based_on=form.cleaned_data["based_on"],
                    data=data,
                    milestone_dates=formset.dates(),
                    answer=answer_form.cleaned_data["answer"],
                )
            except StaleStatusError as stale:
                conflict = previous = stale.current
                # Keep what the user typed, but base it on the newer report: submitting
                # again is then a deliberate choice to replace it.
                form.data = form.data.copy()
                form.data["based_on"] = conflict.pk if conflict else ""
            else:
                messages.success(
                    request,
                    _("Status of %(code)s saved for week %(week)s (revision %(revision)s).")
                    % {"code": project.code, "week": report.period_label, "revision": report.revision},
                )
                for notice in getattr(report, "notices", ()):
                    messages.warning(request, notice)
                return redirect(project.get_absolute_url())
    else:
        form = StatusReportForm(previous=previous, currency=project.currency, **sprint)
        formset = MilestoneDatesFormSet(milestones=milestones)
        answer_form = StatusAnswerForm(challenged=bool(challenges))

    return render(
        request,
        "portfolio/status_form.html",
        {
            "project": project,
            "release": sprint["release"],
            "form": form,
            "formset": formset,
            "week": week_label(period),
            "previous": previous,
            "conflict": conflict,
            "challenges": challenges,
            "answer_form": answer_form,
            "differences": form.differences_from(conflict) if conflict else [],
        },
    )
