"""Asking for reports and building them: the only code that writes `Report` rows and their files.

- `report_request` returns the one report of an identity (kind, scope, period or meeting, language),
  creating and enqueueing it if there is none: asking twice never builds twice.
- `report_regenerate` is the explicit new version; `report_retry` queues a failed or stalled one again.
- A report built from the PMO's published executive pack carries its `publication`
  (`reporting.packs.pack_publish` asks for it): a new version keeps the publication of the one it
  follows unless it is given another.
- `enqueue` hands a build to the workers once its row is committed (without a broker, to the web
  process's background threads: `pmo.background`). When the broker does not answer, the request still
  succeeds: the report waits, marked as not sent, and the sweep sends it when the broker is back.
- `report_sweep` (beat every minute, and each worker as it connects) sends
  every report no worker will build otherwise: those not sent, those sent longer ago than
  REPORT_RESEND_AFTER and still waiting (the broker lost them: Redis restarted without its data), and
  those whose build went silent (no heartbeat for REPORT_HEARTBEAT_TIMEOUT: its worker was killed),
  shown as interrupted and starting again.
- `report_build` is the task's body: it claims the row, renders into memory while a heartbeat thread
  writes its sign of life on the row (the PDF, and for `Report.WITH_SLIDES` the PowerPoint version:
  `reporting.slides`), stores the files through Django's storage API and marks the row done, so a
  build cut off half-way leaves nothing half-written. A failure of either fails the report.

Built once, however often it is sent: a report may be sent twice (the sweep and a late redelivery of
the broker's message, two sweeps, Retry). A build first claims the row, in a transaction: a waiting
report, or one whose build went silent; a report done, failed, or being built by a build that is alive
is left as it is. Each claim takes the next number (`Report.builds`), and only the build holding the
latest claim writes the outcome (done, failed, waiting again): a silent build that was alive after all
finds its claim taken and writes nothing. A second delivery of a finished report does nothing.
"""

from __future__ import annotations

import logging
import threading
import traceback
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from kombu.exceptions import OperationalError as BrokerUnreachable

from pmo import background
from reporting.distribution import distribute
from reporting.models import Report
from reporting.models.report import stopped_condition
from reporting.periods import Period

logger = logging.getLogger(__name__)


class TransientError(Exception):
    """A failure worth trying again later."""


# The failures a build is tried again for: the database restarting or unreachable for a moment.
# Anything else (a bug, bad data) fails at once with its message on the report.
TRANSIENT = (TransientError, OperationalError, InterfaceError)


def enqueue(report: Report) -> None:
    """Send the build to the workers once the row is committed (in-process without a broker)."""
    report_id = report.pk
    transaction.on_commit(lambda: _send(report_id))


def _send(report_id: int) -> bool:
    """Hand the build of a waiting report to the workers, unless someone else just did. False when the
    broker did not answer (within the short publish retry policy of the settings): the report stays
    waiting, marked as not sent, and the request that asked for it succeeds all the same."""
    return _take(report_id) and _publish(report_id)


def _take(report_id: int) -> bool:
    """Mark a waiting report as sent; only the caller that flips the mark sends, so that a request and a
    worker resending the waiting reports never both do."""
    return bool(
        Report.objects.filter(pk=report_id, state=Report.State.QUEUED, sent=False).update(
            sent=True, sent_at=timezone.now()
        )
    )


def _publish(report_id: int) -> bool:
    from reporting.tasks import build_report

    try:
        background.send(build_report, report_id)
    except BrokerUnreachable:
        logger.warning(
            "Report %s: the broker does not answer; it waits to be sent.", report_id, exc_info=True
        )
        Report.objects.filter(pk=report_id).update(sent=False)
        return False
    return True


def report_send_waiting() -> int:
    """Send the waiting reports whose build never reached the broker; returns how many were sent."""
    waiting = Report.objects.filter(state=Report.State.QUEUED, sent=False).order_by("requested_at", "pk")
    sent = 0
    for report_id in waiting.values_list("pk", flat=True):
        if not _take(report_id):
            continue  # someone else sent it meanwhile
        if not _publish(report_id):
            break  # the broker is away again: the next attempt sends the rest
        sent += 1
    if sent:
        logger.info("Sent %d waiting reports to the workers.", sent)
    return sent


