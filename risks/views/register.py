"""The portfolio risk register and its heatmap: every signed-in user reads the risks they may see.

The numbers come from `risks.selectors`, which the dashboard and the PDF reports reuse.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from pmo.as_at import past_day
from portfolio.visibility import project_visible
from risks import selectors
from risks.charts import exposure_figure, heatmap_figure
from risks.exports import risks_export
from risks.filters import ALL, RiskFilter, RiskHeatmapFilter
from risks.models import Risk, RiskPolicy

PAGE_SIZE = 25
EXPOSURE_WEEKS = 26


@login_required
def register(request):
    today = timezone.localdate()
    policy = RiskPolicy.current()
    risks = selectors.register_queryset(request.user, policy, today=today)
    data, as_at = request.GET, past_day(request.GET.get("as_at"), today=today)
    if as_at:
        risks, data = _as_at(risks, request.GET, day=as_at, policy=policy)
    filterset = RiskFilter(data, queryset=risks, request=request, user=request.user, today=today)
    found = filterset.qs if filterset.is_valid() else risks.none()
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        # The whole filtered, sorted register, not one page.
        return risks_export(found, kind=export, today=today)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "risks/register.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "from_heatmap": bool(request.GET.get("probability") or request.GET.get("impact")),
            "heatmap_query": _scope_query(request),
            "as_at": as_at,
        },
    )


def _as_at(risks, query, *, day, policy):
    """The register as at a past `day` (a drill-down from the dashboard at that date): the risks open
    then, at the level their score then gave them; the state, level and heatmap cell (probability and
    impact) asked for are read at that day."""
    data = query.copy()
    level = data.pop("level", [""])[-1]
    cell = {name: data.pop(name, [""])[-1] for name in ("probability", "impact")}
    data["state"] = ALL
    risks = selectors.open_on(risks, day=day).annotate(level_then=policy.level_expression("score_then"))
    for name, value in cell.items():
        if value.isdigit():
            risks = risks.filter(**{f"{name}_then": int(value)})
    return (risks.filter(level_then=level) if level else risks), data


@login_required
def heatmap(request):
    today = timezone.localdate()
    policy = RiskPolicy.current()
    risks = Risk.objects.visible_to(request.user)
    filterset = RiskHeatmapFilter(request.GET, queryset=risks, request=request, user=request.user)
    scoped = filterset.qs if filterset.is_valid() else risks.none()
    basis = filterset.chosen_basis()
    grid = selectors.heatmap(scoped, basis=basis, policy=policy, link_params=filterset.link_params())
    exposure = selectors.exposure_over_time(scoped, weeks=EXPOSURE_WEEKS, today=today, policy=policy)
    top = selectors.top_risks(
        scoped.for_listing().with_levels(policy).annotate(project_visible=project_visible(request.user))
    )
    return render(
        request,
        "risks/heatmap.html",
        {
            "filter": filterset,
            "basis": basis,
            "grid": grid,
            "heatmap_figure": heatmap_figure(grid),
            "exposure": exposure,
            "exposure_now": exposure[-1] if exposure else None,
            "exposure_figure": exposure_figure(exposure),
            "top_risks": top,
            "policy": policy,
            "today": today,
            "register_query": _scope_query(request),
        },
    )


def _scope_query(request) -> str:
    """The filters the register and the heatmap share, to carry from one page to the other."""
    names = ("directorate", "project", "category", "owner", "kind")
    return urlencode({name: request.GET[name] for name in names if request.GET.get(name)})


urlpatterns = [path("", register, name="register"), path("heatmap/", heatmap, name="heatmap")]
