"""Writing a project's plan, for every surface (the plan page, the API, the import): its milestones
(added, edited under optimistic locking, reordered, deleted with a reason), its phases' planned dates,
and its dependencies (recorded, changed, accepted, removed). The rules are the forms'
(portfolio.forms.plan, portfolio.forms.dependency): these functions save what a valid form holds.

Each function runs in one transaction and leaves the audit trail: who, and for a deletion why (the
reason the project manager gives is the deletion record's reason, shown on the History tab). An edit
writes only the form's fields and bumps `Milestone.version`; a reorder writes only `position`, so that
it never conflicts with someone editing a milestone's dates meanwhile.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from pmo import audit
from portfolio.models import Milestone, Project, ProjectDependency, ProjectPhase


class StaleVersionError(Exception):
    """Someone saved the milestone after the version the writer read; `current` is what it holds now."""

    def __init__(self, current: Milestone) -> None:
        super().__init__("The milestone was changed since it was read.")
        self.current = current


def milestone_add(*, project: Project, milestone: Milestone, by, reason: str = "") -> Milestone:
    """Save a new milestone at the end of the plan (at its `position` when one is given: the API's)."""
    with transaction.atomic():
        # The project's row lock serialises concurrent additions, so two never take the same position.
        Project.objects.select_for_update().filter(pk=project.pk).exists()
        milestone.project = project
        if not milestone.position:
            last = Milestone.objects.filter(project=project).aggregate(last=Max("position"))["last"]
            milestone.position = (last or 0) + 1
        audit.note(milestone, by=by, reason=reason).save(force_insert=True)
    return milestone


def milestone_update(
    *, milestone: Milestone, version: int | None, fields: list[str], by, reason: str = ""
) -> Milestone:
    """Save the edited `milestone` (its `fields`) if nobody saved it since `version` was read (None: the
    writer read none, as the import); otherwise write nothing and raise StaleVersionError with the
    milestone as it now is."""
    with transaction.atomic():
        current = Milestone.objects.for_plan().select_for_update(of=("self",)).get(pk=milestone.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(current)
        milestone.version = current.version + 1
        audit.note(milestone, by=by, reason=reason).save(update_fields=[*fields, "version"])
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


def milestone_delete(*, milestone: Milestone, reason: str, by, version: int | None = None) -> None:
    """Delete the milestone; `reason` (the person's own words) is the deletion record's reason. With the
    `version` read, StaleVersionError if it changed since (the dependencies on it lose their milestone)."""
    with transaction.atomic():
        current = Milestone.objects.for_plan().select_for_update(of=("self",)).get(pk=milestone.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(current)
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


def planned_phase_save(*, project: Project, plan: ProjectPhase | None, dates: dict, by) -> ProjectPhase:
    """Save one phase's planned dates (`dates`: the phase form's cleaned data), `plan` the row changed
    (None: a new one)."""
    plan = plan or ProjectPhase(project=project)
    plan.phase_id = dates["phase"]
    plan.planned_start, plan.planned_end = dates.get("planned_start"), dates.get("planned_end")
    audit.note(plan, by=by).save()
    return plan


def planned_phase_delete(*, plan: ProjectPhase, by) -> None:
    audit.note(plan, by=by)
    plan.delete()


# --- Dependencies ----------------------------------------------------------------------------------------


def dependency_save(*, form, by) -> ProjectDependency:
    """Record or change the dependency a valid DependencyForm holds (the form resets an acceptance
    whose terms changed); the consumer's manager or the PMO is `by`."""
    new = form.instance.pk is None
    dependency = form.save(commit=False)
    if new:
        dependency.created_by = by
    reason = gettext_noop("dependency recorded") if new else gettext_noop("dependency changed")
    audit.note(dependency, by=by, reason=reason).save()
    return dependency


def dependency_accept(*, dependency: ProjectDependency, by) -> ProjectDependency:
    """The provider's manager (or the PMO) accepts to deliver by the needed-by date (once)."""
    if not dependency.is_accepted:
        dependency.accepted_by, dependency.accepted_at = by, timezone.now()
        audit.note(dependency, by=by, reason=gettext_noop("dependency accepted"))
        dependency.save(update_fields=["accepted_by", "accepted_at"])
    return dependency


def dependency_delete(*, dependency: ProjectDependency, by, reason: str = "") -> None:
    """Remove the dependency; `reason`, the person's own words when given, is kept in the history."""
    audit.note(dependency, by=by, reason=reason or gettext_noop("dependency removed"))
    dependency.delete()
