"""The PMO's reminder to a project manager about what their project lacks: one a day per project, in the
manager's language, recorded as a `ComplianceReminder` that the chase page shows ("reminded on …")."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portfolio.models import Project
from standards.compliance import compliance
from standards.models import ComplianceReminder


class ReminderRefused(Exception):
    """Why no reminder was sent (a message for the PMO)."""


def reminded_today(project: Project, today: date) -> bool:
    return ComplianceReminder.objects.filter(project=project, sent_at__date=today).exists()


@transaction.atomic
def send_reminder(*, project: Project, by, today: date | None = None) -> ComplianceReminder:
    """E-mail the project's manager what their project lacks as at today and record it; refused when the
    project has no manager with an e-mail address, nothing is missing, or it was reminded today."""
    today = today or timezone.localdate()
    # Lock the project: two PMO clicks at once record one reminder, not two.
    Project.objects.select_for_update(of=("self",)).filter(pk=project.pk).first()
    manager = project.project_manager
    if manager is None or not manager.email:
        raise ReminderRefused(_("The project has no manager with an e-mail address to remind."))
    if reminded_today(project, today):
        raise ReminderRefused(_("%(code)s was already reminded today.") % {"code": project.code})
    with translation.override(manager.preferred_language):
        result = compliance([project], on=today)[project.pk]
        if not result.missing_count:
            raise ReminderRefused(_("%(code)s lacks nothing: no reminder sent.") % {"code": project.code})
        context = {
            "project": project,
            "manager": manager,
            "compliance": result,
            "today": today,
            "url": _absolute(reverse("standards:project_compliance", args=[project.code])),
        }
        subject = _("Compliance of %(code)s: %(count)d item(s) missing") % {
            "code": project.code,
            "count": result.missing_count,
        }
        items = render_to_string("standards/email/compliance_reminder_items.txt", context).strip()
        body = render_to_string("standards/email/compliance_reminder.txt", {**context, "items": items})
    reminder = ComplianceReminder.objects.create(project=project, sent_to=manager, sent_by=by, items=items)
    send_mail(subject, body, None, [manager.email])
    return reminder


def _absolute(path: str) -> str:
    """Absolute when SITE_URL is configured (as the actions' reminders)."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path
