from django.conf import settings


def default_currency() -> str:
    """The organisation's currency (DEFAULT_CURRENCY, MAD unless configured)."""
    return settings.DEFAULT_CURRENCY
