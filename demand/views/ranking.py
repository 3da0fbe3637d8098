"""The ranked portfolio (`/demand/ranking/`): requests and running projects by mean score, with cost and
people needs; `?export=csv|xlsx` gives the same rows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from demand.ranking import Filters, Row, ranking, years_of
from demand.scoring_access import can_read_ranking, can_score
from pmo import spreadsheets
from pmo.models import Directorate
from pmo.money import reporting_currency
from pmo.spreadsheets import Column

KIND_LABELS = {"request": gettext_lazy("Request"), "project": gettext_lazy("Project")}


@login_required
@require_GET
def ranking_view(request):
    if not can_read_ranking(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    filters = Filters.from_query(request.GET)
    rows = ranking(user=request.user, filters=filters, today=today)
    years = years_of(today)
    kind = spreadsheets.requested(request)
    if kind:
        return spreadsheets.export_response(
            kind,
            _columns(years),
            (_export_row(row, years) for row in rows),
            filename="ranking",
            title=_("Ranking"),
        )
    return render(
        request,
        "demand/ranking.html",
        {
            "rows": rows,
            "years": years,
            "filters": filters,
            "directorates": Directorate.objects.order_by("name").values_list("pk", "name"),
            "currency": reporting_currency(),
            "can_score": can_score(request.user),
        },
    )


def _columns(years: list[int]) -> list[Column]:
    currency = reporting_currency()
    return [
        Column(_("Rank"), 6, spreadsheets.COUNT_FORMAT),
        Column(_("Code"), 14),
        Column(_("Title"), 40),
        Column(_("Kind"), 10),
        Column(_("Directorate"), 24),
        Column(_("Mean score /100"), 10, spreadsheets.PERCENT_FORMAT),
        Column(pgettext("score", "Spread"), 8, spreadsheets.PERCENT_FORMAT),
        Column(_("Scorers"), 8, spreadsheets.COUNT_FORMAT),
        *[Column(f"{year} ({currency})", 14, spreadsheets.MONEY_FORMAT) for year in years],
        Column(_("Total (%(currency)s)") % {"currency": currency}, 14, spreadsheets.MONEY_FORMAT),
        Column(_("Score per million"), 10, spreadsheets.PERCENT_FORMAT),
        Column(_("People (person-months)"), 30),
        Column(_("State"), 16),
    ]


def _export_row(row: Row, years: list[int]) -> list:
    c = row.candidate
    return [
        row.rank,
        c.code,
        c.title,
        str(KIND_LABELS[row.kind]),
        row.directorate,
        row.score.mean,
        row.score.spread,
        row.score.count,
        *[c.cost.get(year) if c.cost.get(year) is not None else _("n/a") for year in years],
        c.total_cost if c.total_cost is not None else _("n/a"),
        row.score_per_million,
        ", ".join(f"{role} {months}" for role, months in row.people),
        row.state_label,
    ]


urlpatterns = [path("ranking/", ranking_view, name="ranking")]
