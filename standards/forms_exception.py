"""The exception report's forms: the PM's report (texts and committee), its options and recovery actions
(formsets, on one page: a recovery action names its option by its number on the page), the PMO's close and
withdraw, the committee's choice in the live meeting, the list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.models import Directorate
from standards.models import ExceptionOption, ExceptionReport
from standards.services_exception import committees_for

TEXTAREA = {"rows": 3}


class ExceptionReportForm(forms.ModelForm):
    class Meta:
        model = ExceptionReport
        fields = ["cause", "consequences", "recommendation", "committee"]
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA) for name in ("cause", "consequences", "recommendation")
        }

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees_for(project)
        self.fields["committee"].help_text = _("The committee whose scope covers the project that decides.")


class OptionForm(forms.Form):
    title = forms.CharField(label=_("Option"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    cost_effect = forms.DecimalField(
        label=_("Effect on cost"), max_digits=16, decimal_places=2, required=False,
        help_text=ExceptionOption._meta.get_field("cost_effect").help_text,
    )  # fmt: skip
    schedule_effect_days = forms.IntegerField(
        label=_("Effect on the end date (days)"), required=False,
        help_text=ExceptionOption._meta.get_field("schedule_effect_days").help_text,
    )  # fmt: skip
    recommended = forms.BooleanField(label=_("Recommended"), required=False)

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data or {}).get("title")

    def clean(self):
        data = super().clean()
        if not data.get("title") and any(
            data.get(name) not in (None, "", False)
            for name in ("description", "cost_effect", "schedule_effect_days", "recommended")
        ):
            self.add_error("title", _("Give the option a title."))
        return data


class BaseOptionFormSet(forms.BaseFormSet):
    def options(self) -> list[dict]:
        """The options typed, in page order (blank rows left out), and each row's position among them."""
        return [form.cleaned_data for form in self.forms if not form.is_blank]

    def positions(self) -> dict[int, int | None]:
        """{row number on the page: position among the options kept}."""
        kept, result = 0, {}
        for number, form in enumerate(self.forms):
            if form.is_blank:
                result[number] = None
            else:
                result[number] = kept
                kept += 1
        return result

    def clean(self) -> None:
        if any(self.errors):
            return
        recommended = [form for form in self.forms if not form.is_blank and form.cleaned_data["recommended"]]
        if len(recommended) > 1:
            raise forms.ValidationError(_("Recommend exactly one option."))


OptionFormSet = forms.formset_factory(OptionForm, formset=BaseOptionFormSet, extra=0)


class RecoveryActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False, empty_label="")
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    option = forms.TypedChoiceField(label=_("For option"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, owners, option_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["option"].choices = [("", _("Whichever is chosen")), *option_choices]

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data or {}).get("title")

    def clean(self):
        data = super().clean()
        if data.get("title"):
            if not data.get("owner"):
                self.add_error("owner", _("Name the action's owner."))
            if not data.get("due_date"):
                self.add_error("due_date", _("Give the action a due date."))
        elif data.get("owner") or data.get("due_date"):
            self.add_error("title", _("Say what the action is."))
        return data


RecoveryActionFormSet = forms.formset_factory(RecoveryActionForm, extra=0)


def option_choices(count: int, titles: list[str]) -> list[tuple[int, str]]:
    """The option rows a recovery action may name: "Option 1", with its title when known."""
    choices = []
    for number in range(count):
        label = _("Option %(number)s") % {"number": number + 1}
        if number < len(titles) and titles[number]:
            label = f"{label}: {titles[number]}"
        choices.append((number, label))
    return choices


class ClosingForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DecideForm(forms.Form):
    """The committee's choice on the live page: the meeting's item and one of the report's options."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    option = forms.ModelChoiceField(label=_("Option chosen"), queryset=None, widget=forms.RadioSelect)

    def __init__(self, *args, report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = report.options.all()


class ExceptionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Open")), ("all", _("All")), *ExceptionReport.State.choices],
    )
    directorate = forms.ModelChoiceField(
        label=_("Directorate"),
        required=False,
        queryset=Directorate.objects.order_by("code"),
        empty_label=_("All directorates"),
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.filter(state__in=ExceptionReport.OPEN_STATES)
        state = self.cleaned_data.get("state")
        if not state:
            queryset = queryset.filter(state__in=ExceptionReport.OPEN_STATES)
        elif state != "all":
            queryset = queryset.filter(state=state)
        if self.cleaned_data.get("directorate"):
            queryset = queryset.filter(project__directorate=self.cleaned_data["directorate"])
        return queryset
