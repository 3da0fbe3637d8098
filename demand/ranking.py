"""The ranked portfolio: requests that are candidates and running projects, with their score (the mean of
the current version's scores), cost by year and people needs. One selector for the page and its exports,
so both show the same numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.urls import NoReverseMatch, reverse

from demand.candidates import RUNNING_STATES, Candidate, candidates
from demand.models import CriteriaSet, ProjectRequest
from demand.scoring import SubjectScore, subject_scores
from pmo.models import Directorate
from portfolio.models import Project
from resources.models import ResourceRole

YEARS_AHEAD = 3
SORTS = ("score", "cost", "value")  # value: score per million of cost
KINDS = ("request", "project")
MILLION = Decimal(1_000_000)


@dataclass
class Row:
    rank: int
    candidate: Candidate
    score: SubjectScore
    directorate: str
    state_label: str
    people: list[tuple[str, Decimal]]  # (role, person-months over the years), in the roles' order
    url: str

    @property
    def kind(self) -> str:
        return "request" if self.candidate.is_request else "project"

    @property
    def costs(self) -> list[tuple[int, Decimal | None]]:
        return sorted(self.candidate.cost.items())

    @property
    def score_per_million(self) -> Decimal | None:
        """Points of score per million of the reporting currency: what the money buys."""
        total = self.candidate.total_cost
        if self.score.mean is None or not total:
            return None
        return (self.score.mean / (total / MILLION)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    directorate: int | None = None
    scored: str = ""  # "yes", "no" or ""
    sort: str = "score"

    @classmethod
    def from_query(cls, query) -> Filters:
        try:
            directorate = int(query.get("directorate") or 0) or None
        except ValueError:
            directorate = None
        kind = query.get("kind", "")
        scored = query.get("scored", "")
        sort = query.get("sort", "score")
        return cls(
            kind=kind if kind in KINDS else "",
            directorate=directorate,
            scored=scored if scored in ("yes", "no") else "",
            sort=sort if sort in SORTS else "score",
        )


def years_of(today: date) -> list[int]:
    return [today.year + n for n in range(YEARS_AHEAD)]


def _request_url(code: str) -> str:
    # The request's page belongs to the intake part; until it exists the score page stands in.
    try:
        return reverse("demand:request_detail", args=[code])
    except NoReverseMatch:
        return reverse("demand:request_score", args=[code])


def ranking(*, user, filters: Filters, today: date) -> list[Row]:
    """The reader's ranked rows. A fixed number of queries whatever the number of rows: the requests, the
    projects and their costs and people (demand.candidates), the current version, its criteria and
    scores (demand.scoring), the directorates and the roles."""
    requests = ProjectRequest.objects.visible_to(user).candidates()
    projects = Project.objects.visible_to(user).filter(state__in=RUNNING_STATES)
    if filters.directorate:
        requests = requests.filter(directorate=filters.directorate)
        projects = projects.filter(directorate=filters.directorate)
    if filters.kind == "project":
        requests = requests.none()
    elif filters.kind == "request":
        projects = projects.none()
    found = candidates(years=years_of(today), today=today, requests=requests, projects=projects)
    current = CriteriaSet.objects.current()
    by_request, by_project = subject_scores(
        criteria_set=current,
        request_ids=[c.pk for c in found if c.is_request],
        project_ids=[c.pk for c in found if not c.is_request],
    )
    directorates = dict(
        Directorate.objects.filter(pk__in={c.directorate_id for c in found}).values_list("pk", "name")
    )
    role_ids = {role for c in found for role, _year in c.people}
    roles = list(ResourceRole.objects.filter(pk__in=role_ids).order_by("order", "code")) if role_ids else []
    request_states = dict(ProjectRequest.State.choices)
    project_states = dict(Project.State.choices)
    rows = []
    for c in found:
        score = (by_request if c.is_request else by_project).get(c.pk) or SubjectScore()
        if filters.scored and (score.mean is not None) != (filters.scored == "yes"):
            continue
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for (role_id, _year), months in c.people.items():
            totals[role_id] += months
        people = [(str(role), totals[role.pk]) for role in roles if totals.get(role.pk)]
        rows.append(
            Row(
                rank=0,
                candidate=c,
                score=score,
                directorate=directorates.get(c.directorate_id, ""),
                state_label=str((request_states if c.is_request else project_states).get(c.state, c.state)),
                people=people,
                url=_request_url(c.code)
                if c.is_request
                else reverse("portfolio:project_detail", args=[c.code]),
            )
        )
    rows.sort(key=_sort_key(filters.sort))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows


def _sort_key(sort: str):
    """Highest first; what has no figure (not scored, cost not converted) last, then by code."""

    def key(row: Row):
        if sort == "cost":
            value = row.candidate.total_cost
        elif sort == "value":
            value = row.score_per_million
        else:
            value = row.score.mean
        return (value is None, -(value or 0), row.candidate.code)

    return key
