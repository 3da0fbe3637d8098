from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.money import reporting_currency


class ExchangeRate(models.Model):
    """From `valid_from` on (until the currency's next rate), 1 unit of `currency` is worth `rate` units of
    `reporting_currency`. The PMO keeps them; nothing is fetched from outside.

    The reporting currency is stored with the rate, so a change of REPORTING_CURRENCY never reads rates
    into another currency as if they were its own: projects are then "not converted" until the PMO gives
    rates into the new one.
    """

    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("A three-letter ISO 4217 code, such as EUR."))],
    )
    reporting_currency = models.CharField(_("into"), max_length=3, default=reporting_currency, editable=False)
    valid_from = models.DateField(_("valid from"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=20,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("Units of the reporting currency one unit of the currency is worth."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "reporting_currency", "valid_from"], name="one_rate_per_currency_and_day"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        rate = f"{self.rate.normalize():f}"
        return f"1 {self.currency} = {rate} {self.reporting_currency} ({self.valid_from:%Y-%m-%d})"

    def clean(self) -> None:
        if self.currency and self.currency == self.reporting_currency:
            raise ValidationError(
                {"currency": _("Amounts in the reporting currency need no rate.")}, code="reporting"
            )
