"""The PMO's delivery confidence assessment of a project: the page's form, which the API binds too."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import DeliveryConfidence
from portfolio.models.assurance import SCALE_LEVELS, Confidence, ConfidenceScale

# An import records its own assessments; a person records a PMO or an assurance review.
SOURCES = [
    (DeliveryConfidence.Source.PMO, DeliveryConfidence.Source.PMO.label),
    (DeliveryConfidence.Source.ASSURANCE, DeliveryConfidence.Source.ASSURANCE.label),
]


class ConfidenceForm(forms.Form):
    """The levels offered are the organisation's scale's (`StatusPolicy.confidence_scale`); an
    assessment is dated today or earlier, never in the future; anything but Green says why."""

    rating = forms.ChoiceField(label=_("Delivery confidence"), widget=forms.RadioSelect)
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for any level but Green: what the assessment rests on."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=SOURCES, initial=DeliveryConfidence.Source.PMO)

    def __init__(self, *args, scale: str = ConfidenceScale.IPA5, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        levels = SCALE_LEVELS[ConfidenceScale(scale)]
        self.fields["rating"].choices = [(level.value, level.label) for level in levels]
        self.fields["assessed_on"].initial = self.today
        self.fields["assessed_on"].widget.attrs["max"] = self.today.isoformat()

    def clean_assessed_on(self) -> date:
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > self.today:
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return assessed_on

    def clean(self):
        data = super().clean()
        rating = data.get("rating")
        if rating and rating != Confidence.GREEN and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why: a level other than Green needs a reason."))
        return data
