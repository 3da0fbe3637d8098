"""The project money page's forms: the whole budget and forecast grid, and the spread helper."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from finance.grid import BUDGET, FORECAST, field_name
from finance.models import CostCategory
from finance.services import Cell
from pmo.months import FiscalYear

PLANNED_KINDS = (BUDGET, FORECAST)
KIND_LABELS = {BUDGET: _("Budget"), FORECAST: _("Forecast")}
MAX_DIGITS, DECIMALS = 16, 2  # MonthlyAmount.amount


def amount_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=MAX_DIGITS,
        decimal_places=DECIMALS,
        localize=True,
        error_messages={
            "invalid": _("Not a number."),
            "max_digits": _("Too many digits (at most 14 before the decimal point)."),
            "max_whole_digits": _("Too many digits (at most 14 before the decimal point)."),
            "max_decimal_places": _("At most 2 decimals."),
        },
        **kwargs,
    )


class MoneyGridForm(forms.Form):
    """One field per category x kind x month; blank: no amount. `version` is the grid's fingerprint when
    the page was drawn (`finance.services.grid_version`)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, categories: list[CostCategory], fiscal_year: FiscalYear, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cells: dict[str, Cell] = {}
        for category in categories:
            for kind in PLANNED_KINDS:
                for month in fiscal_year.months:
                    name = field_name(category.pk, kind, month)
                    self.cells[name] = (category.pk, kind, month)
                    label = (
                        f"{category} {KIND_LABELS[kind]} {formats.date_format(month, 'YEAR_MONTH_FORMAT')}"
                    )
                    attrs = {
                        "inputmode": "decimal",
                        "class": "form-control form-control-sm text-end money-cell",
                    }
                    self.fields[name] = amount_field(
                        required=False,
                        label=label,
                        widget=forms.TextInput(attrs={**attrs, "aria-label": label}),
                    )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.cells:
            amount = cleaned.get(name)
            if amount is not None and amount < 0:
                self.add_error(name, _("An amount cannot be negative."))
        return cleaned

    def values(self) -> dict[Cell, Decimal | None]:
        return {cell: self.cleaned_data.get(name) for name, cell in self.cells.items()}


class SpreadForm(forms.Form):
    EVENLY, FRONT_LOADED, MILESTONES = "evenly", "front_loaded", "milestones"
    METHODS = [
        (EVENLY, _("Evenly")),
        (FRONT_LOADED, _("Front-loaded (declining)")),
        (MILESTONES, _("From the milestones (weights and baseline dates)")),
    ]

    amount = amount_field(label=_("Amount"), min_value=0)
    category = forms.TypedChoiceField(label=_("Cost category"), coerce=int)
    kind = forms.ChoiceField(label=_("Into"), choices=[(BUDGET, _("Budget")), (FORECAST, _("Forecast"))])
    first = forms.ChoiceField(label=_("From"))
    last = forms.ChoiceField(label=_("To"))
    method = forms.ChoiceField(label=_("Spread"), choices=METHODS, initial=EVENLY)

    def __init__(self, *args, categories: list[CostCategory], fiscal_year: FiscalYear, **kwargs) -> None:
        super().__init__(*args, prefix="spread", **kwargs)
        self.fields["category"].choices = [(c.pk, str(c)) for c in categories]
        months = [(f"{m:%Y-%m}", formats.date_format(m, "YEAR_MONTH_FORMAT")) for m in fiscal_year.months]
        self.fields["first"].choices = months
        self.fields["last"].choices = months
        self.fields["last"].initial = months[-1][0]
        self.fields["amount"].error_messages["min_value"] = _("An amount cannot be negative.")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if name != "amount" else "form-control form-control-sm"
            )
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        self.fiscal_year = fiscal_year
        self.categories = {c.pk: c for c in categories}

    @staticmethod
    def _month(value: str) -> date:
        year, month = value.split("-")
        return date(int(year), int(month), 1)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("last"):
            first, last = self._month(cleaned["first"]), self._month(cleaned["last"])
            if last < first:
                self.add_error("last", _("The last month comes before the first."))
            cleaned["months"] = [m for m in self.fiscal_year.months if first <= m <= last]
        return cleaned
