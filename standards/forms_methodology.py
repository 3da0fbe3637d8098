"""The PMO's forms for methodologies: the methodology itself, the deliverables each phase requires, its own
gate criteria, its tolerance bands, the deliverable types; and the form that gives a project its
methodology. The rules a database constraint cannot say clearly (one default per approach, one
blank-minimum band) are checked here, with a message the PMO can act on."""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from governance.extensions import gate_check_choices
from governance.models import GateCriterion
from portfolio.models import Phase
from standards.models import DeliverableRequirement, DeliverableType, Methodology, Tolerance

# Words the methodology pages use in their own URLs, after /standards/methodologies/.
RESERVED_CODES = {"new"}


class MethodologyForm(forms.ModelForm):
    class Meta:
        model = Methodology
        fields = ["code", "name", "name_en", "approach", "description", "is_default", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"placeholder": "agile-safe", "autofocus": True})
        if self.instance.pk:
            # Gate criteria name the methodology by its code (their scope): it stays.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot change: the gate criteria name it.")
            del self.fields["code"].widget.attrs["autofocus"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise forms.ValidationError(_("This code is reserved: choose another one."))
        return code

    def clean(self):
        cleaned = super().clean()
        approach, is_default = cleaned.get("approach"), cleaned.get("is_default")
        if is_default and approach:
            other = (
                Methodology.objects.filter(approach=approach, is_default=True)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if other is not None:
                self.add_error(
                    "is_default",
                    _(
                        "%(other)s is already the default for the %(approach)s approach: "
                        "untick its default first, there is one default per approach."
                    )
                    % {"other": other, "approach": Methodology(approach=approach).get_approach_display()},
                )
        if not cleaned.get("is_active", True) and is_default:
            self.add_error("is_active", _("The default methodology of an approach must stay active."))
        return cleaned


class RequirementForm(forms.ModelForm):
    """A deliverable the methodology requires in a phase."""

    class Meta:
        model = DeliverableRequirement
        fields = ["phase", "deliverable_type", "required_at_gate"]

    def __init__(self, *args, methodology: Methodology, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.methodology = methodology
        self.fields["phase"].queryset = Phase.objects.all()
        self.fields["deliverable_type"].queryset = DeliverableType.objects.filter(is_active=True)
        self.fields["phase"].widget.attrs["autofocus"] = True

    def validate_unique(self):
        # The methodology is not a field of the form: check the triple ourselves, with a readable message.
        data = self.cleaned_data
        if (
            data.get("phase")
            and data.get("deliverable_type")
            and DeliverableRequirement.objects.filter(
                methodology=self.instance.methodology,
                phase=data["phase"],
                deliverable_type=data["deliverable_type"],
            ).exists()
        ):
            self.add_error("deliverable_type", _("This deliverable is already required in this phase."))


class CriterionForm(forms.ModelForm):
    """One of the methodology's own gate criteria (its scope is the methodology's, set by the view)."""

    automatic_check = forms.ChoiceField(
        label=_("checked automatically"),
        required=False,
        help_text=_(
            "Blank: the committee judges the criterion; otherwise the project is checked when reviewed."
        ),
    )

    class Meta:
        model = GateCriterion
        fields = ["phase", "text", "text_en", "order", "automatic_check", "is_active"]

    def __init__(self, *args, methodology: Methodology, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.scope = methodology.scope_key
        self.fields["automatic_check"].choices = gate_check_choices()
        self.fields["phase"].queryset = Phase.objects.all()
        self.fields["phase"].help_text = _("The criterion is checked at the gate that leaves this phase.")
        self.fields["phase"].widget.attrs["autofocus"] = True


class ToleranceForm(forms.ModelForm):
    class Meta:
        model = Tolerance
        fields = ["min_budget", "cost_percent", "schedule_days", "scope_percent"]
        localized_fields = ["min_budget", "cost_percent", "scope_percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One line per band in a table: the column headers are the labels, the help is said once below.
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control form-control-sm", "aria-label": field.label})


class BaseToleranceFormSet(BaseInlineFormSet):
    def clean(self):
        """Two bands with the same minimum cannot both apply. The database refuses a repeated amount but
        not two blank minimums (NULLs differ in SQL): say both here, on the line, before Django's own
        (and vaguer) check of repeated amounts."""
        seen: set = set()
        for form in self.forms:
            # An untouched extra line has no cleaned data; a line being removed no longer counts.
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            minimum = form.cleaned_data.get("min_budget")
            if minimum in seen:
                message = (
                    _("There is already a band for projects of any size (blank minimum).")
                    if minimum is None
                    else _("There is already a band from this budget.")
                )
                form.add_error("min_budget", message)
            seen.add(minimum)
        super().clean()


ToleranceFormSet = inlineformset_factory(
    Methodology,
    Tolerance,
    form=ToleranceForm,
    formset=BaseToleranceFormSet,
    extra=1,
    can_delete=True,
)


class DeliverableTypeForm(forms.ModelForm):
    class Meta:
        model = DeliverableType
        fields = ["name", "name_en", "description", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True


class ProjectMethodologyForm(forms.Form):
    methodology = forms.ModelChoiceField(
        label=_("Methodology"), queryset=Methodology.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Kept in the project's history, with your name and the date."),
    )

    def __init__(self, *args, followed: Methodology | None, assigned: Methodology | None, **kwargs):
        """`followed`: the methodology the project follows now (chosen or its approach's default);
        `assigned`: the one the PMO chose, if any."""
        super().__init__(*args, **kwargs)
        self.assigned = assigned
        self.fields["methodology"].queryset = Methodology.objects.filter(is_active=True)
        if followed is not None:
            self.fields["methodology"].initial = followed.pk

    def clean_methodology(self):
        methodology = self.cleaned_data["methodology"]
        if self.assigned is not None and methodology.pk == self.assigned.pk:
            raise forms.ValidationError(_("The project already follows this methodology."))
        return methodology
