"""Delivery confidence assessments (`/api/confidence-assessments/`): the projects the user may see
list theirs; the PMO and administrators record one through the page's form and service
(`portfolio.assurance.confidence_record`), anyone else gets 403."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api import selectors
from api.filters import ConfidenceAssessmentFilter
from api.serializers.assurance import ConfidenceAssessmentSerializer, ConfidenceAssessmentWriteSerializer
from api.views.portfolio import ReadOnlyViewSet
from portfolio.access import can_assess
from portfolio.assurance import confidence_record
from portfolio.models import DeliveryConfidence


class ConfidenceAssessmentViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    queryset_of = selectors.confidence_assessments
    queryset = DeliveryConfidence.objects.none()  # the model, for the schema
    serializer_class = ConfidenceAssessmentSerializer
    filterset_class = ConfidenceAssessmentFilter
    ordering_fields = ["assessed_on", "created_at"]

    @extend_schema(
        request=ConfidenceAssessmentWriteSerializer, responses={201: ConfidenceAssessmentSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Record an assessment; a Red or Amber/Red one schedules its follow-up review."""
        if not can_assess(request.user):
            raise PermissionDenied  # before the body is read: a reader who writes gets 403
        writer = ConfidenceAssessmentWriteSerializer(data=request.data, context=self.get_serializer_context())
        writer.is_valid(raise_exception=True)
        assessment = confidence_record(user=request.user, **writer.validated_data)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
