"""The reporting app's models: KPI definitions and measurements, and generated reports."""

from reporting.models.kpi import (
    MANAGERS,
    OVERSIGHT,
    Kpi,
    KpiQuerySet,
    Measurement,
    MeasurementQuerySet,
    computed_function_choices,
)
from reporting.models.pack import ExecutivePack, PackPolicy, PackPublication, SlideTemplate
from reporting.models.report import Report, ReportQuerySet
from reporting.models.subscription import ReportSubscription

__all__ = [
    "MANAGERS",
    "OVERSIGHT",
    "ExecutivePack",
    "Kpi",
    "KpiQuerySet",
    "Measurement",
    "MeasurementQuerySet",
    "PackPolicy",
    "PackPublication",
    "Report",
    "ReportQuerySet",
    "ReportSubscription",
    "SlideTemplate",
    "computed_function_choices",
]
