"""The lists behind the dashboard's tiles and charts: the projects of the portfolio as at a date, and the
milestones due in a window. Each reads the selector its figure came from, so the list has as many rows
as the figure counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo import spreadsheets
from portfolio.access import can_edit_rates
from portfolio.assurance import CONFIDENCE_STEP, Confidence
from portfolio.models import Rag
from reporting.charts import NONE, NOT_REPORTED, STALE
from reporting.exports import milestones_export, snapshot_export
from reporting.forms import DATE_INPUT, Viewpoint
from reporting.periods import Frequency, Period
from reporting.selectors import NO_STATUS, NOT_ASSESSED, NOT_CONVERTED, PortfolioFigures, ProjectRow
from reporting.views.dashboard import require_reader

PAGE_SIZE = 50
RAG_CHOICES = [*Rag.choices, (NONE, gettext_lazy("No status"))]
RAG_RANK = {Rag.RED: 1, Rag.AMBER: 2, Rag.GREEN: 3, NO_STATUS: 4}
# The signals beside the latest rating, each a filter of the list and a count of the dashboard.
SIGNAL_CHOICES = [
    (NOT_REPORTED, gettext_lazy("Not reported this period")),
    (STALE, gettext_lazy("Stale rating")),
]
SIGNALS = {NOT_REPORTED: lambda row: not row.reported, STALE: lambda row: row.stale}
# The assessed delivery confidence filter: a level, or "none" (not assessed by then).
CONFIDENCE_CHOICES = [*Confidence.choices, (NONE, gettext_lazy("Not assessed"))]


def confidence_filter(level: str) -> str:
    """The `confidence` a row has for the list's filter value (`NONE`: not assessed)."""
    return NOT_ASSESSED if level == NONE else level


def _overrun(row: ProjectRow) -> Decimal | None:
    if row.budget is None or row.forecast_at_completion is None:
        return None
    return row.forecast_at_completion - row.budget


def _slip(row: ProjectRow) -> int | None:
    if row.forecast_end is None or row.baseline_end is None:
        return None
    return (row.forecast_end - row.baseline_end).days


# The list's sort keys; a row whose key is None (n/a) goes last whichever the direction.
SORTS = {
    "code": lambda row: row.code,
    "name": lambda row: row.name.casefold(),
    "directorate": lambda row: row.directorate_code,
    "rag": lambda row: RAG_RANK[row.rag],
    # Green first (the worst first with "-confidence"); not assessed last whichever the direction.
    "confidence": lambda row: CONFIDENCE_STEP.get(row.confidence),
    "complete": lambda row: row.percent_complete,
    "budget": lambda row: row.budget,
    "forecast": lambda row: row.forecast_at_completion,
    "actual": lambda row: row.actual_cost,
    "overrun": _overrun,
    "cpi": lambda row: row.cpi,
    "spi": lambda row: row.spi,
    "slip": _slip,
    "priority": lambda row: (row.priority, -(row.budget or 0)),
}


def sort_rows(rows: list[ProjectRow], sort: str) -> list[ProjectRow]:
    """`rows` (in code order) sorted by `sort` ("cpi", "-budget"...); ties keep the code order."""
    key = SORTS.get(sort.removeprefix("-"))
    if key is None:
        return rows
    present = [row for row in rows if key(row) is not None]
    present.sort(key=key, reverse=sort.startswith("-"))
    return present + [row for row in rows if key(row) is None]


class ProjectsForm(forms.Form):
    rag = forms.ChoiceField(
        label=gettext_lazy("Latest RAG"),
        choices=[("", gettext_lazy("Any RAG")), *RAG_CHOICES],
        required=False,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *SIGNAL_CHOICES],
        required=False,
    )
    confidence = forms.ChoiceField(
        label=gettext_lazy("Delivery confidence"),
        choices=[("", gettext_lazy("Any confidence")), *CONFIDENCE_CHOICES],
        required=False,
    )
    disagreement = forms.ChoiceField(
        label=gettext_lazy("Declared against assessed"),
        choices=[("", gettext_lazy("Agree or not")), ("1", gettext_lazy("Disagree"))],
        required=False,
    )
    converted = forms.ChoiceField(
        label=gettext_lazy("Currency"),
        choices=[("", gettext_lazy("Any currency")), (NOT_CONVERTED, gettext_lazy("Not converted"))],
        required=False,
    )


