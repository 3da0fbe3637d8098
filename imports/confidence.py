"""The delivery confidence a row gives, recorded as an assessment of its project (source "import").

A file's delivery confidence is an assessment (the IPA's, an assurance review's), not the project
manager's declared RAG, and keeps its five levels: it becomes a `DeliveryConfidence` through
`portfolio.assurance.confidence_record`, dated by the row's status period (else the mapping's, else the
day of the import). Its reason is the row's `confidence_reason`, else its `explanation` when the file
gives no declared rating (the commentary is then about the only rating the file has). Importing the
same file again records nothing: the project already has an assessment of that day and level.
"""

from __future__ import annotations

from datetime import date

from imports.parsing import text_of
from imports.rows import RowValues
from portfolio.assurance import confidence_as_at, confidence_record
from portfolio.models import DeliveryConfidence, Project

FIELD = "delivery_confidence"


def record_confidence(
    *, project: Project, values: RowValues, on: date, author, new: bool, explanation_is_reason: bool
) -> list[str] | None:
    """Record the row's assessment unless the project has it already; the change the dry run shows
    ([field, level before, level after, date]), or None when nothing is recorded."""
    rating = values.values.get(FIELD)
    if not rating:
        return None
    before = None
    if not new:
        if DeliveryConfidence.objects.filter(project=project, assessed_on=on, rating=rating).exists():
            return None
        before = confidence_as_at([project.pk], on).get(project.pk)
    reason = values.values.get("confidence_reason") or (
        values.values.get("explanation") if explanation_is_reason else ""
    )
    confidence_record(
        project=project,
        rating=rating,
        assessed_on=on,
        reason=text_of(reason),
        user=author,
        source=DeliveryConfidence.Source.IMPORT,
    )
    return [FIELD, before.rating if before else "", rating, on.isoformat()]
