"""Risks and issues: read by whoever reads their project (transverse ones by everyone), recorded and
changed through the risk pages' forms and services by the PMO, the project's manager and the owner."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api import selectors
from api.filters import IssueFilter, RiskFilter
from api.serializers.risks import (
    IssueSerializer,
    IssueUpdateSerializer,
    IssueWriteSerializer,
    RiskSerializer,
    RiskUpdateSerializer,
    RiskWriteSerializer,
)
from api.views.portfolio import ReadOnlyViewSet
from risks.models import Issue, Risk

HANDED_OVER = OpenApiResponse(
    description=_("Saved, but the change put the record out of the caller's sight (handed over to another).")
)


class WritableViewSet(ReadOnlyViewSet):
    """Create (POST on the list) and change (PATCH on the detail: only the fields sent change)."""

    create_serializer = None
    update_serializer = None

    def _answer(self, instance, code: int) -> Response:
        """The record as the caller now reads it; 204 when the change put it out of their sight (an
        owner who hands over their risk about a confidential project they may not open)."""
        fresh = self.get_queryset().filter(pk=instance.pk).first()
        if fresh is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        writer = self.create_serializer(data=request.data, context=self.get_serializer_context())
        writer.is_valid(raise_exception=True)
        return self._answer(writer.save(), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        if not instance.is_editable_by(request.user):
            raise PermissionDenied
        writer = self.update_serializer(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        writer.is_valid(raise_exception=True)
        return self._answer(writer.save(), status.HTTP_200_OK)


class RiskViewSet(WritableViewSet):
    queryset_of = selectors.risks
    queryset = Risk.objects.none()  # the model, for the schema
    serializer_class = RiskSerializer
    create_serializer = RiskWriteSerializer
    update_serializer = RiskUpdateSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    filterset_class = RiskFilter
    ordering_fields = ["reference", "score", "residual_score", "next_review_on", "proximity", "updated_at"]

    @extend_schema(request=RiskWriteSerializer, responses={201: RiskSerializer})
    def create(self, request, *args, **kwargs):
        """Record a risk on a project the user may change, or (PMO) a transverse risk of a portfolio
        or a directorate; its first assessment is kept in its history."""
        return super().create(request, *args, **kwargs)

    @extend_schema(request=RiskUpdateSerializer, responses={200: RiskSerializer, 204: HANDED_OVER})
    def partial_update(self, request, *args, **kwargs):
        """Change a risk; new scores are a new assessment in its history."""
        return super().partial_update(request, *args, **kwargs)


class IssueViewSet(WritableViewSet):
    queryset_of = selectors.issues
    queryset = Issue.objects.none()  # the model, for the schema
    serializer_class = IssueSerializer
    create_serializer = IssueWriteSerializer
    update_serializer = IssueUpdateSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    filterset_class = IssueFilter
    ordering_fields = ["reference", "due_date", "created_at", "updated_at"]

    @extend_schema(request=IssueWriteSerializer, responses={201: IssueSerializer})
    def create(self, request, *args, **kwargs):
        """Record an issue on a project the user may change, or (PMO) a transverse one."""
        return super().create(request, *args, **kwargs)

    @extend_schema(request=IssueUpdateSerializer, responses={200: IssueSerializer, 204: HANDED_OVER})
    def partial_update(self, request, *args, **kwargs):
        """Change an issue; resolving or closing it needs its resolution."""
        return super().partial_update(request, *args, **kwargs)
