from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def short_dates(days) -> str:
    """Dates in the active language's short format, comma-separated: "01/12/2026, 01/11/2026" in French
    (a bare `join` would print them as 2026-12-01)."""
    return ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in days or [])


@register.filter
def money(value: Decimal | None, currency: str = "") -> str:
    """An amount with grouped thousands in the active language: 12 500 000 MAD."""
    return _amount(value, currency, decimals=0)


@register.filter
def money_exact(value: Decimal | None, currency: str = "") -> str:
    """An amount to the cent, where the reader compares it with one they type: 6 985 307,00 MAD in
    French, 6,985,307.00 MAD in English (a form's number input shows the bare 6985307.00)."""
    return _amount(value, currency, decimals=2)


def _amount(value: Decimal | None, currency: str, *, decimals: int) -> str:
    if value is None:
        return "—"
    amount = number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{amount}\N{NO-BREAK SPACE}{currency}".strip()


@register.filter
def money_short(value: Decimal | None, currency: str = "") -> str:
    """An amount for a tile: 12,5 M MAD, 850 k MAD."""
    if value is None:
        return "—"
    value = Decimal(value)
    if abs(value) >= 1_000_000_000:
        text = _("%(amount)s bn") % {
            "amount": number_format(value / 1_000_000_000, decimal_pos=1, use_l10n=True)
        }
    elif abs(value) >= 1_000_000:
        text = _("%(amount)s M") % {"amount": number_format(value / 1_000_000, decimal_pos=1, use_l10n=True)}
    elif abs(value) >= 1_000:
        text = _("%(amount)s k") % {"amount": number_format(value / 1_000, decimal_pos=0, use_l10n=True)}
    else:
        text = number_format(value, decimal_pos=0, use_l10n=True)
    return f"{text}\N{NO-BREAK SPACE}{currency}".strip()


@register.inclusion_tag("includes/_sort_header.html", takes_context=True)
def sort_header(context, field: str, label: str, align: str = "start") -> dict:
    """A column header that sorts by `field`, and the other way round when it already does."""
    current = context["request"].GET.get("sort", "")
    direction = "asc" if current == field else "desc" if current == f"-{field}" else ""
    return {
        "request": context["request"],
        "label": label,
        "next": f"-{field}" if direction == "asc" else field,
        "direction": direction,
        "align": align,
    }


STATE_STYLES = {
    "proposed": "text-bg-light border",
    "active": "text-bg-primary",
    "on_hold": "text-bg-warning",
    "closed": "text-bg-secondary",
    "cancelled": "text-bg-dark",
}


@register.simple_tag
def state_class(state: str) -> str:
    return STATE_STYLES.get(state, "text-bg-light")


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up (a lockout of 90 s is "2 minutes", never "1")."""
    if value is None:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.filter
def rate(value: Decimal | None) -> str:
    """An exchange rate with the decimals it has and no trailing zeros: 10,95 (fr), 0.0925 (en)."""
    if value is None:
        return "—"
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True)
