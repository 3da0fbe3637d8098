"""Reporting work for Celery: building PDF reports, and storing the computed KPIs of each ended period.

Tasks take ids, are idempotent and record what users see on model rows (`reporting.reports`).
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_process_init

from reporting.reports import TRANSIENT, report_build, report_fail, report_sweep
from reporting.services import record_last_periods

logger = logging.getLogger(__name__)


@worker_process_init.connect
def start_chart_export(**_kwargs) -> None:
    """One kaleido server (one Chromium) per worker process, started before its first report."""
    from reporting.pdf import charts

    charts.start()


@shared_task(
    name="reporting.build_report",
    bind=True,
    acks_late=True,  # a worker killed mid-render leaves the message to be handed out again
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=4,
)
def build_report(self, report_id: int) -> None:
    try:
        report_build(report_id)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            report_fail(report_id, error)
            return
        raise


@shared_task(name="reporting.send_waiting_reports")
def send_waiting_reports(lost_after: int | None = None) -> int:
    """The reports' sweep (`reports.report_sweep`): send the builds of the reports asked for while the
    broker did not answer, of those it lost, and start again the builds cut off. Each worker asks for
    this as it connects to the broker (`reporting.worker`), and beat every minute."""
    return report_sweep(lost_after=lost_after)


@shared_task(name="reporting.record_kpi_measurements")
def record_kpi_measurements() -> int:
    """Store the computed KPIs of the periods that ended (idempotent: a second run replaces the values)."""
    stored = record_last_periods()
    logger.info("Stored %d computed KPI values.", stored)
    return stored


@shared_task(name="reporting.scheduled_report")
def scheduled_report(kind: str, languages: list[str] | None = None) -> list[int]:
    """Celery beat's entry for a periodic report: the whole portfolio's report of the period that just
    ended, in each language. Idempotent: a report that exists is not asked for twice. A kind that waits
    for the PMO (`PackPolicy`) opens the period's executive pack instead, and asks for no report: they are
    built when the PMO publishes it (`reporting.packs`)."""
    from django.conf import settings
    from django.utils import timezone

    from reporting.models import PackPolicy, Report
    from reporting.packs import pack_open
    from reporting.periods import Period
    from reporting.reports import report_request

    period = Period.containing(Report.PERIODIC[kind], timezone.localdate()).previous()
    if PackPolicy.current().waits(kind):
        pack, created = pack_open(kind=kind, period=period, user=None)
        logger.info(
            "Scheduled %s report for %s waits for the PMO: pack %s (new: %s)", kind, period, pack, created
        )
        return []
    reports = [
        report_request(kind=kind, language=language, period=period)[0].pk
        for language in languages or [code for code, _name in settings.LANGUAGES]
    ]
    logger.info("Scheduled %s report for %s: %s", kind, period, reports)
    return reports
