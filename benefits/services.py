"""Writes on benefit profiles: saving one (an approved profile whose plan changes goes back to draft),
approving it, recording an actual; and who may do each (one rule each, applied by the pages, the tests and
the panel alike).

- read: whoever may see the project (BenefitProfile.objects.visible_to);
- add and edit a profile: whoever may edit the project (Project.objects.editable_by: the PMO, its PM);
- approve: the PMO (and administrators);
- record an actual: the benefit's owner, the project's manager or the PMO, also once the project is
  closed (the owner stays accountable after it).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from benefits.models import BenefitActual, BenefitProfile
from pmo.roles import Role
from portfolio.models import Project

APPROVERS = (Role.PMO, Role.ADMINISTRATOR)
# Changing one of these on an approved profile changes what was approved: back to draft.
PLAN_FIELDS = ("baseline_value", "target_value", "starts_on", "target_date")


def can_edit_profiles(user, project: Project) -> bool:
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()


def can_approve(user) -> bool:
    return user.is_authenticated and user.has_role(*APPROVERS)


def can_record_actual(user, profile: BenefitProfile) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_role(*APPROVERS):
        return True
    return user.pk in (profile.owner_id, profile.project.project_manager_id)


@transaction.atomic
def profile_save(*, profile: BenefitProfile, by, unchecked: tuple[str, ...] = ()) -> BenefitProfile:
    """Save a new or changed profile; an approved one whose plan changed is back to draft. `unchecked`:
    fields left to be filled later (an imported draft whose project has neither sponsor nor manager)."""
    if profile.pk and profile.state == BenefitProfile.State.APPROVED:
        before = BenefitProfile.objects.filter(pk=profile.pk).values(*PLAN_FIELDS).first() or {}
        if any(before.get(name) != getattr(profile, name) for name in PLAN_FIELDS):
            profile.state = BenefitProfile.State.DRAFT
            profile.approved_by = None
            profile.approved_at = None
    profile.full_clean(exclude=unchecked or None)
    profile.save()
    return profile


def profile_approve(*, profile: BenefitProfile, by) -> BenefitProfile:
    profile.state = BenefitProfile.State.APPROVED
    profile.approved_by = by
    profile.approved_at = timezone.now()
    profile.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
    return profile


def actual_record(*, profile: BenefitProfile, measured_on, value, note: str = "", by) -> BenefitActual:
    """Record (or correct: one a day) the value measured on a date."""
    actual, _created = BenefitActual.objects.update_or_create(
        profile=profile, measured_on=measured_on, defaults={"value": value, "note": note, "recorded_by": by}
    )
    return actual
