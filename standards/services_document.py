"""The governance documents' writes: a document's reference, its versions and their approval.

- `document_create` gives the next reference of the series, GD-001, GD-002… (a locked counter row, as
  governance numbers its decisions: two PMO officers creating at the same moment never share one);
- `version_add` keeps a new version (an uploaded file, already typed by `imports.attachments.checked_upload`,
  through Django's storage; or a link) as a draft numbered after the last one. Every version is kept: a
  new one never replaces or deletes an earlier one;
- approval: a document without an approving committee has its latest version approved by its owner (or
  the PMO, `version_approve`); one with a committee is proposed (`version_propose`) and put on that
  committee's next agenda (standards.document_integration), where the decision recorded on its item
  approves or rejects it (`version_decide`, in the decision's transaction). Approving sets the document's
  next review to the approval date plus its review period; earlier approved versions stay as history.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Decision, ReferenceCounter
from pmo.roles import Role
from standards.models import DocumentVersion, GovernanceDocument

SERIES = "GD"
REMIND_DAYS_BEFORE = 14  # the owner is reminded of a review due within two weeks, or overdue
APPROVING = (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS)


class DocumentError(ValidationError):
    pass


def next_document_reference() -> str:
    """GD-001, GD-002…: the counter row is locked while it is bumped."""
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(series=SERIES)
        counter = ReferenceCounter.objects.select_for_update().get(series=SERIES)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{SERIES}-{counter.last:03d}"


# --- Who may do what ----------------------------------------------------------------------


def can_manage_register(user) -> bool:
    """Creating documents and changing what they are: the PMO and administrators."""
    return user.is_authenticated and user.has_role(Role.PMO, Role.ADMINISTRATOR)


def can_change_versions(user, document: GovernanceDocument) -> bool:
    """Adding a version, approving it (no committee) or proposing it (a committee): its owner or the PMO."""
    return user.is_authenticated and (document.owner_id == user.pk or can_manage_register(user))


# --- Documents ----------------------------------------------------------------------


@transaction.atomic
def document_create(*, values: dict, by) -> GovernanceDocument:
    document = GovernanceDocument(reference=next_document_reference(), **values)
    document.full_clean(exclude=["reference"])
    document.save()
    return document


def register_rows() -> QuerySet[GovernanceDocument]:
    """The register's rows with their people and committees, the latest version (number, state) and the
    version in force (the latest approved: number, date), as annotations: one query for any number of
    documents and versions."""
    versions = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    approved = versions.filter(state=DocumentVersion.State.APPROVED)
    return GovernanceDocument.objects.select_related("owner", "committee", "approving_committee").annotate(
        latest_number=Subquery(versions.values("number")[:1]),
        latest_state=Subquery(versions.values("state")[:1]),
        current_number=Subquery(approved.values("number")[:1]),
        current_approved_on=Subquery(approved.values("approved_on")[:1]),
    )


def review_after(day: date, months: int) -> date:
    return day + relativedelta(months=months)


# --- Versions ----------------------------------------------------------------------


def latest_version(document: GovernanceDocument) -> DocumentVersion | None:
    return document.versions.order_by("-number").first()


@transaction.atomic
def version_add(
    *,
    document: GovernanceDocument,
    by,
    changes: str = "",
    upload=None,
    content_type: str = "",
    link: str = "",
) -> DocumentVersion:
    """A new draft version: a file (checked already) or a link. Refused while one awaits its committee."""
    document = GovernanceDocument.objects.select_for_update().get(pk=document.pk)
    if document.versions.filter(state=DocumentVersion.State.PROPOSED).exists():
        raise DocumentError(
            _("A version awaits the committee's approval: a new version can be added once it is decided."),
            code="proposed",
        )
    if (upload is None) == (not link):
        raise DocumentError(_("Give either a file or a link."), code="source")
    last = latest_version(document)
    version = DocumentVersion(
        document=document,
        number=(last.number if last else 0) + 1,
        changes=changes,
        link=link,
        uploaded_by=by,
    )
    if upload is not None:
        name = (upload.name or "document").rsplit("/", 1)[-1][-200:]
        version.file_name, version.content_type, version.size = name, content_type, upload.size
        version.file.save(f"{document.reference}/v{version.number}/{name}", upload, save=False)
    version.save()
    return version


def _pending(version: DocumentVersion, state: str) -> DocumentVersion:
    """The version, locked, if it is its document's latest and in `state`; DocumentError otherwise."""
    version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.state != state:
        raise DocumentError(_("This version is not awaiting that step."), code="state")
    if version.number != latest_version(version.document).number:
        raise DocumentError(_("A later version exists: only the latest can be approved."), code="stale")
    return version


def _approve(version: DocumentVersion, *, on: date, by=None, decision: Decision | None = None) -> None:
    version.state, version.approved_on, version.approved_by = DocumentVersion.State.APPROVED, on, by
    version.decision = decision
    version.save(update_fields=["state", "approved_on", "approved_by", "decision"])
    document = version.document
    document.next_review = review_after(on, document.review_months)
    document.last_reminded_on = None
    document.save(update_fields=["next_review", "last_reminded_on"])


@transaction.atomic
def version_approve(*, version: DocumentVersion, by) -> DocumentVersion:
    """Its owner's (or the PMO's) approval, for a document that no committee approves."""
    version = _pending(version, DocumentVersion.State.DRAFT)
    if version.document.approving_committee_id:
        raise DocumentError(
            _("This document is approved by a committee: propose the version for its approval."),
            code="committee",
        )
    _approve(version, on=timezone.localdate(), by=by)
    return version


@transaction.atomic
def version_propose(*, version: DocumentVersion, by) -> DocumentVersion:
    """To the approving committee: its next meeting's agenda proposes it (standards.document_integration)."""
    version = _pending(version, DocumentVersion.State.DRAFT)
    if not version.document.approving_committee_id:
        raise DocumentError(_("No committee approves this document: its owner approves it."), code="owner")
    version.state = DocumentVersion.State.PROPOSED
    version.save(update_fields=["state"])
    return version


@transaction.atomic
def version_decide(*, version: DocumentVersion, decision: Decision, by) -> DocumentVersion:
    """The committee's decision on a proposed version: approved (with or without conditions) or rejected;
    deferred leaves it proposed, for the committee's next meeting. Anything but a proposed version is
    left as it is."""
    version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.state != DocumentVersion.State.PROPOSED:
        return version
    if decision.outcome in APPROVING:
        _approve(version, on=decision.decided_on, decision=decision)
    elif decision.outcome == Decision.Outcome.REJECTED:
        version.state, version.decision = DocumentVersion.State.REJECTED, decision
        version.save(update_fields=["state", "decision"])
    return version
