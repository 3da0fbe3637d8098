"""The writes of scoring: the PMO's draft of the criteria and its publication, a scorer's score."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from demand.models import CriteriaSet, Criterion, Score, ScoreValue


@transaction.atomic
def criteria_draft(*, by) -> CriteriaSet:
    """The draft the PMO edits: the existing one, else a copy of the current version (criteria and all)
    under the next number. A published version is never edited, so a score keeps its meaning."""
    draft = CriteriaSet.objects.draft()
    if draft is not None:
        return draft
    current = CriteriaSet.objects.current()
    number = (CriteriaSet.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = CriteriaSet.objects.create(number=number, created_by=by)
    if current is not None:
        Criterion.objects.bulk_create(
            Criterion(
                criteria_set=draft,
                code=c.code,
                name=c.name,
                name_en=c.name_en,
                guidance=c.guidance,
                guidance_en=c.guidance_en,
                weight=c.weight,
                scale_max=c.scale_max,
                inverted=c.inverted,
                order=c.order,
            )
            for c in current.criteria.all()
        )
    return draft


class NothingToPublish(Exception):
    pass


@transaction.atomic
def criteria_publish(*, draft: CriteriaSet, note: str) -> CriteriaSet:
    """The draft becomes the current version; from now on people score with it."""
    if draft.is_published or not draft.criteria.exists():
        raise NothingToPublish
    draft.note = note
    draft.published_at = timezone.now()
    draft.save(update_fields=["note", "published_at"])
    return draft


@transaction.atomic
def score_save(
    *,
    criteria_set: CriteriaSet,
    scorer,
    values: dict[int, int],
    comment: str = "",
    request=None,
    project=None,
) -> Score:
    """Creates this scorer's score of the subject on this version, or replaces their earlier one: one
    score per scorer, version and subject."""
    subject = {"request": request} if request is not None else {"project": project}
    score, _ = Score.objects.update_or_create(
        criteria_set=criteria_set, scorer=scorer, **subject, defaults={"comment": comment}
    )
    score.values.all().delete()
    ScoreValue.objects.bulk_create(
        ScoreValue(score=score, criterion_id=criterion_id, value=value)
        for criterion_id, value in values.items()
    )
    return score
