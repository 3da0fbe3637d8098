from django.conf import settings


def default_currency() -> str:
    """The organisation's currency (DEFAULT_CURRENCY, MAD unless configured)."""
    return settings.DEFAULT_CURRENCY


def reporting_currency() -> str:
    """What totals across projects are shown in (REPORTING_CURRENCY, the organisation's unless set):
    `portfolio.exchange` converts every other currency into it."""
    return settings.REPORTING_CURRENCY
