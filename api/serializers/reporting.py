"""KPI definitions and their measurements."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import PersonSerializer
from portfolio.models import Rag
from reporting.models import Kpi, Measurement
from reporting.periods import Period


class KpiSerializer(serializers.ModelSerializer):
    latest_value = serializers.DecimalField(
        max_digits=16,
        decimal_places=3,
        read_only=True,
        allow_null=True,
        help_text=_("The latest value for the whole portfolio."),
    )
    latest_period = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Kpi
        fields = [
            "code",
            "name",
            "name_en",
            "description",
            "description_en",
            "unit",
            "direction",
            "target",
            "amber_threshold",
            "red_threshold",
            "frequency",
            "scope",
            "source",
            "function",
            "on_dashboard",
            "is_active",
            "latest_value",
            "latest_period",
        ]


class MeasurementSerializer(serializers.ModelSerializer):
    kpi = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period_label = serializers.SerializerMethodField()
    directorate = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    rag = serializers.SerializerMethodField()
    entered_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "kpi",
            "period",
            "period_label",
            "directorate",
            "project",
            "value",
            "rag",
            "comment",
            "computed",
            "entered_by",
            "entered_at",
        ]

    def get_period_label(self, measurement: Measurement) -> str:
        return Period(measurement.kpi.frequency, measurement.period).label

    @extend_schema_field(serializers.ChoiceField(choices=Rag.choices, allow_null=True))
    def get_rag(self, measurement: Measurement) -> str | None:
        return measurement.kpi.rag_of(measurement.value) or None
