"""The benefit profile's and the actual's forms (the pages validate with these, services write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from benefits.models import BenefitActual, BenefitProfile

DATE = {"type": "date"}


class BenefitProfileForm(forms.ModelForm):
    class Meta:
        model = BenefitProfile
        fields = [
            "title",
            "description",
            "kind",
            "measure",
            "kpi",
            "unit",
            "currency",
            "baseline_value",
            "target_value",
            "starts_on",
            "target_date",
            "owner",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "target_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["owner"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
        )
        self.fields["kpi"].queryset = self.fields["kpi"].queryset.order_by("name")

    def clean(self):
        data = super().clean()
        starts, due = data.get("starts_on"), data.get("target_date")
        if starts and due and due <= starts:
            self.add_error("target_date", _("The target date must be after the start of realisation."))
        if data.get("measure") == BenefitProfile.Measure.KPI and not data.get("kpi"):
            self.add_error("kpi", _("Choose the KPI that measures this benefit."))
        return data


class BenefitActualForm(forms.ModelForm):
    class Meta:
        model = BenefitActual
        fields = ["measured_on", "value", "note"]
        widgets = {"measured_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}

    def validate_unique(self):
        # One actual a day: recording the same day again corrects it (services.actual_record).
        pass


class OverviewFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *BenefitProfile.Kind.choices]
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *BenefitProfile.State.choices]
    )
    at_risk = forms.BooleanField(label=_("At risk only"), required=False)
    directorate = forms.ModelChoiceField(
        label=_("Directorate"), required=False, queryset=None, empty_label=_("All directorates")
    )
    as_at = forms.DateField(
        label=_("As at"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from pmo.models import Directorate

        self.fields["directorate"].queryset = Directorate.objects.order_by("code")
