"""The weighted score: one function for every surface that shows a score (the request, the ranking, the
scenarios, the committee's card, the exports and the API).

- A scorer's weighted score is out of 100: each criterion's value is placed on 0..1 along its scale
  (1 -> 0, `scale_max` -> 1; reversed for an inverted criterion), weighted, and the weighted mean is
  multiplied by 100. Every criterion of the version must have a value (the form asks for all).
- A subject's score is the mean of its scorers' weighted scores on the current version (older versions'
  scores are kept and shown with their version, not mixed in); its spread is the highest minus the
  lowest. No score: None ("not scored"), never 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from demand.models import CriteriaSet, Criterion, Score

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def weighted(values: dict[int, int], criteria: Iterable[Criterion]) -> Decimal | None:
    """One scorer's weighted score out of 100, rounded to a tenth; None when a criterion has no value."""
    total_weight = 0
    total = Decimal(0)
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            return None
        place = Decimal(value - 1) / Decimal(criterion.scale_max - 1)
        if criterion.inverted:
            place = 1 - place
        total += place * criterion.weight
        total_weight += criterion.weight
    if not total_weight:
        return None
    return (total / total_weight * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class SubjectScore:
    """The scores given to one request or project on one version of the criteria."""

    by_scorer: dict[int, Decimal] = field(default_factory=dict)  # scorer id -> weighted score
    scorers: dict[int, str] = field(default_factory=dict)  # scorer id -> name

    @property
    def count(self) -> int:
        return len(self.by_scorer)

    @property
    def mean(self) -> Decimal | None:
        if not self.by_scorer:
            return None
        return (sum(self.by_scorer.values()) / len(self.by_scorer)).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def spread(self) -> Decimal | None:
        if not self.by_scorer:
            return None
        return max(self.by_scorer.values()) - min(self.by_scorer.values())


def subject_scores(
    *, criteria_set: CriteriaSet | None, request_ids: Iterable[int] = (), project_ids: Iterable[int] = ()
) -> tuple[dict[int, SubjectScore], dict[int, SubjectScore]]:
    """({request id: SubjectScore}, {project id: SubjectScore}) on `criteria_set`; two queries (the
    criteria, the scores with their values and scorers) whatever the number of subjects."""
    request_ids, project_ids = list(request_ids), list(project_ids)
    by_request: dict[int, SubjectScore] = defaultdict(SubjectScore)
    by_project: dict[int, SubjectScore] = defaultdict(SubjectScore)
    if criteria_set is None or not (request_ids or project_ids):
        return by_request, by_project
    criteria = list(criteria_set.criteria.all())
    scores = (
        Score.objects.filter(criteria_set=criteria_set)
        .filter(_subjects(request_ids, project_ids))
        .select_related("scorer")
        .prefetch_related("values")
    )
    for score in scores:
        result = weighted({v.criterion_id: v.value for v in score.values.all()}, criteria)
        if result is None:
            continue
        target = by_request[score.request_id] if score.request_id else by_project[score.project_id]
        target.by_scorer[score.scorer_id] = result
        target.scorers[score.scorer_id] = str(score.scorer)
    return by_request, by_project


def _subjects(request_ids: list[int], project_ids: list[int]):
    from django.db.models import Q

    condition = Q(pk__in=[])
    if request_ids:
        condition |= Q(request__in=request_ids)
    if project_ids:
        condition |= Q(project__in=project_ids)
    return condition


@dataclass
class ScorerSheet:
    """One scorer's score as the request page explains it: their weighted result and each value."""

    score: Score
    result: Decimal | None
    values: list[int | None]  # in the order of the version's criteria


@dataclass
class VersionSheet:
    """Every score given to one subject on one version of the criteria."""

    criteria_set: CriteriaSet
    criteria: list[Criterion]
    sheets: list[ScorerSheet] = field(default_factory=list)

    @property
    def subject(self) -> SubjectScore:
        result = SubjectScore()
        for sheet in self.sheets:
            if sheet.result is not None:
                result.by_scorer[sheet.score.scorer_id] = sheet.result
                result.scorers[sheet.score.scorer_id] = str(sheet.score.scorer)
        return result


def score_sheets(*, request_id: int | None = None, project_id: int | None = None) -> list[VersionSheet]:
    """A subject's scores grouped by version, the newest version first, each scorer's values in the
    criteria's order. Three queries (the scores, their values, the versions' criteria), one when none."""
    subject = {"request": request_id} if request_id else {"project": project_id}
    scores = list(
        Score.objects.filter(**subject)
        .select_related("scorer", "criteria_set")
        .prefetch_related("values")
        .order_by("-criteria_set__number", "scored_at", "pk")
    )
    if not scores:
        return []
    criteria_by_set: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in Criterion.objects.filter(criteria_set__in={s.criteria_set_id for s in scores}):
        criteria_by_set[criterion.criteria_set_id].append(criterion)
    versions: dict[int, VersionSheet] = {}
    for score in scores:
        criteria = criteria_by_set[score.criteria_set_id]
        version = versions.setdefault(score.criteria_set_id, VersionSheet(score.criteria_set, criteria))
        values = {v.criterion_id: v.value for v in score.values.all()}
        version.sheets.append(
            ScorerSheet(score, weighted(values, criteria), [values.get(c.pk) for c in criteria])
        )
    return list(versions.values())
