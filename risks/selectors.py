"""Reads of the risk register that its pages, the dashboard and the PDF reports share.

Each function takes a queryset of risks (already narrowed to what the reader may see and to the
filters they chose) and returns plain values, so that the same numbers appear on the screen and in
a report. Every function costs a fixed number of queries, whatever the number of risks.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from governance.models import Action
from portfolio.visibility import project_visible
from risks.models import Escalation, Risk, RiskAssessment, RiskLevel, RiskPolicy
from risks.models.policy import SCALE

INHERENT, RESIDUAL = "inherent", "residual"
BASES = (INHERENT, RESIDUAL)


def register_queryset(user, policy: RiskPolicy, *, today: date | None = None) -> QuerySet[Risk]:
    """The risks `user` may see, with what a register row shows, in one query per page of rows.

    Annotations: `level` and `residual_level` (the policy's), `level_rank` (1 low .. 4 critical, to
    sort by level), `project_visible` (whether `user` may read which project it is about),
    `escalated` (ever sent to a committee), `awaiting_decision` (an escalation the committee has not
    decided yet), `open_actions` (mitigation actions not done), `review_is_overdue`.
    """
    today = today or timezone.localdate()
    escalations = Escalation.objects.filter(risk=OuterRef("pk"))
    open_actions = (
        Action.objects.open()
        .filter(risks=OuterRef("pk"))
        .order_by()
        .values("risks")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Risk.objects.visible_to(user)
        .for_listing()
        .with_levels(policy)
        .annotate(
            level_rank=level_rank_expression(policy),
            project_visible=project_visible(user),
            escalated=Exists(escalations),
            awaiting_decision=Exists(escalations.filter(decision__isnull=True)),
            open_actions=Coalesce(Subquery(open_actions, output_field=IntegerField()), 0),
            review_is_overdue=Case(
                When(state=Risk.State.OPEN, next_review_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def level_rank_expression(policy: RiskPolicy, score: str = "score") -> Case:
    """The level as a number (1 low .. 4 critical): sorting by level sorts by its severity."""
    return Case(
        *(
            When(**{f"{score}__gte": policy.bounds(level)[0]}, then=Value(level.rank))
            for level in reversed(RiskLevel)
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def scale_fields(basis: str) -> tuple[Any, Any]:
    """The probability and impact a heatmap `basis` places a risk by, as expressions.

    On the residual basis a risk that has no residual scoring yet stays where its inherent scoring
    puts it (it is not mitigated yet): every open risk appears on both maps, and the register's
    filter by cell uses these same expressions, so the counts agree.
    """
    if basis == RESIDUAL:
        return Coalesce("residual_probability", "probability"), Coalesce("residual_impact", "impact")
    return F("probability"), F("impact")


def filter_by_cell(
    queryset: QuerySet[Risk], *, basis: str, probability: int | None, impact: int | None
) -> QuerySet[Risk]:
    """The risks of one heatmap row, column or cell (None: any)."""
    by_probability, by_impact = scale_fields(basis)
    queryset = queryset.alias(_map_probability=by_probability, _map_impact=by_impact)
    if probability is not None:
        queryset = queryset.filter(_map_probability=probability)
    if impact is not None:
        queryset = queryset.filter(_map_impact=impact)
    return queryset


@dataclass(frozen=True)
class HeatmapCell:
    probability: int
    impact: int
    score: int
    level: RiskLevel
    count: int
    url: str  # the register listing exactly the risks counted here


@dataclass(frozen=True)
class Heatmap:
    basis: str
    rows: list[list[HeatmapCell]]  # probability 5 (top) down to 1, each with impact 1..5
    total: int

    @property
    def cells(self) -> list[HeatmapCell]:
        return [cell for row in self.rows for cell in row]

    def cell(self, probability: int, impact: int) -> HeatmapCell:
        return self.rows[len(self.rows) - probability][impact - 1]


def heatmap(
    queryset: QuerySet[Risk],
    *,
    basis: str = INHERENT,
    policy: RiskPolicy | None = None,
    link_params: dict[str, Any] | None = None,
    day: date | None = None,
) -> Heatmap:
    """The 5x5 grid of the OPEN risks of `queryset` by probability and impact, in one GROUP BY query.

    `link_params`: the register filters the cells' links carry besides state, basis and the cell
    (the heatmap page passes its own filters, so a cell lists exactly the risks it counts).
    `day`: a past day: the risks open at its end, placed by their assessment then (`open_on`; inherent
    basis), the links carrying it as `as_at` for the register to list the same.
    """
    policy = policy or RiskPolicy.current()
    if day is None:
        by_probability, by_impact = scale_fields(basis)
        open_risks = queryset.open()
    else:
        basis, by_probability, by_impact = INHERENT, F("probability_then"), F("impact_then")
        open_risks = open_on(queryset, day=day)
    counts = {
        (row["p"], row["i"]): row["n"]
        for row in open_risks.order_by()
        .annotate(p=by_probability, i=by_impact)
        .values("p", "i")
        .annotate(n=Count("pk"))
    }
    register = reverse("risks:register")
    base = {k: v for k, v in (link_params or {}).items() if v not in (None, "")}
    if day is not None:
        base["as_at"] = day.isoformat()
    rows = []
    for probability in reversed(SCALE):
        row = []
        for impact in SCALE:
            query = {**base, "state": Risk.State.OPEN.value, "basis": basis}
            query.update(probability=probability, impact=impact)
            row.append(
                HeatmapCell(
                    probability=probability,
                    impact=impact,
                    score=probability * impact,
                    level=policy.level_of(probability * impact),
                    count=counts.get((probability, impact), 0),
                    url=f"{register}?{urlencode(query)}",
                )
            )
        rows.append(row)
    return Heatmap(basis=basis, rows=rows, total=sum(counts.values()))


def top_risks(queryset: QuerySet[Risk], *, limit: int = 10) -> list[Risk]:
    """The open risks that matter most: highest score first, then the nearest proximity."""
    return list(queryset.open().order_by("-score", F("proximity").asc(nulls_last=True), "reference")[:limit])


def exposure(queryset: QuerySet[Risk], *, policy: RiskPolicy | None = None) -> dict[str, int]:
    """The sum of the scores of the open risks and how many of them are critical (one query)."""
    policy = policy or RiskPolicy.current()
    totals = queryset.order_by().aggregate(
        exposure=Coalesce(Sum("score", filter=Q(state=Risk.State.OPEN)), 0),
        critical_open=Count("pk", filter=Q(state=Risk.State.OPEN, score__gte=policy.critical_from)),
        all_open=Count("pk", filter=Q(state=Risk.State.OPEN)),
    )
    return {"score": totals["exposure"], "critical": totals["critical_open"], "open": totals["all_open"]}


def exposure_at(queryset: QuerySet[Risk], *, day: date, policy: RiskPolicy | None = None) -> tuple[int, int]:
    """The exposure and the number of critical risks at the end of a past `day`, by the rules of
    `exposure_over_time` (the score of the latest assessment by then, the first one for a risk recorded
    that day before it was assessed), in one query: for one day, the database does the walk."""
    policy = policy or RiskPolicy.current()
    totals = open_on(queryset.order_by(), day=day).aggregate(
        score=Coalesce(Sum("score_then"), 0),
        critical=Count("pk", filter=Q(score_then__gte=policy.critical_from)),
    )
    return totals["score"], totals["critical"]


def open_on(queryset: QuerySet[Risk], *, day: date) -> QuerySet[Risk]:
    """The risks open at the end of a past `day` (recorded by then, not closed by then), each with
    `score_then`: the score of its latest assessment by then (the first one for a risk recorded that day
    before it was assessed). The dashboard's past figures and the register as at a day both read it."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    assessments = RiskAssessment.objects.filter(risk=OuterRef("pk"))

    def then(name: str) -> Coalesce:
        return Coalesce(
            Subquery(
                assessments.filter(assessed_at__lt=end).order_by("-assessed_at", "-pk").values(name)[:1]
            ),
            Subquery(assessments.order_by("assessed_at", "pk").values(name)[:1]),
        )

    return (
        queryset.filter(created_at__lt=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .annotate(score_then=then("score"))
        .alias(probability_then=then("probability"), impact_then=then("impact"))
    )


@dataclass(frozen=True)
class ExposurePoint:
    on: date
    score: int  # the sum of the scores of the risks open that day
    critical: int  # how many of them were critical
    open: int = 0


@dataclass
class _History:
    opened: date
    closed: date | None
    days: list[date] = field(default_factory=list)  # assessment days, ascending
    scores: list[int] = field(default_factory=list)

    def score_on(self, day: date) -> int | None:
        """The score in force at the end of `day`; None when the risk was not open then."""
        if day < self.opened or (self.closed is not None and day >= self.closed) or not self.scores:
            return None
        index = bisect_right(self.days, day)
        # A risk recorded that day before its first assessment is stamped: it was scored as first assessed.
        return self.scores[max(index - 1, 0)]

    def steps(self) -> list[tuple[date, int | None]]:
        """The days `score_on` changes, each with its value from that day on: the score the risk is
        opened with, each later assessment while it is open, None from the day it closed."""
        if not self.scores or (self.closed is not None and self.closed <= self.opened):
            return []
        later = bisect_right(self.days, self.opened)
        steps: list[tuple[date, int | None]] = [(self.opened, self.scores[max(later - 1, 0)])]
        for day, score in zip(self.days[later:], self.scores[later:], strict=True):
            if self.closed is not None and day >= self.closed:
                break
            steps.append((day, score))
        if self.closed is not None:
            steps.append((self.closed, None))
        return steps


def week_ends(*, weeks: int, today: date) -> list[date]:
    """The Sundays that ended the last `weeks` weeks, the current week ending today."""
    sunday = today + timedelta(days=6 - today.weekday())
    ends = [sunday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    return [min(day, today) for day in ends]


def exposure_over_time(
    queryset: QuerySet[Risk], *, weeks: int = 26, today: date, policy: RiskPolicy | None = None
) -> list[ExposurePoint]:
    """For each of the last `weeks` week ends: the exposure (sum of the scores of the risks open
    then, each with the score of its latest assessment at or before that day) and the number of
    critical risks. A risk counts from the day it was recorded until the day it was closed (or
    occurred). Two queries (the risks, their assessments), whatever their number.
    """
    policy = policy or RiskPolicy.current()
    histories = RiskHistories.of(queryset)
    return [histories.exposure_on(day, policy=policy) for day in week_ends(weeks=weeks, today=today)]


class RiskHistories:
    """The score history of each risk of a queryset, read once (two queries), for the exposure at any
    past day without going back to the database: a year of weekly KPIs reads it once, not 52 times.

    The histories become one timeline of the changes to the totals (a risk opened, reassessed,
    closed), summed in day order: the exposure at a day is then a binary search, not a walk through
    every risk (26 week ends of 3,000 risks took 0.3 s that way, on the heatmap)."""

    def __init__(self, histories: dict[int, _History]) -> None:
        self.histories = histories
        self._timelines: dict[int, tuple[list[date], list[tuple[int, int, int]]]] = {}

    @classmethod
    def of(cls, queryset: QuerySet[Risk]) -> RiskHistories:
        # Days in the current time zone, by the database (as timezone.localdate would, row by row).
        histories: dict[int, _History] = {
            pk: _History(opened=opened, closed=closed_on)
            for pk, opened, closed_on in queryset.order_by()
            .annotate(opened=TruncDate("created_at"))
            .values_list("pk", "opened", "closed_on")
        }
        if histories:
            assessments = (
                RiskAssessment.objects.filter(risk__in=queryset.order_by().values("pk"))
                .annotate(day=TruncDate("assessed_at"))
                .order_by("risk_id", "assessed_at", "pk")
                .values_list("risk_id", "day", "score")
            )
            for risk_id, day, score in assessments:
                history = histories.get(risk_id)
                if history is not None:
                    history.days.append(day)
                    history.scores.append(score)
        return cls(histories)

    def _timeline(self, critical_from: int) -> tuple[list[date], list[tuple[int, int, int]]]:
        """The days the totals change, and the totals (score, critical, open) from each of them on."""
        if critical_from not in self._timelines:
            changes: list[tuple[date, int, int, int]] = []
            for history in self.histories.values():
                before: int | None = None
                for day, score in history.steps():
                    changes.append(
                        (
                            day,
                            (score or 0) - (before or 0),
                            _critical(score, critical_from) - _critical(before, critical_from),
                            (score is not None) - (before is not None),
                        )
                    )
                    before = score
            changes.sort(key=lambda change: change[0])
            days: list[date] = []
            totals: list[tuple[int, int, int]] = []
            score = critical = count = 0
            for day, d_score, d_critical, d_open in changes:
                score, critical, count = score + d_score, critical + d_critical, count + d_open
                if days and days[-1] == day:
                    totals[-1] = (score, critical, count)
                else:
                    days.append(day)
                    totals.append((score, critical, count))
            self._timelines[critical_from] = days, totals
        return self._timelines[critical_from]

    def exposure_on(self, day: date, *, policy: RiskPolicy) -> ExposurePoint:
        days, totals = self._timeline(policy.critical_from)
        index = bisect_right(days, day)
        score, critical, count = totals[index - 1] if index else (0, 0, 0)
        return ExposurePoint(on=day, score=score, critical=critical, open=count)


def _critical(score: int | None, critical_from: int) -> int:
    return int(score is not None and score >= critical_from)
