from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Meeting
from governance.models.meeting import EARLIEST_MEETING_DAY, LATEST_MEETING_DAY
from pmo.models import User
from portfolio.models import Project


class MeetingForm(forms.ModelForm):
    """Planning a meeting: when, how long, where."""

    video_link = forms.URLField(
        # Capitalised as Django does the labels it makes from the model ("Lien de visioconférence").
        label=capfirst(Meeting._meta.get_field("video_link").verbose_name),
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    class Meta:
        model = Meeting
        fields = ["starts_at", "planned_minutes", "location", "video_link", "title"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={
                    "type": "datetime-local",
                    "min": f"{EARLIEST_MEETING_DAY:%Y-%m-%d}T00:00",
                    "max": f"{LATEST_MEETING_DAY:%Y-%m-%d}T23:59",
                },
                format="%Y-%m-%dT%H:%M",
            ),
        }
        help_texts = {"title": _("Optional: by default the committee's name and the date.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["planned_minutes"].min_value = 15
        self.fields["planned_minutes"].widget.attrs.update({"min": 15, "step": 15})
        self.fields["video_link"].widget.attrs["placeholder"] = "https://"

    def clean_planned_minutes(self):
        minutes = self.cleaned_data["planned_minutes"]
        if minutes < 15:
            raise forms.ValidationError(_("A meeting lasts at least 15 minutes."))
        return minutes


class AgendaItemForm(forms.ModelForm):
    """An item the secretary adds to the agenda; the project is one the committee oversees."""

    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "planned_minutes", "presenter", "project"]

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = projects if projects is not None else Project.objects.none()
        self.fields["project"].queryset = projects.order_by("code")
        self.fields["presenter"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["planned_minutes"].widget.attrs.update({"min": 1, "max": 240})
        self.fields["kind"].initial = AgendaItem.Kind.PROJECT_REVIEW

    def clean_planned_minutes(self):
        minutes = self.cleaned_data["planned_minutes"]
        if not 1 <= minutes <= 240:
            raise forms.ValidationError(_("Between 1 and 240 minutes."))
        return minutes
