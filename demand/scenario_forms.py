"""The forms of the portfolio scenarios: a new scenario, and its budget cap per year."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from demand.models import CriteriaSet, PortfolioScenario


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = PortfolioScenario
        fields = ["name", "description", "first_year", "years", "criteria_set", "use_capacity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = CriteriaSet.objects.published()
        self.fields["criteria_set"].initial = CriteriaSet.objects.current()
        self.fields["first_year"].initial = timezone.localdate().year
        self.fields["first_year"].min_value = 2000
        self.fields["years"].widget.attrs.update(min=1, max=5)

    def clean_years(self) -> int:
        years = self.cleaned_data["years"]
        if not 1 <= years <= 5:
            raise forms.ValidationError(_("From 1 to 5 years."))
        return years


class BudgetForm(forms.Form):
    """One optional cap per year of the scenario; blank: no cap that year."""

    def __init__(self, *args, scenario: PortfolioScenario, caps: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for year in scenario.year_range:
            self.fields[f"cap_{year}"] = forms.DecimalField(
                label=str(year), required=False, min_value=0, max_digits=16, decimal_places=2,
                initial=caps.get(year),
            )  # fmt: skip

    def caps(self) -> dict:
        return {int(name.removeprefix("cap_")): value for name, value in self.cleaned_data.items()}
