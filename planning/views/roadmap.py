"""The portfolio roadmap page and its Excel exports: the projects in scope as at a date (the dashboard's
scope, `planning.roadmap`), that the reader may see, as bars grouped by directorate or portfolio.

Open to every signed-in user: `PortfolioFigures.for_user` reads only the projects the reader may see, so a
confidential project they may not open is neither drawn, listed nor exported.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join, json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from planning import charts, roadmap_exports
from reporting.charts import project_url
from reporting.forms import Viewpoint
from reporting.selectors import PortfolioFigures
from reporting.views.lists import RAG_CHOICES

from ..roadmap import DEFAULT_GROUPING, GROUPINGS, Roadmap, roadmap

# As `django.utils.html.json_script`: the JSON cannot close its <script> element.


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


def table_rows(plan: Roadmap) -> SafeString:
    """The table fallback's rows (the same projects as the figure), written here rather than by a template
    loop: at a thousand projects the template's tags cost more than the rest of the page."""
    day = charts.day_formatter()
    detail = reverse("portfolio:project_detail", args=["CODE"]).removesuffix("CODE/")

    def dates(start, end) -> str:
        return f"{day(start)} \N{EN DASH} {day(end)}" if start and end else "\N{EM DASH}"

    return format_html_join(
        "\n",
        '<tr><td>{}</td><th scope="row"><a href="{}{}/">{}</a> {}</th>'
        '<td><span class="rag rag-{} rag-sm"><span class="rag-dot" aria-hidden="true"></span>{}</span></td>'
        '<td class="text-nowrap">{}</td><td class="text-nowrap">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (
            (
                group.name,
                detail,
                row.code,
                row.code,
                row.name,
                row.project.rag or "none",
                row.rag_label,
                dates(row.project.baseline_start, row.project.baseline_end),
                dates(row.project.forecast_start, row.project.forecast_end),
                "—" if row.slip_days is None else row.slip_days,
                len(row.milestones),
            )
            for group in plan.groups
            for row in group.rows
        ),
    )


class CompactJSONEncoder(DjangoJSONEncoder):
    """No spaces and accents as they are: the roadmap's figure is its page's weight."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{**kwargs, "separators": (",", ":"), "ensure_ascii": False})


def figure_script(figure: dict, element_id: str) -> SafeString:
    """Django's `json_script` (which escapes what could close the script element), compact."""
    return json_script(figure, element_id, encoder=CompactJSONEncoder)


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
            "group_label": GROUPINGS[plan.group_by],
            "roadmap": plan,
            "figure": figure_script(charts.roadmap_figure(plan, link_project=project_url), "roadmap-figure")
            if plan.groups
            else None,
            "table_rows": table_rows(plan),
            "zoom": charts.zoom_ranges(viewpoint.as_at),
            "query": viewpoint.query(**{key: value for key, value in chosen.items() if value}),
        },
    )


@login_required
@require_GET
def roadmap_export(request):
    _viewpoint, _chosen, plan = _read(request)
    return roadmap_exports.roadmap_export(plan)


@login_required
@require_GET
def milestones_export(request):
    _viewpoint, _chosen, plan = _read(request)
    return roadmap_exports.milestones_export(plan)
