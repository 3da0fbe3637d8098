from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Decision
from governance.services import EDITABLE_DECISION_FIELDS
from portfolio.models import Project

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_AREA = forms.Textarea(attrs={"rows": 3})


class DecisionForm(forms.ModelForm):
    """What may still change in a decision while its meeting is open."""

    class Meta:
        model = Decision
        fields = list(EDITABLE_DECISION_FIELDS)
        widgets = {
            "description": TEXT_AREA,
            "options_considered": TEXT_AREA,
            "rationale": TEXT_AREA,
            "conditions": TEXT_AREA,
            "implementation_due": DATE_INPUT,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("code")
        if self.instance.pk and self.instance.title_key:  # the application's title, in the reader's words
            self.initial["title"] = self.instance.display_title

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Decision.Outcome.APPROVED_WITH_CONDITIONS and not cleaned.get(
            "conditions"
        ):
            self.add_error("conditions", _("Say which conditions the approval comes with."))
        return cleaned


class CorrectionForm(DecisionForm):
    """A new decision that corrects an earlier one; it starts as a copy of it."""

    class Meta(DecisionForm.Meta):
        fields = ["decided_on", *EDITABLE_DECISION_FIELDS]
        widgets = {**DecisionForm.Meta.widgets, "decided_on": DATE_INPUT}
        labels = {"decided_on": _("Date of the correction")}

    @classmethod
    def copying(cls, decision: Decision, *, user) -> CorrectionForm:
        initial = {name: getattr(decision, name) for name in EDITABLE_DECISION_FIELDS}
        initial["title"] = decision.display_title
        initial["project"] = decision.project_id
        initial["decided_on"] = timezone.localdate()
        return cls(initial=initial, user=user)


class ImplementationForm(forms.Form):
    implementation = forms.ChoiceField(label=_("Implementation"), choices=Decision.Implementation.choices)
    implemented_on = forms.DateField(
        label=_("Implemented on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Today when left empty."),
    )
