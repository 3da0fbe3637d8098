"""The scores panel of a request's page: the mean on the current version with its spread, each scorer's
weighted score and values, the scores given on older versions apart, and "Score it" for who may score.
A fixed number of queries: the current version, the scores with their values and the versions' criteria,
and whether the reader sits on a portfolio committee."""

from decimal import Decimal

from django import template

from demand.models import CriteriaSet
from demand.scoring import score_sheets
from demand.scoring_access import can_score

register = template.Library()

LARGE_SPREAD = Decimal(20)  # points out of 100: the scorers disagree enough to talk about it


@register.inclusion_tag("demand/_request_scores.html", takes_context=True)
def request_scores(context, request_obj):
    user = context["user"]
    current = CriteriaSet.objects.current()
    versions = score_sheets(request_id=request_obj.pk)
    on_current = next((v for v in versions if current and v.criteria_set.pk == current.pk), None)
    subject = on_current.subject if on_current else None
    return {
        "project_request": request_obj,
        "user": user,
        "current": current,
        "on_current": on_current,
        "subject": subject,
        "large_spread": bool(subject and subject.spread is not None and subject.spread >= LARGE_SPREAD),
        "older": [v for v in versions if v is not on_current],
        "can_score": can_score(user),
    }