def report_sweep(*, lost_after: int | None = None) -> int:
    """Send to the workers every report that waits for a build no worker will do (beat runs this every
    minute, each worker as it connects); returns how many were sent.

    - A build silent for REPORT_HEARTBEAT_TIMEOUT was cut off: the report waits again, shown as
      interrupted and starting again (or fails, after REPORT_MAX_ATTEMPTS interrupted builds).
    - A report sent more than REPORT_RESEND_AFTER seconds ago (`lost_after`, when given) and still
      waiting was lost by the broker: it is sent again.
    - Then every report not sent (these, and those the broker refused) is sent.
    A report sent twice is still built once: a build claims it first (`_claim`)."""
    now = timezone.now()
    for report in Report.objects.stopped(now).order_by("requested_at", "pk"):
        if report.attempts >= settings.REPORT_MAX_ATTEMPTS:
            _fail_interrupted(report)
            continue
        restarted = Report.objects.filter(stopped_condition(now), pk=report.pk, builds=report.builds).update(
            state=Report.State.QUEUED, sent=False, interrupted_at=now
        )
        if restarted:
            logger.warning("Report %s: its build stopped (no heartbeat); it starts again.", report.pk)
    lost = Report.objects.lost(now)
    if lost_after is not None:
        cutoff = now - timedelta(seconds=lost_after)
        lost = Report.objects.filter(state=Report.State.QUEUED, sent=True).filter(
            Q(sent_at__lte=cutoff) | Q(sent_at__isnull=True)
        )
    if resent := lost.update(sent=False):
        logger.warning("%d reports sent long ago still wait: they are sent again.", resent)
    return report_send_waiting()


def report_send_again(report: Report) -> bool:
    """The PMO's Send again on a report that is not with the workers yet. False if the broker still does
    not answer (or the report is not such a report)."""
    sent = report.is_unsent and _send(report.pk)
    report.refresh_from_db()
    return sent


def _identity(**fields) -> str:
    return Report.identity(
        kind=fields["kind"],
        directorate_id=fields["directorate"].pk if fields.get("directorate") else None,
        portfolio_id=fields["portfolio"].pk if fields.get("portfolio") else None,
        meeting_id=fields["meeting"].pk if fields.get("meeting") else None,
        period=fields.get("period"),
        language=fields["language"],
    )


@transaction.atomic
def report_request(
    *,
    kind: str,
    language: str,
    by=None,
    period: Period | None = None,
    directorate=None,
    portfolio=None,
    meeting=None,
    queue: bool = True,
    publication=None,
) -> tuple[Report, bool]:
    """The latest version of the report of this identity, created (and queued, unless the caller builds
    it itself) if there is none, built from `publication` when given. Returns the report and whether it
    was created (an existing one is returned as it is: `report_regenerate` makes a new version)."""
    start: date | None = period.start if period else None
    fields = {
        "kind": kind,
        "directorate": directorate,
        "portfolio": portfolio,
        "meeting": meeting,
        "period": start,
        "language": language,
    }
    key = _identity(**fields)
    existing = Report.objects.select_for_update().filter(key=key).order_by("-version").first()
    if existing is not None:
        return existing, False
    # Not queued: the caller builds it in its own process, nothing is to be sent.
    report = Report.objects.create(
        **fields, publication=publication, requested_by=by, sent=not queue, sent_at=_now_if(not queue)
    )
    if queue:
        enqueue(report)
    return report, True


@transaction.atomic
def report_regenerate(report: Report, *, by=None, queue: bool = True, publication=None) -> Report:
    """A new version of the same report, built from today's data; the earlier versions stay. It is built
    from `publication` when given, else from the one `report` was built from (if any)."""
    latest = Report.objects.select_for_update().filter(key=report.key).aggregate(v=Max("version"))["v"]
    new = Report.objects.create(
        kind=report.kind,
        directorate=report.directorate,
        portfolio=report.portfolio,
        meeting=report.meeting,
        period=report.period,
        language=report.language,
        version=(latest or 0) + 1,
        publication=publication or report.publication,
        requested_by=by,
        sent=not queue,
        sent_at=_now_if(not queue),
    )
    if queue:
        enqueue(new)
    return new


def _now_if(condition: bool):
    return timezone.now() if condition else None


@transaction.atomic
def report_retry(report: Report) -> bool:
    """Queue a failed or stalled report again (the Retry button): one that failed, one whose build
    stopped, or one the broker lost (`Report.is_stalled`; the sweep would send it again within a minute
    or so). False if it had not failed nor stalled."""
    again = Report.objects.filter(pk=report.pk)
    if not again.filter(Q(state=Report.State.FAILED) | Q(pk__in=again.stalled())).update(
        state=Report.State.QUEUED,
        error="",
        attempts=0,
        started_at=None,
        finished_at=None,
        sent=False,
        interrupted_at=None,
    ):
        return False
    report.refresh_from_db()
    enqueue(report)
    return True


def _claim(report_id: int) -> tuple[Report, int] | None:
    """Mark the report as being built and take the claim to write its outcome: returns the report and
    the claim's number (`Report.builds`). None when there is nothing to do: the row is gone, the report
    is done or has failed for good, or another build of it is alive (its heartbeat is recent)."""
    with transaction.atomic():
        pending = Report.objects.select_for_update().filter(
            Q(state=Report.State.QUEUED) | stopped_condition(), pk=report_id
        )
        report = pending.first()
        if report is None:
            return None
        # A report whose builds keep dying (a worker killed each time, out of memory) stops being
        # retried. Only a report still marked running was cut off: a transient failure puts it back in
        # the queue (`_requeue`), and its retries are bounded by the task's own max_retries.
        if report.state == Report.State.RUNNING and report.attempts >= settings.REPORT_MAX_ATTEMPTS:
            _fail_interrupted(report)
            return None
        now = timezone.now()
        report.state, report.started_at, report.heartbeat_at = Report.State.RUNNING, now, now
        report.attempts += 1
        report.builds += 1
        report.save(update_fields=["state", "started_at", "heartbeat_at", "attempts", "builds"])
    report = Report.objects.select_related("directorate", "portfolio", "meeting__committee").get(pk=report_id)
    return report, report.builds


