"""How the dashboard writes a KPI's value, an index and a share, in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pmo.money import reporting_currency
from pmo.templatetags.pmo_tags import money_short
from portfolio.assurance import Confidence

register = template.Library()

NBSP = "\N{NO-BREAK SPACE}"


def not_available() -> str:
    return _("n/a")


@register.filter
def kpi_value(value: Decimal | int | None, unit: str) -> str:
    """62,5 % (percent), 0,93 (index), 12,5 M MAD (amount), 1 204 (count, score); n/a for no value."""
    if value is None or value == "":
        return not_available()
    value = Decimal(value)
    if unit == "percent":
        return f"{number_format(value, decimal_pos=1, use_l10n=True)}{NBSP}%"
    if unit == "index":
        return number_format(value, decimal_pos=2, use_l10n=True)
    if unit == "amount":
        return money_short(value, reporting_currency())
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def kpi_target(value: Decimal | None, unit: str) -> str:
    """A target or threshold, without the decimals it does not need: 95 %, 1.00, 2.5 M MAD."""
    if value is not None and unit == "percent" and Decimal(value) == Decimal(value).to_integral_value():
        return f"{number_format(Decimal(value), decimal_pos=0, use_l10n=True)}{NBSP}%"
    return kpi_value(value, unit)


@register.filter
def index(value: Decimal | None) -> str:
    """A CPI or SPI to two decimals, n/a when undefined."""
    return not_available() if value is None else number_format(value, decimal_pos=2, use_l10n=True)


@register.filter
def percent(value: Decimal | None, places: int = 0) -> str:
    """A share or % complete; n/a when unknown or undefined (never 0 %)."""
    if value is None:
        return not_available()
    return f"{number_format(value, decimal_pos=places, use_l10n=True)}{NBSP}%"


@register.filter
def week_label(day) -> str:
    """The ISO week a reporting period (its Monday) stands for: 2026-W44."""
    if not day:
        return ""
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"


@register.filter
def confidence_label(level: str) -> str:
    """An assessed delivery confidence's name (Amber/Green...), "Not assessed" for none."""
    return str(Confidence(level).label) if level in Confidence.values else _("Not assessed")
