"""An agile project's release plan: the baseline AgileEVM measures its sprints and points against."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import ReleasePlan

POSITIVE = ("sprint_length_days", "planned_sprints", "planned_points")


class ReleasePlanForm(forms.ModelForm):
    class Meta:
        model = ReleasePlan
        fields = ["start", "sprint_length_days", "planned_sprints", "planned_points"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"start": _("The first day of the first sprint.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sprint_length_days"].widget.attrs.update({"min": 1, "max": 90})
        self.fields["planned_sprints"].widget.attrs.update({"min": 1})
        self.fields["planned_points"].widget.attrs.update({"min": "0.5", "step": "0.5"})

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in POSITIVE:
            value = cleaned.get(name)
            if value is not None and Decimal(value) <= 0:
                self.add_error(name, _("Enter a number above zero."))
        return cleaned