def _fail_interrupted(report: Report) -> None:
    with override(report.language):
        message = _("The build was interrupted %(count)d times (was a worker stopped?).") % {
            "count": report.attempts
        }
    report_fail(report.pk, RuntimeError(message), claim=report.builds)


def report_build(report_id: int) -> Report | None:
    """Build the report's PDF and, for the kinds that have one, its slides (the task's body). Idempotent:
    a report already done, or being built by a build that is alive, is left as it is; only the build
    holding the latest claim writes."""
    from reporting.pdf.kinds import build
    from reporting.slides import build as build_slides
    from reporting.slides import filename as slides_filename

    claimed = _claim(report_id)
    if claimed is None:
        logger.info("Report %s: nothing to build (gone, done, failed or being built).", report_id)
        return None
    report, claim = claimed
    with Heartbeat(report_id, claim):
        try:
            rendered = build(report)
            # The PowerPoint version, with the PDF: a report is done with both or fails with the message.
            slides = build_slides(report) if report.kind in Report.WITH_SLIDES else None
        except TRANSIENT:
            _requeue(report_id, claim)
            raise
        except Exception as error:
            logger.exception("Report %s failed", report_id)
            report_fail(report_id, error, claim=claim)
            return Report.objects.get(pk=report_id)
    name = report.filename()
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report_id)
        if current.state == Report.State.DONE:  # another delivery finished first: keep its file
            return current
        if current.state != Report.State.RUNNING or current.builds != claim:
            # Silent too long (the sweep started it again): the newer build writes, this one does not.
            logger.warning("Report %s: this build lost its claim to a newer one; nothing written.", report_id)
            return None
        current.file.save(name, ContentFile(rendered.pdf), save=False)
        if slides is not None:
            current.slides.save(slides_filename(current), ContentFile(slides), save=False)
        current.state = Report.State.DONE
        current.pages, current.size = rendered.pages, len(rendered.pdf)
        current.finished_at = timezone.now()
        current.error = ""
        current.save(update_fields=["file", "slides", "state", "pages", "size", "finished_at", "error"])
    logger.info("Report %s built: %s, %d pages", report_id, current.file.name, rendered.pages)
    distribute(current)  # subscribers get a link to a new whole-portfolio periodic report
    return current


class Heartbeat:
    """While a build runs, a thread writes its sign of life on the row every REPORT_HEARTBEAT_INTERVAL
    seconds, as long as the build holds its claim. A build inside a transaction (a test's) is seen by
    nobody else and beats nothing: its claim's own timestamp is all there is."""

    def __init__(self, report_id: int, claim: int) -> None:
        self.report_id, self.claim = report_id, claim
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._beat, name=f"report-{self.report_id}-heartbeat")
            self.thread.daemon = True
            self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=settings.REPORT_HEARTBEAT_INTERVAL + 5)

    def _beat(self) -> None:
        mine = Report.objects.filter(pk=self.report_id, state=Report.State.RUNNING, builds=self.claim)
        try:
            while not self.stopping.wait(settings.REPORT_HEARTBEAT_INTERVAL):
                try:
                    if not mine.update(heartbeat_at=timezone.now()):
                        logger.warning("Report %s: the build lost its claim.", self.report_id)
                        return
                except TRANSIENT:  # the database away for a moment: the next beat tries again
                    logger.warning("Report %s: no heartbeat.", self.report_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


def _requeue(report_id: int, claim: int) -> None:
    """Show a build that hit a transient error as waiting again, until the task's retry claims it."""
    try:
        Report.objects.filter(pk=report_id, state=Report.State.RUNNING, builds=claim).update(
            state=Report.State.QUEUED
        )
    except TRANSIENT:  # the database is the thing that is down: the retry will claim it as it is
        logger.warning("Report %s: could not mark it as waiting again.", report_id, exc_info=True)


def report_fail(report_id: int, error: BaseException, *, claim: int | None = None) -> None:
    """Record a failure users can read (the Retry button is beside it); the traceback goes to the log.
    With a claim, only if that build still holds it."""
    rows = Report.objects.filter(pk=report_id)
    if claim is not None:
        rows = rows.filter(builds=claim).exclude(state=Report.State.DONE)
    report = rows.first()
    if report is None:
        return
    with override(report.language):
        summary = _("The report could not be built: %(error)s") % {
            "error": str(error) or type(error).__name__
        }
    detail = "".join(traceback.format_exception_only(type(error), error)).strip()
    rows.update(state=Report.State.FAILED, error=f"{summary}\n\n{detail}"[:4000], finished_at=timezone.now())
