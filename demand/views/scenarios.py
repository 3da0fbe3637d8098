"""Portfolio scenarios: the list, a new one, a scenario's page (caps, candidates forced in or out,
totals against the caps, capacity use, what drops out), computing, forcing, archiving, the comparison of
2 to 4 side by side, and a scenario's candidates as CSV / XLSX.

Access: `demand.scenario_access` (the PMO and administrators change; executives and the people of a
portfolio committee read; others 403). Each page reads a fixed number of queries: the figures come from
the stored result.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from demand import scenarios as services
from demand.models import PortfolioScenario
from demand.models.scenario import MAX_OPEN
from demand.scenario_access import (
    can_change_scenarios,
    hidden_project_ids,
    require_reader,
    scenario_for,
)
from demand.scenario_display import capacity_by_role, comparison_lines, scenario_view
from demand.scenario_forms import BudgetForm, ScenarioForm
from pmo import spreadsheets
from pmo.spreadsheets import Column


@login_required
@require_GET
def scenario_list(request):
    require_reader(request.user)
    hidden = hidden_project_ids(request.user)
    scenarios = list(PortfolioScenario.objects.all())
    views = [scenario_view(s, hidden=hidden, forced={}) for s in scenarios]
    open_views = [v for v in views if not v.scenario.archived]
    return render(request, "demand/scenario_list.html", {
        "open_views": open_views,
        "archived": [v for v in views if v.scenario.archived],
        "can_change": can_change_scenarios(request.user),
        "full": len(open_views) >= MAX_OPEN,
        "max_open": MAX_OPEN,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def scenario_new(request):
    if not can_change_scenarios(request.user):
        raise PermissionDenied
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            services.scenario_compute(scenario=scenario)
            return redirect("demand:scenario_detail", pk=scenario.pk)
    return render(request, "demand/scenario_new.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, scenario, budget_form=None):
    forced = services.forced_keys(scenario)
    caps = dict(scenario.budgets.values_list("year", "cap"))
    view = scenario_view(scenario, hidden=hidden_project_ids(request.user), forced=forced)
    return {
        "view": view,
        "scenario": scenario,
        "can_change": can_change_scenarios(request.user) and not scenario.archived,
        "budget_form": budget_form or BudgetForm(scenario=scenario, caps=caps),
        "force_choices": [("in", _("In")), ("auto", _("Auto")), ("out", _("Out"))],
    }


@login_required
@require_http_methods(["GET", "POST"])
def scenario_detail(request, pk: int):
    """The scenario; a POST saves the budget caps (the PMO's)."""
    scenario = scenario_for(request.user, pk, edit=request.method == "POST")
    budget_form = None
    if request.method == "POST":
        budget_form = BudgetForm(request.POST, scenario=scenario, caps={})
        if budget_form.is_valid():
            services.scenario_set_budgets(scenario=scenario, caps=budget_form.caps())
            messages.success(request, _("Budget caps saved: compute the scenario again to apply them."))
            return redirect("demand:scenario_detail", pk=scenario.pk)
    context = _detail_context(request, scenario, budget_form)
    return render(request, "demand/scenario_detail.html", context, status=400 if budget_form else 200)


@login_required
@require_POST
def scenario_compute(request, pk: int):
    scenario = scenario_for(request.user, pk, edit=True)
    services.scenario_compute(scenario=scenario)
    messages.success(request, _("Scenario computed."))
    return redirect("demand:scenario_detail", pk=scenario.pk)


@login_required
@require_POST
def scenario_force(request, pk: int):
    scenario = scenario_for(request.user, pk, edit=True)
    key = request.POST.get("key", "")
    try:
        services.scenario_force(scenario=scenario, key=key, forced=request.POST.get("forced", ""))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    scenario.refresh_from_db()
    if not request.headers.get("HX-Request"):
        return redirect("demand:scenario_detail", pk=scenario.pk)
    context = _detail_context(request, scenario)
    row = next((row for row in context["view"].rows if row.key == key), None)
    if row is None:
        return HttpResponseBadRequest(_("Compute the scenario to see this candidate."))
    return render(request, "demand/_scenario_row.html", {**context, "row": row})


@login_required
@require_POST
def scenario_archive(request, pk: int):
    scenario = scenario_for(request.user, pk, edit=True)
    services.scenario_archive(scenario=scenario)
    messages.success(request, _("Scenario archived."))
    return redirect("demand:scenario_list")


@login_required
@require_GET
def scenario_compare(request):
    require_reader(request.user)
    ids = [int(value) for value in request.GET.getlist("ids") if value.isdigit()][:MAX_OPEN]
    scenarios = list(PortfolioScenario.objects.filter(pk__in=ids).order_by("pk"))
    open_ones = PortfolioScenario.objects.open().order_by("pk")
    if len(scenarios) < 2:
        return render(request, "demand/scenario_compare.html", {"choices": open_ones, "views": []})
    hidden = hidden_project_ids(request.user)
    views = [scenario_view(s, hidden=hidden, forced={}) for s in scenarios]
    return render(request, "demand/scenario_compare.html", {
        "views": views,
        "lines": comparison_lines(views),
        "capacity": capacity_by_role(views),
        "years": sorted({year for v in views for year in v.years}),
        "choices": open_ones,
    })  # fmt: skip


@login_required
@require_GET
def scenario_export(request, pk: int):
    scenario = scenario_for(request.user, pk)
    view = scenario_view(
        scenario, hidden=hidden_project_ids(request.user), forced=services.forced_keys(scenario)
    )
    columns = [
        Column(_("Code"), 12),
        Column(_("Title"), 40),
        Column(_("Selected"), 10),
        Column(_("Forced"), 10),
        Column(_("Score"), 8, spreadsheets.PERCENT_FORMAT),
        *[Column(str(year), 15, spreadsheets.MONEY_FORMAT) for year in view.years],
        Column(_("People (person-months)"), 12, "0.0"),
    ]
    labels = {"in": _("Forced in"), "out": _("Forced out"), "": ""}
    rows = (
        [row.code, row.title, _("yes") if row.selected else _("no"), labels[row.forced], row.score, *row.cost,
         row.people]
        for row in view.rows
    )  # fmt: skip
    kind = spreadsheets.requested(request) or "csv"
    return spreadsheets.export_response(
        kind, columns, rows, filename=f"scenario-{scenario.pk}", title=scenario.name[:30]
    )


urlpatterns = [
    path("scenarios/", scenario_list, name="scenario_list"),
    path("scenarios/new/", scenario_new, name="scenario_new"),
    path("scenarios/compare/", scenario_compare, name="scenario_compare"),
    path("scenarios/<int:pk>/", scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/compute/", scenario_compute, name="scenario_compute"),
    path("scenarios/<int:pk>/force/", scenario_force, name="scenario_force"),
    path("scenarios/<int:pk>/archive/", scenario_archive, name="scenario_archive"),
    path("scenarios/<int:pk>/export/", scenario_export, name="scenario_export"),
]
