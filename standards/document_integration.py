"""How the governance documents plug into governance (which does not depend on standards).

- agenda source "governance_documents": each version proposed for approval is proposed on its approving
  committee's next meeting, unless an item about it waits there (in a meeting still to be held, or left
  undiscussed by a closed one); a version deferred by a closed meeting comes back to the next one;
- `decision_recorded`: the decision recorded on such an item approves or rejects the version
  (services_document.version_decide), in the decision's transaction;
- committee extra: a committee's page shows its terms of reference (the documents that govern it) with
  the version in force.

Items are recognised by their title's key and parameters (pmo.texts), as demand's G0 items are.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.models import AgendaItem, Decision, Meeting
from governance.selectors import Proposal, carried_over_items, decided_item_params
from pmo.texts import Text, wording
from standards.models import DocumentVersion

APPROVAL_TITLE = "standards.document_approval_title"
APPROVAL_REASON = "standards.document_approval_reason"
APPROVAL_MINUTES = 10
# Agenda order (governance.selectors, worst first): after the G0 requests (55), before the projects'
# exceptions (at most 39).
APPROVAL_SEVERITY = 45
STILL_TO_BE_HELD = (Meeting.State.PLANNED, Meeting.State.IN_PROGRESS)
TITLE_MAX = AgendaItem._meta.get_field("title").max_length
REASON_MAX = AgendaItem._meta.get_field("reason").max_length


# --- The texts of the item, in each reader's language -------------------------------------------------


def approval_title(version: DocumentVersion) -> Text:
    """`version` (its id) is how the agenda and the decision receiver know the item is about it."""
    document = version.document
    return Text(
        APPROVAL_TITLE,
        {"version": version.pk, "reference": document.reference, "title": document.title,
         "number": version.number},
    )  # fmt: skip


def approval_reason(version: DocumentVersion) -> Text:
    return Text(
        APPROVAL_REASON,
        {"changes": Truncator(version.changes).chars(150), "owner": str(version.document.owner)},
    )


@wording(APPROVAL_TITLE)
def _approval_title(*, version: int, reference: str, title: str, number: int) -> str:
    text = _("Approval of %(reference)s v%(number)s: %(title)s") % {
        "reference": reference,
        "number": number,
        "title": title,
    }
    return Truncator(text).chars(TITLE_MAX)


@wording(APPROVAL_REASON)
def _approval_reason(*, changes: str, owner: str) -> str:
    text = _("Governance document owned by %(owner)s; what changed: %(changes)s") % {
        "owner": owner,
        "changes": changes or "—",
    }
    return Truncator(text).chars(REASON_MAX)


# --- The agenda ----------------------------------------------------------------------


def _waiting(meeting: Meeting) -> set:
    """The versions an item of the committee waits for: on a meeting still to be held, or left undiscussed
    by a closed one. One query."""
    carried = carried_over_items(meeting.committee_id, before=meeting.starts_at).values("pk")
    params = (
        AgendaItem.objects.filter(meeting__committee=meeting.committee_id, title_key=APPROVAL_TITLE)
        .filter(Q(meeting__state__in=STILL_TO_BE_HELD) | Q(pk__in=carried))
        .values_list("title_params", flat=True)
    )
    return {(p or {}).get("version") for p in params}


def version_proposals(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """One proposal per version awaiting the approval of the meeting's committee. Queries: the versions
    with their document and owner (1); when there are some, the waiting items (1)."""
    versions = list(
        DocumentVersion.objects.filter(
            state=DocumentVersion.State.PROPOSED, document__approving_committee=meeting.committee_id
        )
        .select_related("document__owner")
        .order_by("document__reference")
    )
    if not versions:
        return []
    waiting = _waiting(meeting)
    proposals = []
    for version in versions:
        if version.pk in waiting:
            continue
        title, reason = approval_title(version), approval_reason(version)
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.DECISION_REQUEST,
                title=str(title),
                reason=str(reason),
                title_text=title,
                reason_text=reason,
                planned_minutes=APPROVAL_MINUTES,
                presenter=version.document.owner,
                severity=APPROVAL_SEVERITY,
                subject_key=f"document-version-{version.pk}",
            )
        )
    return proposals


# --- The committee's decision ----------------------------------------------------------------------


def _on_decision_recorded(sender, *, decision: Decision, by, **kwargs) -> None:
    from standards.services_document import version_decide

    params = decided_item_params(decision, APPROVAL_TITLE)
    if params is None:
        return
    version = DocumentVersion.objects.filter(
        pk=params.get("version"), state=DocumentVersion.State.PROPOSED
    ).first()
    if version is not None:
        version_decide(version=version, decision=decision, by=by)


# --- The committee's page ----------------------------------------------------------------------


def terms_of_reference(committee, *, user) -> dict | None:
    """The documents that govern the committee, each with its version in force. One query; None (nothing
    shown) when there is none."""
    from standards.services_document import register_rows

    documents = list(register_rows().filter(committee=committee.pk, is_active=True).order_by("reference"))
    if not documents:
        return None
    return {"documents": documents}


def register() -> None:
    from governance.extensions import register_agenda_source, register_committee_extra
    from governance.signals import decision_recorded

    register_agenda_source("governance_documents", version_proposals)
    register_committee_extra("standards/_document_committee.html", terms_of_reference, order=20)
    decision_recorded.connect(_on_decision_recorded, dispatch_uid="standards.document_version_decided")
