"""Periodic governance work for Celery beat: reminding owners of their actions."""

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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import Action
from portfolio.visibility import mark_project_visible

logger = logging.getLogger(__name__)

REMIND_DAYS_BEFORE = 3


def actions_to_remind(today: date):
    """Open actions due within REMIND_DAYS_BEFORE days or overdue, not yet reminded today, whose owner
    can receive an email."""
    return (
        Action.objects.open()
        .filter(due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE), owner__is_active=True)
        .exclude(owner__email="")
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
    )


@shared_task(name="governance.send_action_reminders")
def send_action_reminders() -> int:
    """One email per owner listing their actions due soon or overdue; each action at most once a day.

    Idempotent: an action is marked as reminded in the same transaction as its owner's email is sent,
    so a second run the same day finds nothing, and a failed email leaves its actions for the next run.
    Returns the number of emails sent.
    """
    today = timezone.localdate()
    owners: dict[int, list[int]] = defaultdict(list)
    for action_id, owner_id in (
        actions_to_remind(today).order_by("owner", "due_date").values_list("pk", "owner")
    ):
        owners[owner_id].append(action_id)
    sent = 0
    for owner_id, action_ids in owners.items():
        try:
            sent += _remind_owner(owner_id, action_ids, today)
        except OSError:  # SMTP unreachable or refused: the actions stay unmarked for the next run
            logger.exception("Action reminder to user %s failed", owner_id)
    return sent


@transaction.atomic
def _remind_owner(owner_id: int, action_ids: list[int], today: date) -> int:
    # Lock and re-check: another run may have reminded them since the list was read.
    actions = list(
        actions_to_remind(today)
        .filter(pk__in=action_ids, owner=owner_id)
        .select_for_update(of=("self",))
        .select_related("owner", "project", "committee")
        .order_by("due_date", "reference")
    )
    if not actions:
        return 0
    Action.objects.filter(pk__in=[action.pk for action in actions]).update(last_reminded_on=today)
    owner = actions[0].owner
    # The owner of an action about a confidential project they may not open is not told which project.
    mark_project_visible(actions, owner)
    overdue = [action for action in actions if action.due_date < today]
    due_soon = [action for action in actions if action.due_date >= today]
    with translation.override(owner.preferred_language):
        subject = _reminder_subject(len(overdue), len(due_soon))
        body = render_to_string(
            "governance/email/action_reminder.txt",
            {
                "owner": owner,
                "overdue": overdue,
                "due_soon": due_soon,
                "today": today,
                "my_actions_url": _my_actions_url(),
            },
        )
    send_mail(subject, body, None, [owner.email])
    return 1


def _reminder_subject(overdue: int, due_soon: int) -> str:
    if overdue and due_soon:
        return _("Your actions: %(overdue)d overdue, %(due)d due soon") % {
            "overdue": overdue,
            "due": due_soon,
        }
    if overdue:
        return ngettext("Your actions: %(count)d overdue", "Your actions: %(count)d overdue", overdue) % {
            "count": overdue
        }
    return ngettext("Your actions: %(count)d due soon", "Your actions: %(count)d due soon", due_soon) % {
        "count": due_soon
    }


def _my_actions_url() -> str:
    """The owner's action list, absolute when SITE_URL is configured."""
    path = reverse("governance:my_actions")
    return getattr(settings, "SITE_URL", "").rstrip("/") + path
