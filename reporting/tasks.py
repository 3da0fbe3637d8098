"""Periodic reporting work for Celery beat: storing the computed KPIs of each ended period."""

from __future__ import annotations

import logging

from celery import shared_task

from reporting.services import record_last_periods

logger = logging.getLogger(__name__)


@shared_task(name="reporting.record_kpi_measurements")
def record_kpi_measurements() -> int:
    """Store the computed KPIs of the periods that ended (idempotent: a second run replaces the values)."""
    stored = record_last_periods()
    logger.info("Stored %d computed KPI values.", stored)
    return stored
