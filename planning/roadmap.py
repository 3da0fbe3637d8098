"""The portfolio roadmap: every project in scope as at a date, with its dates and its milestones.

The projects are those of `reporting.selectors.PortfolioFigures.snapshot` (the portfolio as at D: the
dashboard's scope rule, not a second one), seen by the reader (`Project.objects.visible_to`), in the
viewpoint's directorate or portfolio, and of the RAG asked for. A project with no forecast dates is kept
in `undated` (listed under "no dates", never dropped), so the roadmap counts as many projects as the
dashboard.

Reading a roadmap costs a fixed number of queries, whatever the number of projects: the snapshot's four
(projects, their plans, the reports in force, the status policy) and one for the milestones (with their
owners). The page, its exports and the PDF reports read it here, so they list the same projects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolio.models import Milestone
from reporting.charts import milestone_state
from reporting.exports import rag_label
from reporting.selectors import NO_STATUS, PortfolioFigures, ProjectRow

NONE = "none"  # the `rag` filter's value for the projects with no status at all (as the project list)
GROUPINGS = {
    "directorate": gettext_lazy("Directorate"),
    "portfolio": gettext_lazy("Portfolio"),
}
DEFAULT_GROUPING = "directorate"


@dataclass
class RoadmapMilestone:
    """A milestone as the roadmap and its exports show it."""

    pk: int
    project_id: int
    name: str
    deliverable: str
    owner: str
    baseline_date: date
    forecast_date: date
    actual_date: date | None
    weight: object

    @property
    def slip_days(self) -> int:
        """As `Milestone.slip_days`: against the baseline, the actual date once met."""
        return ((self.actual_date or self.forecast_date) - self.baseline_date).days

    def state(self, on: date) -> str:
        """ "met", "due" (forecast, on time) or "late", as at `on` (the dashboard's rule)."""
        return milestone_state(self, on)


@dataclass
class RoadmapRow:
    """A project of the roadmap: its row of the portfolio as at the date, and its milestones."""

    project: ProjectRow
    milestones: list[RoadmapMilestone] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.project.pk

    @property
    def code(self) -> str:
        return self.project.code

    @property
    def name(self) -> str:
        return self.project.name

    @property
    def rag_label(self) -> str:
        return rag_label(self.project.rag)

    @property
    def dated(self) -> bool:
        return self.project.forecast_start is not None and self.project.forecast_end is not None

    @property
    def slip_days(self) -> int | None:
        """How far the forecast end is past the baseline end (negative: ahead); None if either is unknown."""
        row = self.project
        if row.forecast_end is None or row.baseline_end is None:
            return None
        return (row.forecast_end - row.baseline_end).days


@dataclass
class RoadmapGroup:
    key: int | None
    code: str
    name: str
    rows: list[RoadmapRow]

    @property
    def label(self) -> str:
        return self.name


@dataclass
class Roadmap:
    on: date
    group_by: str
    groups: list[RoadmapGroup]  # the projects with dates, by group, each group in code order
    undated: list[RoadmapRow]  # the projects without forecast dates: listed, not drawn

    @property
    def rows(self) -> list[RoadmapRow]:
        """Every project, dated first (group by group), then those without dates."""
        return [row for group in self.groups for row in group.rows] + self.undated

    @property
    def dated(self) -> list[RoadmapRow]:
        return [row for group in self.groups for row in group.rows]

    def __len__(self) -> int:
        return sum(len(group.rows) for group in self.groups) + len(self.undated)

    @property
    def milestone_count(self) -> int:
        return sum(len(row.milestones) for row in self.rows)


def _group_key(row: ProjectRow, group_by: str) -> tuple[int | None, str, str]:
    if group_by == "portfolio":
        if row.portfolio_id is None:
            return None, "", str(_("No portfolio"))
        return row.portfolio_id, row.portfolio_code, row.portfolio_name
    return row.directorate_id, row.directorate_code, row.directorate_name


def milestones_of(project_ids: list[int]) -> dict[int, list[RoadmapMilestone]]:
    """The milestones of these projects in plan order, with their owners (one query)."""
    found: dict[int, list[RoadmapMilestone]] = defaultdict(list)
    if not project_ids:
        return found
    for values in (
        Milestone.objects.filter(project__in=project_ids)
        .order_by("project_id", "position", "baseline_date", "pk")
        .values_list(
            "pk",
            "project_id",
            "name",
            "deliverable",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "weight",
        )
    ):
        pk, project_id, name, deliverable, first, last, username, baseline, forecast, actual, weight = values
        owner = f"{first} {last}".strip() or (username or "")
        found[project_id].append(
            RoadmapMilestone(pk, project_id, name, deliverable, owner, baseline, forecast, actual, weight)
        )
    return found


def roadmap(
    figures: PortfolioFigures, *, on: date, group_by: str = DEFAULT_GROUPING, rag: str = ""
) -> Roadmap:
    """The roadmap of `figures`' scope (the reader's, or everyone's for a report) as at `on`, grouped by
    "directorate" or "portfolio", of the projects whose latest rating is `rag` ("none": no status) if given.
    Five queries (see the module)."""
    if group_by not in GROUPINGS:
        group_by = DEFAULT_GROUPING
    rows = figures.snapshot(on).rows
    if rag:
        wanted = NO_STATUS if rag == NONE else rag
        rows = [row for row in rows if row.rag == wanted]
    return grouped(rows, milestones_of([row.pk for row in rows]), on=on, group_by=group_by)


def grouped(
    rows: list[ProjectRow], milestones: dict[int, list], *, on: date, group_by: str = DEFAULT_GROUPING
) -> Roadmap:
    """`rows` (in their order) as a roadmap grouped by "directorate" or "portfolio", with `milestones`
    (by project id). The dashboard's card draws its few main projects, their milestones loaded by
    `PortfolioFigures.load_milestones`, through it and the same figure."""
    by_group: dict[tuple[int | None, str, str], list[RoadmapRow]] = defaultdict(list)
    undated = []
    for project in rows:
        row = RoadmapRow(project, milestones.get(project.pk, []))
        if row.dated:
            by_group[_group_key(project, group_by)].append(row)
        else:
            undated.append(row)
    groups = [RoadmapGroup(key, code, name, members) for (key, code, name), members in by_group.items()]
    groups.sort(key=lambda group: (group.key is None, group.name.casefold(), group.code))
    return Roadmap(on=on, group_by=group_by, groups=groups, undated=undated)
