"""Template filters of the KPI pages: a value in its KPI's unit."""

from __future__ import annotations

from decimal import Decimal

from django import template

from reporting.kpi_pages import format_value

register = template.Library()


@register.filter
def kpi_value(value: Decimal | None, unit: str) -> str:
    """{{ measurement.value|kpi_value:kpi.unit }}: 87,5 %, 0,97, 12 500 000 MAD."""
    return format_value(value, unit)


@register.filter
def kpi_value_short(value: Decimal | None, unit: str) -> str:
    """As kpi_value, amounts in short: 12,5 M MAD."""
    return format_value(value, unit, short=True)
