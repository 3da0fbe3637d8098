"""The portfolio roadmap in the monthly and quarterly reports: the roadmap page's figure
(`planning.charts.roadmap_figure`, one builder for the page and the PDF), a page per directorate.

At a thousand projects a bar per project would print tens of pages no one reads: each directorate gets
one page, its `ROADMAP_PAGE` projects that slipped most (the worst first), and a note counting the
others ("and N more"), all of which are in the roadmap's Excel export.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from planning import charts as planning_charts
from planning import roadmap
from reporting.pdf.content.common import FULL, Chart, _day, chart
from reporting.selectors import PortfolioFigures, Snapshot

ROADMAP_PAGE = 30  # projects on a directorate's roadmap page at most: past it, Plotly drops every other label
ROADMAP_HEIGHT = 580  # CSS pixels: what a landscape A4 page holds under its title and above its note


def roadmap_pages(figures: PortfolioFigures, snapshot: Snapshot) -> list[Chart]:
    """The portfolio roadmap (`planning.charts.roadmap_figure`, the roadmap page's figure), one page per
    directorate: its `ROADMAP_PAGE` projects with the largest slip at most (the worst first), the others
    counted in a note ("and N more", all of them in the roadmap's export), so that a thousand projects
    print as one readable page per directorate rather than tens of pages of bars (one query: the
    milestones; the snapshot is the report's)."""
    plan = roadmap.roadmap(figures, on=snapshot.on)
    pages = []
    for group in plan.groups:
        shown = sorted(group.rows, key=lambda row: (-(row.slip_days or 0), row.code))[:ROADMAP_PAGE]
        page = roadmap.RoadmapGroup(group.key, group.code, group.name, shown)
        figure = planning_charts.roadmap_figure(plan, groups=[page])
        # A page holds ROADMAP_HEIGHT pixels of chart: past 22 projects, thinner bars and smaller labels.
        height = min(ROADMAP_HEIGHT, figure["layout"]["height"])
        if len(shown) > 22:
            figure["layout"]["yaxis"]["tickfont"] = {"size": 10}
        notes = []
        if (more := len(group.rows) - len(shown)) > 0:
            notes.append(
                _("The %(shown)s of %(total)s projects that slipped most; %(more)s more in the export.")
                % {"shown": len(shown), "total": len(group.rows), "more": more}
            )
        notes.append(_("Project dates and milestones are shown as they stand today."))
        pages.append(
            chart(
                _("Roadmap: %(directorate)s") % {"directorate": group.name},
                figure,
                size=(FULL[0], height),
                headers=[_("Project"), _("Baseline end"), _("Forecast start"), _("Forecast end"), _("RAG")],
                rows=[
                    [
                        f"{row.code} {row.name}",
                        _day(row.project.baseline_end),
                        _day(row.project.forecast_start),
                        _day(row.project.forecast_end),
                        row.rag_label,
                    ]
                    for row in shown
                ],
                note=" ".join(notes),
            )
        )
    if plan.undated:
        undated = ", ".join(row.code for row in plan.undated[:ROADMAP_PAGE])
        if len(plan.undated) > ROADMAP_PAGE:
            undated += " …"
        if pages:
            pages[-1].note += " " + _("No dates (not drawn): %(projects)s.") % {"projects": undated}
    return pages
