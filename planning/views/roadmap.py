"""The portfolio roadmap page and its Excel exports: the projects in scope as at a date (the dashboard's
scope, `planning.roadmap`), that the reader may see, as bars grouped by directorate or portfolio.

Open to every signed-in user: `PortfolioFigures.for_user` reads only the projects the reader may see, so a
confidential project they may not open is neither drawn, listed nor exported.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.charts import project_url
from reporting.forms import Viewpoint
from reporting.selectors import PortfolioFigures
from reporting.views.lists import RAG_CHOICES

from .. import charts, exports
from ..roadmap import DEFAULT_GROUPING, GROUPINGS, Roadmap, roadmap


class RoadmapForm(forms.Form):
    group = forms.ChoiceField(label=gettext_lazy("Group by"), choices=list(GROUPINGS.items()), required=False)
    rag = forms.ChoiceField(
        label=gettext_lazy("Latest RAG"),
        choices=[("", gettext_lazy("Any RAG")), *RAG_CHOICES],
        required=False,
    )


def _read(request) -> tuple[Viewpoint, dict, Roadmap]:
    viewpoint = Viewpoint.from_request(request)
    form = RoadmapForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    if not form.is_valid():
        viewpoint.problems.append(_("A filter asked for was not understood: it is not applied."))
    chosen = {"group": chosen.get("group") or DEFAULT_GROUPING, "rag": chosen.get("rag", "")}
    figures = PortfolioFigures.for_user(request.user, scope=viewpoint.scope, today=viewpoint.today)
    return (
        viewpoint,
        chosen,
        roadmap(figures, on=viewpoint.as_at, group_by=chosen["group"], rag=chosen["rag"]),
    )


@login_required
@require_GET
def roadmap_page(request):
    viewpoint, chosen, plan = _read(request)
    return render(
        request,
        "planning/roadmap.html",
        {
            "viewpoint": viewpoint,
            "form": viewpoint.form(),
            "roadmap_form": RoadmapForm(initial=chosen),
            "chosen": chosen,
            "roadmap": plan,
            "figure": charts.roadmap_figure(plan, link_project=project_url) if plan.groups else None,
            "zoom": charts.zoom_ranges(viewpoint.as_at),
            "query": viewpoint.query(**{key: value for key, value in chosen.items() if value}),
        },
    )


@login_required
@require_GET
def roadmap_export(request):
    _viewpoint, _chosen, plan = _read(request)
    return exports.roadmap_export(plan)


@login_required
@require_GET
def milestones_export(request):
    _viewpoint, _chosen, plan = _read(request)
    return exports.milestones_export(plan)
