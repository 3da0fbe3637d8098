"""KPI definitions and their measurements: the PMO, executives and administrators read them all; a
project manager the per-project KPIs entered by hand, and no value of a project they may not see."""

from __future__ import annotations

from api import selectors
from api.filters import KpiFilter, MeasurementFilter
from api.serializers.reporting import KpiSerializer, MeasurementSerializer
from api.views.portfolio import ReadOnlyViewSet
from reporting.models import Kpi, Measurement


class KpiViewSet(ReadOnlyViewSet):
    queryset_of = selectors.kpis
    queryset = Kpi.objects.none()  # the model, for the schema
    serializer_class = KpiSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = KpiFilter
    ordering_fields = ["order", "code"]


class MeasurementViewSet(ReadOnlyViewSet):
    queryset_of = selectors.measurements
    queryset = Measurement.objects.none()  # the model, for the schema
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    ordering_fields = ["period", "entered_at"]
