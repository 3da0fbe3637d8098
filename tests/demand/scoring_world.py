"""Small builders shared by the scoring tests: a candidate request, a portfolio committee, a score."""

from __future__ import annotations

from decimal import Decimal

from demand.models import CriteriaSet, ProjectRequest, RequestCost
from demand.scoring_services import score_save
from governance.models import Committee
from tests.factories import CommitteeFactory


def a_request(*, code: str, directorate, state=ProjectRequest.State.QUALIFIED, by=None, cost=None, year=None):
    request = ProjectRequest.objects.create(
        code=code, title=f"Request {code}", objectives="Do it", directorate=directorate, state=state,
        requested_by=by,
    )  # fmt: skip
    if cost is not None:
        RequestCost.objects.create(request=request, year=year, amount=Decimal(cost))
    return request


def portfolio_committee(*, members=()):
    return CommitteeFactory(kind=Committee.Kind.PORTFOLIO, code="portfolio", members=list(members))


def score(subject, scorer, *values: int, criteria_set=None):
    """`values` in the criteria's order (default: the current version)."""
    criteria_set = criteria_set or CriteriaSet.objects.current()
    criteria = list(criteria_set.criteria.all())
    kind = "request" if isinstance(subject, ProjectRequest) else "project"
    return score_save(
        criteria_set=criteria_set,
        scorer=scorer,
        values={c.pk: v for c, v in zip(criteria, values, strict=True)},
        **{kind: subject},
    )
