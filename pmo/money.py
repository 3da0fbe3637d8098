from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def default_currency() -> str:
    """The organisation's currency (DEFAULT_CURRENCY, MAD unless configured)."""
    return settings.DEFAULT_CURRENCY


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
