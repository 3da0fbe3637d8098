"""Writes of the deliverables part: the PMO publishes a template's new version; a project's manager
provides a deliverable (a file or a link) as a draft or for approval; its approver (the PMO when none is
named) approves it or sends it back; the PMO waives it with a reason.

Who may do what is decided here, once (`can_*`), and every view and page asks these. A deliverable exists
only for a requirement the project owes (`standards.selectors.deliverables_due`): the views find the
requirement among what is due before calling a write. Every write keeps the history (simple-history),
with who made it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.roles import Role
from portfolio.models import Project
from standards.files import upload_name
from standards.models import Deliverable, DeliverableRequirement, DeliverableType, Template
from standards.selectors import forget

PMO_ROLES = (Role.PMO, Role.ADMINISTRATOR)


def can_manage_templates(user) -> bool:
    return user.is_authenticated and user.has_role(*PMO_ROLES)


def can_provide(user, project: Project) -> bool:
    """Who may edit the project (its manager, the PMO) provides its deliverables."""
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()


def can_review(user, deliverable: Deliverable | None) -> bool:
    """The approver named on the deliverable, or the PMO (who approves when none is named)."""
    if deliverable is None or not user.is_authenticated:
        return False
    return user.has_role(*PMO_ROLES) or (
        deliverable.approver_id is not None and deliverable.approver_id == user.pk
    )


def can_waive(user) -> bool:
    return user.is_authenticated and user.has_role(*PMO_ROLES)


def template_add(*, deliverable_type: DeliverableType, upload, content_type: str, notes: str, by) -> Template:
    """The type's next version (one more than the latest; every earlier version is kept)."""
    name = upload_name(upload)
    with transaction.atomic():
        # Lock the type so that two uploads at once do not take the same number.
        DeliverableType.objects.select_for_update().get(pk=deliverable_type.pk)
        latest = Template.objects.filter(deliverable_type=deliverable_type).aggregate(v=Max("version"))["v"]
        template = Template(
            deliverable_type=deliverable_type,
            version=(latest or 0) + 1,
            notes=notes,
            uploaded_by=by,
            file_name=name,
            content_type=content_type,
            size=upload.size,
        )
        template.file.save(name, upload, save=False)
        template.save()
    return template


def _locked(project: Project, requirement: DeliverableRequirement) -> Deliverable:
    """The project's deliverable for the requirement, locked; a new one (unsaved) when it was missing, so
    that its history starts with what was provided."""
    keys = {
        "project": project,
        "deliverable_type_id": requirement.deliverable_type_id,
        "phase_id": requirement.phase_id,
    }
    return Deliverable.objects.select_for_update().filter(**keys).first() or Deliverable(**keys)


def _save(deliverable: Deliverable, by) -> None:
    deliverable.updated_by = by
    deliverable._history_user = by  # simple-history: who made this change, also outside a request
    deliverable.save()
    if Deliverable.project.is_cached(deliverable):  # what the page read of the project's deliverables
        forget(deliverable.project)


def deliverable_provide(
    *,
    project: Project,
    requirement: DeliverableRequirement,
    upload=None,
    content_type: str = "",
    link: str = "",
    approver=None,
    template: Template | None = None,
    submit: bool = False,
    by,
) -> Deliverable:
    """Keep the file (already typed by `checked_upload`) and/or the link, as a draft or submitted for
    approval. A new version takes the deliverable out of any approval or waiver: it is judged again."""
    with transaction.atomic():
        deliverable = _locked(project, requirement)
        if upload is not None:
            name = upload_name(upload)
            deliverable.file.save(name, upload, save=False)
            deliverable.file_name, deliverable.content_type, deliverable.size = (
                name,
                content_type,
                upload.size,
            )
        deliverable.link = link
        if not deliverable.file and not deliverable.link:
            raise ValidationError(_("Provide a file or a link."), code="empty")
        deliverable.approver = approver
        if template is not None:
            deliverable.template = template
        deliverable.state = Deliverable.State.SUBMITTED if submit else Deliverable.State.DRAFT
        deliverable.submitted_on = timezone.localdate() if submit else None
        deliverable.approved_by, deliverable.approved_on = None, None
        deliverable.waiver_reason = ""
        deliverable.comment = ""
        _save(deliverable, by)
    forget(project)
    return deliverable


def deliverable_approve(*, deliverable: Deliverable, by, comment: str = "") -> Deliverable:
    with transaction.atomic():
        current = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if current.state != Deliverable.State.SUBMITTED:
            raise ValidationError(
                _("Only a deliverable submitted for approval can be approved."), code="state"
            )
        current.state = Deliverable.State.APPROVED
        current.approved_by, current.approved_on = by, timezone.localdate()
        current.comment = comment
        _save(current, by)
    return current


def deliverable_send_back(*, deliverable: Deliverable, by, comment: str) -> Deliverable:
    """Back to draft, with the reviewer's comment for the project's manager."""
    if not comment.strip():
        raise ValidationError(_("Say what is to be changed."), code="comment")
    with transaction.atomic():
        current = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if current.state != Deliverable.State.SUBMITTED:
            raise ValidationError(
                _("Only a deliverable submitted for approval can be sent back."), code="state"
            )
        current.state = Deliverable.State.DRAFT
        current.submitted_on = None
        current.comment = comment.strip()
        _save(current, by)
    return current


def deliverable_waive(
    *, project: Project, requirement: DeliverableRequirement, reason: str, by
) -> Deliverable:
    """The PMO lets the project go without it, and says why (a waived deliverable meets the gate)."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the waiver."), code="reason")
    with transaction.atomic():
        deliverable = _locked(project, requirement)
        deliverable.state = Deliverable.State.WAIVED
        deliverable.waiver_reason = reason.strip()
        deliverable.approved_by, deliverable.approved_on = by, timezone.localdate()
        _save(deliverable, by)
    return deliverable
