"""Delivery confidence assessments: read by whoever sees the project, recorded by the PMO and
administrators through the assessment page's form (`portfolio.forms.confidence`) and its service."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.forms import check, form_data
from api.serializers.common import PersonSerializer, VisibleProjectField
from portfolio.forms.confidence import SOURCES, ConfidenceForm
from portfolio.models import DeliveryConfidence, StatusPolicy
from portfolio.models.assurance import Confidence


class ConfidenceAssessmentSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assessed_by = PersonSerializer(read_only=True, allow_null=True)
    follow_up_due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("A Red or Amber/Red assessment's follow-up review; null for the other levels."),
    )

    class Meta:
        model = DeliveryConfidence
        fields = [
            "id",
            "project",
            "rating",
            "assessed_on",
            "reason",
            "source",
            "follow_up_due",
            "assessed_by",
            "created_at",
        ]


class ConfidenceAssessmentWriteSerializer(serializers.Serializer):
    """Validated by the page's form: a level of the organisation's scale (`StatusPolicy.
    confidence_scale`), a date not in the future, a reason for anything but Green."""

    project = VisibleProjectField()
    rating = serializers.ChoiceField(choices=Confidence.choices)
    assessed_on = serializers.DateField(required=False, help_text=_("Today if omitted; never in the future."))
    reason = serializers.CharField(required=False, allow_blank=True, help_text=_("Required but for Green."))
    source = serializers.ChoiceField(choices=SOURCES, required=False)

    def validate(self, attrs: dict) -> dict:
        today = timezone.localdate()
        values = {
            "assessed_on": today,
            "source": DeliveryConfidence.Source.PMO,
            **{name: value for name, value in attrs.items() if name != "project"},
        }
        form = ConfidenceForm(form_data(values), scale=StatusPolicy.current().confidence_scale, today=today)
        return {"project": attrs["project"], **check(form).cleaned_data}
