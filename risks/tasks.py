"""Periodic risk work for Celery beat: reminding owners of the risks whose review is overdue."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from portfolio.visibility import mark_project_visible
from risks.models import Risk, RiskPolicy

logger = logging.getLogger(__name__)


def risks_to_remind(today: date):
    """Open risks past their next review date, not yet reminded today, whose owner can receive an email."""
    return (
        Risk.objects.review_overdue(today)
        .filter(owner__is_active=True)
        .exclude(owner__email="")
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
    )


@shared_task(name="risks.send_review_reminders")
def send_review_reminders(today: date | str | None = None) -> int:
    """One email per owner listing their open risks whose review is overdue; each risk at most once a day.

    Idempotent: a risk is marked as reminded in the same transaction as its owner's email is sent, so a
    second run the same day finds nothing, and a failed email leaves its risks for the next run. A
    re-assessment clears the mark (risks.services.risk_reassess). Returns the number of emails sent.
    """
    if isinstance(today, str):  # from a manual `celery call` with a date
        today = date.fromisoformat(today)
    today = today or timezone.localdate()
    owners: dict[int, list[int]] = defaultdict(list)
    for risk_id, owner_id in (
        risks_to_remind(today).order_by("owner", "next_review_on").values_list("pk", "owner")
    ):
        owners[owner_id].append(risk_id)
    if not owners:
        return 0
    policy = RiskPolicy.current()
    sent = 0
    for owner_id, risk_ids in owners.items():
        try:
            sent += _remind_owner(owner_id, risk_ids, today, policy)
        except OSError:  # SMTP unreachable or refused: the risks stay unmarked for the next run
            logger.exception("Risk review reminder to user %s failed", owner_id)
    return sent


@transaction.atomic
def _remind_owner(owner_id: int, risk_ids: list[int], today: date, policy: RiskPolicy) -> int:
    # Lock and re-check: another run may have reminded them since the list was read.
    risks = list(
        risks_to_remind(today)
        .filter(pk__in=risk_ids, owner=owner_id)
        .select_for_update(of=("self",))
        .select_related("owner", "project", "portfolio", "directorate")
        .order_by("next_review_on", "reference")
    )
    if not risks:
        return 0
    Risk.objects.filter(pk__in=[risk.pk for risk in risks]).update(last_reminded_on=today)
    owner = risks[0].owner
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    # The owner of a risk about a confidential project they may not open is not told which project.
    mark_project_visible(risks, owner)
    for risk in risks:
        risk.level = policy.level_of(risk.score)
        risk.days_overdue = (today - risk.next_review_on).days
        risk.url = site + risk.get_absolute_url()
    with translation.override(owner.preferred_language):
        subject = ngettext(
            "Risk review overdue: %(count)d risk to review",
            "Risk review overdue: %(count)d risks to review",
            len(risks),
        ) % {"count": len(risks)}
        context = {"owner": owner, "risks": risks, "today": today, "site_url": site}
        body = render_to_string("risks/email/review_reminder.txt", context)
    send_mail(subject, body, None, [owner.email])
    return 1
