"""The executives' and the PMO's home: the portfolio at a glance, as at any past date, whole or in part.

Every figure comes from `reporting.selectors.PortfolioFigures` (directly, or through the KPI functions),
the same reads the stored measurements and the PDF reports use; each tile and chart links to the list
behind it (`reporting.views.lists`), which reads the same snapshot.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse

from planning.charts import roadmap_figure
from planning.roadmap import grouped
from pmo.roles import Role
from portfolio.assurance import CONFIDENCE_STEP, Confidence
from reporting import chart_tables, charts
from reporting.charts import NOT_REPORTED, STALE
from reporting.forms import Viewpoint
from reporting.selectors import NO_STATUS, NOT_ASSESSED, NOT_CONVERTED, RAGS, PortfolioFigures, Snapshot
from reporting.tiles import dashboard_kpis, dates_read, tiles
from risks.charts import heatmap_figure
from risks.selectors import heatmap

READERS = (Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR)


def require_reader(user) -> None:
    """The dashboard and the lists behind it are the executives', the PMO's and the administrators'."""
    if not user.has_role(*READERS):
        raise PermissionDenied


def list_url(viewpoint: Viewpoint, name: str = "reporting:projects", **params) -> str:
    """A list behind the dashboard, with the dashboard's viewpoint and `params` (which win)."""
    query = viewpoint.params()
    query.update(params)
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def rag_counts(snapshot: Snapshot) -> dict[str, int]:
    """The latest ratings ("none": no status at all) and, beside them, how many did not report for the
    period and how many ratings are stale."""
    counts = {rag or charts.NONE: snapshot.count(rag) for rag in (*RAGS, NO_STATUS)}
    counts.update({NOT_REPORTED: snapshot.not_reported, STALE: snapshot.stale})
    return counts


def rating_links(viewpoint: Viewpoint, counts: dict[str, int]) -> list[dict]:
    """The counts of the ratings strip, each with the list that shows as many rows."""
    links = [
        {"key": rag, "count": counts[rag], "url": list_url(viewpoint, rag=rag)}
        for rag in (*RAGS, charts.NONE)
    ]
    links += [
        {"key": signal, "count": counts[signal], "url": list_url(viewpoint, status=signal)}
        for signal in (NOT_REPORTED, STALE)
    ]
    return links


DISAGREEMENTS_SHOWN = 8


def confidence_links(viewpoint: Viewpoint, snapshot: Snapshot) -> list[dict]:
    """The delivery confidence panel's bars: a level each (green to red), then "not assessed", each with
    its count, its share of the widest bar, and the list that shows as many rows."""
    levels = [(level.value, level.value) for level in Confidence] + [(NOT_ASSESSED, charts.NONE)]
    counts = [(level, key, snapshot.confidence_count(level)) for level, key in levels]
    widest = max((count for _level, _key, count in counts), default=0) or 1
    return [
        {
            "level": level,
            "key": key,
            "count": count,
            "width": round(100 * count / widest),
            "url": list_url(viewpoint, confidence=key),
        }
        for level, key, count in counts
    ]


def disagreements(snapshot: Snapshot, limit: int = DISAGREEMENTS_SHOWN) -> list:
    """The projects whose declared RAG and assessed confidence disagree, the PMO's worse view first, then
    the widest gap, then by code."""
    rows = [row for row in snapshot.rows if row.disagrees]
    rows.sort(key=lambda row: (not row.assessed_worse, -CONFIDENCE_STEP[row.confidence], row.code))
    return rows[:limit]