@login_required
def projects(request):
    """The active projects as at a date, as the dashboard counts them, filtered by their latest RAG, by
    the signals beside it (not reported this period, stale), by their assessed delivery confidence and by
    the disagreement of the two."""
    require_reader(request.user)
    viewpoint = Viewpoint.from_request(request)
    rag_form = ProjectsForm(request.GET)
    chosen = rag_form.cleaned_data if rag_form.is_valid() else {}
    rag, signal = chosen.get("rag", ""), chosen.get("status", "")
    converted = chosen.get("converted", "")
    confidence, disagreement = chosen.get("confidence", ""), chosen.get("disagreement", "")
    if not rag_form.is_valid():
        viewpoint.problems.append(_("The RAG asked for was not understood: all the projects are listed."))
    figures = PortfolioFigures.for_user(request.user, scope=viewpoint.scope, today=viewpoint.today)
    snapshot = figures.snapshot(viewpoint.as_at)
    rows = snapshot.rows
    if rag:
        wanted = NO_STATUS if rag == NONE else rag
        rows = [row for row in rows if row.rag == wanted]
    if converted == NOT_CONVERTED:
        left_out = {row.pk for row in snapshot.not_converted}
        rows = [row for row in rows if row.pk in left_out]
    if signal:
        rows = [row for row in rows if SIGNALS[signal](row)]
    if confidence:
        rows = [row for row in rows if row.confidence == confidence_filter(confidence)]
    if disagreement:
        rows = [row for row in rows if row.disagrees]
    sort = request.GET.get("sort", "")
    rows = sort_rows(rows, sort)
    if kind := spreadsheets.requested(request):
        return snapshot_export(rows, snapshot=snapshot, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/projects.html",
        {
            "viewpoint": viewpoint,
            "form": viewpoint.form(),
            "rag_form": ProjectsForm(
                initial={
                    "rag": rag,
                    "status": signal,
                    "confidence": confidence,
                    "disagreement": disagreement,
                    "converted": converted,
                }
            ),
            "rag": rag,
            "signal": signal,
            "converted": converted,
            "confidence": confidence,
            "confidence_level": confidence_filter(confidence),
            "disagreement": disagreement,
            "can_edit_rates": can_edit_rates(request.user),
            "snapshot": snapshot,
            "page": page,
            "sort": sort,
            "keep": [("sort", sort)],
        },
    )


class MilestonesForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Due from"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("Due by"), required=False, widget=DATE_INPUT)
    met = forms.ChoiceField(
        label=gettext_lazy("Met"),
        required=False,
        choices=[
            ("", gettext_lazy("Met or not")),
            ("yes", gettext_lazy("Met")),
            ("no", gettext_lazy("Not met")),
        ],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The window ends before it starts."))
        return data


@login_required
def milestones(request):
    """The milestones due by their baseline in a window (the month holding "as at" unless given), met by
    its end or not: the rows behind the "milestones met" figure."""
    require_reader(request.user)
    viewpoint = Viewpoint.from_request(request)
    month = Period.containing(Frequency.MONTHLY, viewpoint.as_at)
    form = MilestonesForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    if not form.is_valid():
        viewpoint.problems.extend(
            _("%(problem)s The window is the month of the “as at” date.") % {"problem": error}
            for error in form.non_field_errors() or [_("A date of the window was not understood.")]
        )
    start: date = chosen.get("start") or month.start
    end: date = chosen.get("end") or month.end
    figures = PortfolioFigures.for_user(request.user, scope=viewpoint.scope, today=viewpoint.today)
    due = figures.milestones_due(start, end)
    met = chosen.get("met", "")
    if met:
        due = due.filter(met=met == "yes")
    due = due.order_by("baseline_date", "project__code", "pk")
    if kind := spreadsheets.requested(request):
        return milestones_export(due, kind=kind, start=start, end=end)
    totals = figures.milestones(start, end)
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/milestones.html",
        {
            "viewpoint": viewpoint,
            "form": viewpoint.form(),
            "window_form": MilestonesForm(initial={"start": start, "end": end, "met": met}),
            "start": start,
            "end": end,
            "met": met,
            "totals": totals,
            "page": page,
        },
    )


urlpatterns = [
    path("projects/", projects, name="projects"),
    path("milestones/", milestones, name="milestones"),
]
