"""Periodic standards work for Celery beat."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from standards.models import GovernanceDocument
from standards.services_document import REMIND_DAYS_BEFORE

logger = logging.getLogger(__name__)


def documents_to_remind(today: date):
    """Documents in force whose review falls within REMIND_DAYS_BEFORE days or is overdue, not reminded
    today, whose owner can receive an email."""
    return (
        GovernanceDocument.objects.filter(
            is_active=True,
            next_review__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
            owner__is_active=True,
        )
        .exclude(owner__email="")
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
    )


@shared_task(name="standards.remind_document_reviews")
def remind_document_reviews() -> int:
    """One email per owner listing their governance documents due for review (overdue first), in the
    owner's language; each document at most once a day (`last_reminded_on`, set in the transaction that
    sends the email, so a second run the same day sends nothing and a failed email is tried again next
    time). Returns the number of emails sent."""
    today = timezone.localdate()
    owners: dict[int, list[int]] = defaultdict(list)
    for document_id, owner_id in documents_to_remind(today).order_by("owner").values_list("pk", "owner"):
        owners[owner_id].append(document_id)
    sent = 0
    for owner_id, document_ids in owners.items():
        try:
            sent += _remind_owner(owner_id, document_ids, today)
        except OSError:  # SMTP unreachable or refused: the documents stay unmarked for the next run
            logger.exception("Document review reminder to user %s failed", owner_id)
    return sent


@transaction.atomic
def _remind_owner(owner_id: int, document_ids: list[int], today: date) -> int:
    documents = list(
        documents_to_remind(today)
        .filter(pk__in=document_ids, owner=owner_id)
        .select_for_update(of=("self",))
        .select_related("owner")
        .order_by("next_review", "reference")
    )
    if not documents:
        return 0
    GovernanceDocument.objects.filter(pk__in=[d.pk for d in documents]).update(last_reminded_on=today)
    owner = documents[0].owner
    overdue = [d for d in documents if d.next_review < today]
    due_soon = [d for d in documents if d.next_review >= today]
    with translation.override(owner.preferred_language):
        subject = ngettext(
            "Governance documents: %(count)d review due",
            "Governance documents: %(count)d reviews due",
            len(documents),
        ) % {"count": len(documents)}
        body = render_to_string(
            "standards/email/document_review_reminder.txt",
            {
                "owner": owner,
                "overdue": overdue,
                "due_soon": due_soon,
                "days": REMIND_DAYS_BEFORE,
                "base_url": getattr(settings, "SITE_URL", "").rstrip("/"),
                "register_url": reverse("standards:document_list"),
            },
        )
    send_mail(subject, body, None, [owner.email])
    return 1
