"""Benefits realisation pages: a project's benefit profiles (planned against realised, a short series, the
at-risk badge), adding, editing and approving a profile, recording an actual, and the portfolio overview
behind the value KPI (same as-at date, same rows, same totals; CSV / XLSX export).

Who may do what is benefits.services' (one rule each); an outsider gets 404 (the project's rule), a reader
who tries to write 403.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benefits import services
from benefits.forms import BenefitActualForm, BenefitProfileForm, OverviewFilterForm
from benefits.models import BenefitProfile
from benefits.selectors import benefit_rows, profiles_of, realisation_of
from pmo import spreadsheets
from pmo.spreadsheets import Column
from portfolio.access import project_for
from portfolio.exchange import Rates
from portfolio.models import Project

SERIES_SHOWN = 6


def _profile_for(user, pk: int) -> BenefitProfile:
    return get_object_or_404(
        BenefitProfile.objects.visible_to(user).select_related("project", "owner"), pk=pk
    )


@login_required
@require_GET
def project_benefits(request, code: str):
    project = project_for(request.user, code)
    today = timezone.localdate()
    rates = Rates()
    rows = benefit_rows(profiles_of(Project.objects.filter(pk=project.pk)), on=today, rates=rates)
    for row in rows:
        row.recent = row.series[-SERIES_SHOWN:][::-1]
        row.may_record = services.can_record_actual(request.user, row.profile)
    return render(
        request,
        "benefits/benefit_project.html",
        {
            "project": project,
            "rows": rows,
            "today": today,
            "may_edit": services.can_edit_profiles(request.user, project),
            "may_approve": services.can_approve(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_new(request, code: str):
    project = project_for(request.user, code, edit=True)
    form = BenefitProfileForm(request.POST or None, initial={"currency": project.currency})
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)
        profile.project = project
        services.profile_save(profile=profile, by=request.user)
        messages.success(request, _("Benefit profile added."))
        return redirect("benefits:project_benefits", code=project.code)
    return render(request, "benefits/benefit_form.html", {"project": project, "form": form, "profile": None})


@login_required
@require_http_methods(["GET", "POST"])
def benefit_edit(request, pk: int):
    profile = _profile_for(request.user, pk)
    project = profile.project
    if not services.can_edit_profiles(request.user, project):
        raise PermissionDenied
    was_approved = profile.state == BenefitProfile.State.APPROVED
    form = BenefitProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = services.profile_save(profile=form.save(commit=False), by=request.user)
        if was_approved and profile.state == BenefitProfile.State.DRAFT:
            messages.warning(request, _("The plan changed: the profile is back to draft and needs approval."))
        else:
            messages.success(request, _("Benefit profile saved."))
        return redirect("benefits:project_benefits", code=project.code)
    return render(
        request, "benefits/benefit_form.html", {"project": project, "form": form, "profile": profile}
    )


@login_required
@require_POST
def benefit_approve(request, pk: int):
    profile = _profile_for(request.user, pk)
    if not services.can_approve(request.user):
        raise PermissionDenied
    services.profile_approve(profile=profile, by=request.user)
    messages.success(request, _("Benefit profile approved."))
    return redirect("benefits:project_benefits", code=profile.project.code)


@login_required
@require_http_methods(["GET", "POST"])
def actual_new(request, pk: int):
    profile = _profile_for(request.user, pk)
    if not services.can_record_actual(request.user, profile):
        raise PermissionDenied
    form = BenefitActualForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.actual_record(profile=profile, by=request.user, **form.cleaned_data)
        messages.success(request, _("Actual recorded."))
        return redirect("benefits:project_benefits", code=profile.project.code)
    return render(
        request,
        "benefits/benefit_actual_form.html",
        {"project": profile.project, "profile": profile, "form": form},
    )


# --- The overview ------------------------------------------------------------------------------------------


def overview_projects(request, form: OverviewFilterForm):
    """The projects the reader sees, in the dashboard's scope (?directorate=, ?portfolio=)."""
    projects = Project.objects.visible_to(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("directorate"):
        projects = projects.filter(directorate=data["directorate"])
    portfolio = request.GET.get("portfolio", "")
    if portfolio.isdigit():
        projects = projects.filter(portfolio_id=int(portfolio))
    return projects


@login_required
@require_GET
def overview(request):
    """Every profile the reader may see; by default the approved ones, as the value KPI counts them."""
    today = timezone.localdate()
    form = OverviewFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on: date = data.get("as_at") or today
    state = data.get("state", "") if "state" in request.GET else BenefitProfile.State.APPROVED
    filters = {"state": state} if state else {}
    if data.get("kind"):
        filters["kind"] = data["kind"]
    rates = Rates()
    rows = benefit_rows(profiles_of(overview_projects(request, form), **filters), on=on, rates=rates)
    if data.get("at_risk"):
        rows = [row for row in rows if row.at_risk]
    totals = realisation_of(rows, on=on, rates=rates)
    kind = spreadsheets.requested(request)
    if kind:
        return spreadsheets.export_response(
            kind,
            _columns(totals.currency),
            _export_rows(totals),
            filename=f"benefits-{on.isoformat()}",
            title=_("Benefits"),
        )
    if not form.is_bound:
        form = OverviewFilterForm(initial={"state": state, "as_at": on})
    return render(
        request,
        "benefits/benefit_overview.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "on": on,
            "today": today,
            "query": request.GET.urlencode(),
        },
    )


def _columns(currency: str) -> list[Column]:
    money = "#,##0.00"
    in_currency = {"currency": currency}
    return [
        Column(_("Project"), 14),
        Column(_("Benefit"), 40),
        Column(_("Kind"), 14),
        Column(_("Owner"), 24),
        Column(_("State"), 12),
        Column(_("Currency or unit"), 10),
        Column(_("Planned"), 16, money),
        Column(_("Realised"), 16, money),
        Column(_("% of plan"), 10, "0.0"),
        Column(_("At risk"), 8),
        # The rows the overview's totals sum (financial, measured, converted): their columns sum to them.
        Column(_("Planned in %(currency)s, summed") % in_currency, 16, money),
        Column(_("Realised in %(currency)s, summed") % in_currency, 16, money),
    ]


def _export_rows(totals):
    summed = {id(row) for row in totals.summed}
    for row in totals.rows:
        profile = row.profile
        counted = id(row) in summed
        yield [
            profile.project.code,
            profile.title,
            profile.get_kind_display(),
            profile.owner.get_full_name() if profile.owner else "",
            profile.get_state_display(),
            profile.currency if row.financial else profile.unit,
            row.planned,
            row.realised,
            row.share,
            _("yes") if row.at_risk else _("no"),
            row.planned_converted.amount if counted else None,
            row.realised_converted.amount if counted else None,
        ]


urlpatterns = [
    path("", overview, name="overview"),
    path("projects/<str:code>/", project_benefits, name="project_benefits"),
    path("projects/<str:code>/new/", benefit_new, name="benefit_new"),
    path("profiles/<int:pk>/edit/", benefit_edit, name="benefit_edit"),
    path("profiles/<int:pk>/approve/", benefit_approve, name="benefit_approve"),
    path("profiles/<int:pk>/actuals/new/", actual_new, name="actual_new"),
]
