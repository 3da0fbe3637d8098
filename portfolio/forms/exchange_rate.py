from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.money import reporting_currency
from portfolio.models import ExchangeRate
from portfolio.rate_import import MAX_ROWS


class RateField(forms.DecimalField):
    """A rate as typed in either language: 10.85 or 10,85 (a rate has no thousands to group)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\N{NO-BREAK SPACE}", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class ExchangeRateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "valid_from", "rate"]
        field_classes = {"rate": RateField}
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "currency": forms.TextInput(
                attrs={"maxlength": 3, "autocapitalize": "characters", "class": "code"}
            ),
        }

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()

    def clean(self):
        data = super().clean()
        currency, valid_from = data.get("currency"), data.get("valid_from")
        if currency and valid_from:
            # The unique constraint names the reporting currency, a field the form does not show.
            clash = ExchangeRate.objects.filter(
                currency=currency, valid_from=valid_from, reporting_currency=self.instance.reporting_currency
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "valid_from", _("This currency already has a rate from that date: change that one.")
                )
        return data


class RateImportForm(forms.Form):
    """A CSV of rates, uploaded or pasted; once previewed, its text travels in `content` to be saved."""

    file = forms.FileField(label=_("CSV file"), required=False)
    content = forms.CharField(
        label=_("or paste the rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_(
            "A header row naming currency, valid_from and rate, then one rate a line: "
            "EUR,2026-11-30,10.85 means 1 EUR is worth 10.85 of the reporting currency from 30 November 2026."
        ),
    )

    MAX_BYTES = 64 * MAX_ROWS

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is too large for a list of rates."))
            raw = upload.read()
            try:
                data["content"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                data["content"] = raw.decode("cp1252", errors="replace")
        if not (data.get("content") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the rows."))
        return data

    @staticmethod
    def reporting() -> str:
        return reporting_currency()
