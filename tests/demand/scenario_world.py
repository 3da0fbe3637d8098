"""Small portfolios for the scenario tests: a one-criterion scoring version (a value v scores
10 x (v - 1), so a score is easy to read), requests with a cost per year, scores given by the PMO."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from demand.models import CriteriaSet, Criterion, ProjectRequest, RequestCost, Score, ScoreValue

NEXT_YEAR = timezone.localdate().year + 1  # a whole future year: no proration of the current one


def criteria() -> CriteriaSet:
    version = CriteriaSet.objects.create(number=90, published_at=timezone.now())
    Criterion.objects.create(criteria_set=version, code="value", name="Valeur", name_en="Value", weight=1,
                             scale_max=11)  # fmt: skip
    return version


def give_score(version: CriteriaSet, score: int, *, scorer, request=None, project=None) -> None:
    given = Score.objects.create(criteria_set=version, request=request, project=project, scorer=scorer)
    ScoreValue.objects.create(score=given, criterion=version.criteria.get(), value=score // 10 + 1)


def make_request(code: str, *, directorate, version, scorer, score: int | None, cost: int, year=NEXT_YEAR):
    request = ProjectRequest.objects.create(
        code=code, title=f"Demande {code}", objectives="-", directorate=directorate,
        state=ProjectRequest.State.QUALIFIED,
    )  # fmt: skip
    RequestCost.objects.create(request=request, year=year, amount=Decimal(cost))
    if score is not None:
        give_score(version, score, scorer=scorer, request=request)
    return request
