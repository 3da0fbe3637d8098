"""Saved scenarios: the list, a scenario's page (its state, changes, before / after while it is open, the
committee's decision once there is one) and its actions: bring it to a portfolio committee, withdraw it.

PMO and administrators only; a project they may not see (none, today: the rule may change) is "a
confidential project". Queries are fixed whatever the number of scenarios and changes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.models import Committee
from portfolio.models import Project
from resources.models import Scenario
from resources.scenarios import OPEN, ScenarioError, scenario_adjustments, scenario_propose, scenario_withdraw
from resources.views.access import require_planner
from resources.whatif import compare


def portfolio_committees():
    return Committee.objects.filter(kind=Committee.Kind.PORTFOLIO).order_by("name")


@login_required
@require_GET
def scenario_list(request):
    require_planner(request.user)
    scenarios = (
        Scenario.objects.select_related("committee", "created_by", "decision")
        .annotate(change_count=Count("changes"))
        .order_by("-created_at", "-pk")
    )
    return render(request, "resources/scenario_list.html", {"scenarios": scenarios})


@login_required
@require_GET
def scenario_detail(request, pk: int):
    require_planner(request.user)
    scenario = get_object_or_404(
        Scenario.objects.select_related("committee", "created_by", "decision").prefetch_related(
            "changes__project__directorate"
        ),
        pk=pk,
    )
    changes = list(scenario.changes.all())
    visible = set(
        Project.objects.visible_to(request.user)
        .filter(pk__in=[c.project_id for c in changes])
        .values_list("pk", flat=True)
    )
    comparison = None
    if scenario.state in OPEN and changes:
        comparison = compare(
            user=request.user,
            adjustments=scenario_adjustments(scenario),
            directorate_ids={c.project.directorate_id for c in changes} - {None},
            from_month=scenario.from_month,
            today=timezone.localdate(),
        )
    return render(
        request,
        "resources/scenario_detail.html",
        {
            "scenario": scenario,
            "changes": [(c, c.project_id in visible) for c in changes],
            "comparison": comparison,
            "is_open": scenario.state in OPEN,
            "committees": list(portfolio_committees()) if scenario.state in OPEN else [],
        },
    )


@login_required
@require_POST
def scenario_propose_view(request, pk: int):
    require_planner(request.user)
    scenario = get_object_or_404(Scenario, pk=pk)
    committee = portfolio_committees().filter(pk=request.POST.get("committee") or 0).first()
    if committee is None:
        messages.error(request, _("Choose the portfolio committee that decides the scenario."))
        return redirect("resources:scenario_detail", pk=pk)
    try:
        scenario_propose(scenario=scenario, committee=committee, by=request.user)
    except ScenarioError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scenario will be proposed on the committee's next agenda."))
    return redirect("resources:scenario_detail", pk=pk)


@login_required
@require_POST
def scenario_withdraw_view(request, pk: int):
    require_planner(request.user)
    scenario = get_object_or_404(Scenario, pk=pk)
    try:
        scenario_withdraw(scenario=scenario, by=request.user)
    except ScenarioError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scenario is withdrawn."))
    return redirect("resources:scenario_detail", pk=pk)
