"""Writing a project's plan: its milestones (added, edited under optimistic locking, reordered, deleted
with a reason) and its phases' planned dates.

Each function runs in one transaction and leaves the audit trail: who, and for a deletion why (the
reason the project manager gives is the deletion record's reason, shown on the History tab). An edit
writes only the form's fields and bumps `Milestone.version`; a reorder writes only `position`, so that
it never conflicts with someone editing a milestone's dates meanwhile.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_noop

from pmo import audit
from portfolio.models import Milestone, Project, ProjectPhase


class StaleMilestoneError(Exception):
    """Someone saved the milestone after this form was opened."""

    def __init__(self, *, current: Milestone) -> None:
        super().__init__("The milestone was changed since the form was opened.")
        self.current = current


def milestone_add(*, project: Project, milestone: Milestone, by) -> Milestone:
    """Save a new milestone at the end of the plan."""
    with transaction.atomic():
        # The project's row lock serialises concurrent additions, so two never take the same position.
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        last = Milestone.objects.filter(project=project).aggregate(last=Max("position"))["last"]
        milestone.project = project
        milestone.position = (last or 0) + 1
        audit.note(milestone, by=by).save(force_insert=True)
    return milestone


def milestone_update(*, milestone: Milestone, version: int | None, fields: list[str], by) -> Milestone:
    """Save the edited `milestone` (its `fields`) if nobody saved it since `version` was read; otherwise
    write nothing and raise StaleMilestoneError with the milestone as it now is."""
    with transaction.atomic():
        current = Milestone.objects.for_plan().select_for_update(of=("self",)).get(pk=milestone.pk)
        if current.version != version:
            raise StaleMilestoneError(current=current)
        milestone.version = current.version + 1
        audit.note(milestone, by=by).save(update_fields=[*fields, "version"])
    return milestone


def milestone_move(*, milestone: Milestone, up: bool, by) -> None:
    """Swap the milestone with the one before (`up`) or after it, and number the plan 1, 2, 3... (positions
    may be equal or have gaps: an import or the admin set them)."""
    with transaction.atomic():
        rows = list(Milestone.objects.filter(project_id=milestone.project_id).select_for_update())
        index = next(i for i, row in enumerate(rows) if row.pk == milestone.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        changed = []
        for number, row in enumerate(rows, start=1):
            if row.position != number:
                row.position = number
                changed.append(row)
        audit.bulk_update(changed, ["position"], reason=gettext_noop("plan reordered"), user=by)


def milestone_delete(*, milestone: Milestone, reason: str, by) -> None:
    """Delete the milestone; `reason` (the person's own words) is the deletion record's reason."""
    with transaction.atomic():
        audit.note(milestone, by=by, reason=reason)
        milestone.delete()


def phases_plan(*, project: Project, dates: dict[int, tuple[date | None, date | None]], by) -> int:
    """Save the project's planned dates of each phase (`dates`: phase id -> (start, end)). A phase's row is
    created the first time it is given a date. Returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        plans = {
            plan.phase_id: plan for plan in ProjectPhase.objects.filter(project=project).select_for_update()
        }
        for phase_id, (start, end) in dates.items():
            plan = plans.get(phase_id)
            if plan is None:
                if start is None and end is None:
                    continue
                plan = ProjectPhase(project=project, phase_id=phase_id)
            elif (plan.planned_start, plan.planned_end) == (start, end):
                continue
            plan.planned_start, plan.planned_end = start, end
            audit.note(plan, by=by).save()
            changed += 1
    return changed
