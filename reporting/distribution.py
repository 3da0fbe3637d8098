"""Emailing a link to each new whole-portfolio periodic report to the readers who asked for it.

A link, not an attachment: the PDF stays behind the application's access rule (a reader who lost the
role gets a 404), mailboxes do not fill with copies, and a corrected version is one click away.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from reporting.models import Report, ReportSubscription
from reporting.models.report import READERS

logger = logging.getLogger(__name__)


def is_distributed(report: Report) -> bool:
    """Only the first version of a whole-portfolio weekly, monthly or quarterly report is sent: a later
    version is a correction asked for on purpose, and a directorate's report is not everyone's. A report
    built from a publication of the PMO's executive pack is sent when it is the first version built from
    it: each publication reaches the subscribers once, in their language (a later correction built
    from the same publication is not sent again)."""
    if not (
        report.state == Report.State.DONE
        and report.is_periodic
        and report.directorate_id is None
        and report.portfolio_id is None
    ):
        return False
    if report.publication_id is None:
        return report.version == 1
    return not Report.objects.filter(
        key=report.key, publication_id=report.publication_id, version__lt=report.version
    ).exists()


def subscribers(report: Report) -> list:
    """The active readers subscribed to the report's kind who read its language, have an address and may
    still read it. A reader's language is their preference (their profile), else the one they subscribed
    in: each scheduled report is built in every language, and each reader gets the one they read."""
    reads_it = Q(user__language=report.language) | Q(user__language="", language=report.language)
    subscriptions = (
        ReportSubscription.objects.filter(reads_it, kind=report.kind, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("user__groups")
    )
    return [subscription.user for subscription in subscriptions if subscription.user.has_role(*READERS)]


def link(report: Report) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{report.download_url()}"


def message(report: Report, user) -> EmailMessage:
    with override(report.language):
        subject = f"{report.title} — {report.subtitle}"
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
                _("The %(report)s is ready (%(pages)s pages):")
                % {"report": f"{report.title} — {report.subtitle}", "pages": report.pages or "?"},
                link(report),
                _("You asked for this email on the Reports page, where it can be stopped."),
            ]
        )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def distribute(report: Report) -> int:
    """Send the report's link to its subscribers (called once, when the build marks it done).
    Returns the number sent."""
    if not is_distributed(report):
        return 0
    # The report is built and stored whatever happens here: a failure to email is logged, never raised
    # into the build (which would retry a finished report for nothing).
    try:
        messages = [message(report, user) for user in subscribers(report)]
        if not messages:
            return 0
        if not settings.SITE_URL:
            logger.warning("Report %s: SITE_URL is not set, the emailed link is a bare path.", report.pk)
        sent = get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("Report %s: emailing its link to the subscribers failed", report.pk)
        return 0
    logger.info("Report %s: link emailed to %d subscribers", report.pk, sent)
    return sent