@login_required
def dashboard(request):
    require_reader(request.user)
    viewpoint = Viewpoint.from_request(request)
    as_at = viewpoint.as_at
    figures = PortfolioFigures.for_user(request.user, scope=viewpoint.scope, today=viewpoint.today)
    kpis = dashboard_kpis()
    snapshot = figures.snapshots(dates_read(kpis, as_at) | {as_at})[as_at]
    compliance_kpi = next((kpi for kpi in kpis if kpi.function == "status_compliance"), None)

    def week_list(week: date) -> str:
        on = min(week + timedelta(days=6), as_at)
        return list_url(
            viewpoint, status=NOT_REPORTED, as_at=None if on == viewpoint.today else on.isoformat()
        )

    risk_link = {"directorate": viewpoint.directorate.pk} if viewpoint.directorate else {}
    # At a past date, the risks open then, where their assessment then placed them (the cells' links and
    # the register carry the date and list as many).
    past = None if viewpoint.is_today else as_at
    grid = heatmap(figures.risks, policy=figures.policy, link_params=risk_link, day=past)
    currency = snapshot.currency
    rag_figure = charts.rag_by_directorate_figure(snapshot, link=lambda params: list_url(viewpoint, **params))
    budget_figure = charts.budget_by_portfolio_figure(
        snapshot, currency=currency, link=lambda params: list_url(viewpoint, **params)
    )
    charts.same_height(rag_figure, budget_figure)  # side by side on wide screens
    roadmap = charts.roadmap_rows(snapshot)
    figures.load_milestones(roadmap)  # the markers of the few projects drawn
    compliance = figures.compliance_history(weeks=charts.COMPLIANCE_WEEKS, on=as_at)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "viewpoint": viewpoint,
            "form": viewpoint.form(),
            "snapshot": snapshot,
            "tiles": tiles(kpis, figures=figures, as_at=as_at, today=viewpoint.today),
            "any_kpi": bool(kpis),
            "can_define_kpis": request.user.has_role(Role.PMO, Role.ADMINISTRATOR),
            "rag_figure": rag_figure,
            "budget_figure": budget_figure,
            # The roadmap page's figure (one builder for the page, the card and the PDF), of the few drawn.
            "roadmap_figure": roadmap_figure(
                grouped(roadmap, {row.pk: row.milestones for row in roadmap}, on=snapshot.on),
                link_project=charts.project_url,
            ),
            "roadmap_size": len(roadmap),
            "heatmap": grid,
            "heatmap_figure": heatmap_figure(grid),
            "compliance_figure": charts.compliance_figure(
                compliance,
                target=compliance_kpi.target if compliance_kpi else None,
                link=week_list,
            ),
            "compliance_weeks": charts.COMPLIANCE_WEEKS,
            "rag_table": chart_tables.rag_by_directorate_table(snapshot),
            "budget_table": chart_tables.budget_by_portfolio_table(snapshot, currency=currency),
            "roadmap_table": chart_tables.roadmap_table(snapshot),
            "compliance_table": chart_tables.compliance_table(compliance),
            "slips": snapshot.largest_slips(),
            "rag_counts": (counts := rag_counts(snapshot)),
            "rating_links": rating_links(viewpoint, counts),
            "confidence_links": confidence_links(viewpoint, snapshot),
            "disagreements": disagreements(snapshot),
            "disagreements_url": list_url(viewpoint, disagreement=1, sort="-confidence"),
            "grace_days": figures.status_policy.grace_days,
            "list_url": list_url(viewpoint),
            "rag_list_url": list_url(viewpoint, sort="rag"),
            "budget_list_url": list_url(viewpoint, sort="-overrun"),
            "not_reported_url": list_url(viewpoint, status=NOT_REPORTED),
            "not_converted_url": list_url(viewpoint, converted=NOT_CONVERTED),
            "slips_url": list_url(viewpoint, sort="-slip"),
            "roadmap_url": list_url(viewpoint, sort="priority"),
            "full_roadmap_url": list_url(viewpoint, "planning:roadmap"),
            "register_url": list_url(
                viewpoint, "risks:register", state="open", as_at=past and past.isoformat(), portfolio=None
            ),
            "quick_dates": [
                (label, day, viewpoint.query(as_at=day.isoformat()))
                for label, day in viewpoint.past_period_ends()
            ],
            "today_query": urlencode(viewpoint.scope.params()),
        },
    )


urlpatterns = [path("", dashboard, name="dashboard")]
