"""Money by month and people by role through the API.

- cost categories and roles: read by every signed-in user; roles written by the PMO and administrators;
- monthly amounts: those of the projects the user may see (404 otherwise); a budget or forecast is
  written by whoever may change the project (its manager, the PMO), an actual by the PMO and
  administrators only (the finance system's figure), 403 for a reader who writes;
- capacity: read by the oversight roles (administrators, PMO, executives: an empty list for anyone
  else), written by the PMO and administrators;
- demand: read by whoever sees the project, written by whoever may change it.

A POST creates the record, or replaces the one of the same key (project, kind, category, month; or
directorate, role, month; or project, role, month, person): 201 when created, 200 when replaced. Writes
go through the import's services (`finance.services_import`, `resources.services_import`).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api.filters_money import CapacityFilter, DemandFilter, MonthlyAmountFilter, ResourceRoleFilter
from api.selectors import OVERSIGHT
from api.serializers.money import (
    AmountChangeSerializer,
    CapacitySerializer,
    CapacityWriteSerializer,
    CostCategorySerializer,
    DemandSerializer,
    DemandWriteSerializer,
    FteChangeSerializer,
    MonthlyAmountSerializer,
    MonthlyAmountWriteSerializer,
    ResourceRoleSerializer,
)
from api.views.portfolio import ReadOnlyViewSet
from finance.models import CostCategory, MonthlyAmount
from finance.services_import import check_amount, save_amount
from imports.results import CREATE
from pmo.roles import Role
from portfolio.models import Project
from resources.models import Capacity, Demand, ResourceRole
from resources.services_import import save_capacity, save_demand

WRITERS = (Role.PMO, Role.ADMINISTRATOR)


def _visible_pks(user):
    return Project.objects.visible_to(user).order_by().values("pk")


def _may_edit(user, project_id: int) -> bool:
    return Project.objects.editable_by(user).filter(pk=project_id).exists()


def _require_pmo(user) -> None:
    if not user.has_role(*WRITERS):
        raise PermissionDenied


def _may_write_amount(user, project_id: int, kind: str) -> None:
    if kind == MonthlyAmount.Kind.ACTUAL:
        _require_pmo(user)
    if not _may_edit(user, project_id):
        raise PermissionDenied


def _deleted(record, by) -> Response:
    record._history_user = by
    record.delete()
    return Response(status=status.HTTP_204_NO_CONTENT)


class CostCategoryViewSet(ReadOnlyViewSet):
    """The cost categories the PMO configured (CAPEX, OPEX…)."""

    queryset = CostCategory.objects.none()  # the model, for the schema
    serializer_class = CostCategorySerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["order", "code"]

    def get_queryset(self):
        return CostCategory.objects.order_by("order", "pk")


class ResourceRoleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    """The roles' catalogue; the PMO and administrators add and change roles."""

    queryset = ResourceRole.objects.none()  # the model, for the schema
    serializer_class = ResourceRoleSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = ResourceRoleFilter
    ordering_fields = ["order", "code", "name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return ResourceRole.objects.order_by("order", "name", "pk")

    def create(self, request, *args, **kwargs):
        _require_pmo(request.user)  # before the body is read: a reader who writes gets 403
        return super().create(request, *args, **kwargs)

    def partial_update(self, request, *args, **kwargs):
        self.get_object()
        _require_pmo(request.user)
        return super().partial_update(request, *args, **kwargs)


class MonthlyAmountViewSet(mixins.DestroyModelMixin, ReadOnlyViewSet):
    """The budget, actual and forecast amounts by month and cost category of the projects the user may
    see."""

    queryset = MonthlyAmount.objects.none()  # the model, for the schema
    serializer_class = MonthlyAmountSerializer
    filterset_class = MonthlyAmountFilter
    ordering_fields = ["month", "amount", "updated_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            MonthlyAmount.objects.filter(project__in=_visible_pks(self.request.user))
            .select_related("project", "category", "updated_by")
            .order_by("project__code", "kind", "month", "category__order", "pk")
        )

    def _answer(self, pk: int, code: int) -> Response:
        return Response(self.serializer_class(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        request=MonthlyAmountWriteSerializer,
        responses={200: MonthlyAmountSerializer, 201: MonthlyAmountSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Set one amount (created, or the existing one of its project, kind, category and month replaced)."""
        writer = MonthlyAmountWriteSerializer(data=request.data, context=self.get_serializer_context())
        writer.is_valid(raise_exception=True)
        values = writer.validated_data
        _may_write_amount(request.user, values["project"].pk, values["kind"])
        action = save_amount(**values, by=request.user, source=MonthlyAmount.Source.API)
        record = MonthlyAmount.objects.get(
            project=values["project"], kind=values["kind"], category=values["category"], month=values["month"]
        )
        return self._answer(record.pk, status.HTTP_201_CREATED if action == CREATE else status.HTTP_200_OK)

    @extend_schema(request=AmountChangeSerializer, responses={200: MonthlyAmountSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change an amount."""
        record = self.get_object()
        _may_write_amount(request.user, record.project_id, record.kind)
        writer = AmountChangeSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        amount = writer.validated_data["amount"]
        problem = check_amount(record.kind, amount)
        if problem:
            return Response({"amount": [problem]}, status=status.HTTP_400_BAD_REQUEST)
        save_amount(
            project=record.project,
            category=record.category,
            kind=record.kind,
            month=record.month,
            amount=amount,
            by=request.user,
            source=MonthlyAmount.Source.API,
        )
        return self._answer(record.pk, status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        """Delete an amount (kept in the history)."""
        record = self.get_object()
        _may_write_amount(request.user, record.project_id, record.kind)
        return _deleted(record, request.user)


class CapacityViewSet(mixins.DestroyModelMixin, ReadOnlyViewSet):
    """What each directorate can give by role and month (FTE): read by the oversight roles, written by
    the PMO and administrators."""

    queryset = Capacity.objects.none()  # the model, for the schema
    serializer_class = CapacitySerializer
    filterset_class = CapacityFilter
    ordering_fields = ["month", "fte"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if not self.request.user.has_role(*OVERSIGHT):
            return Capacity.objects.none()
        return Capacity.objects.select_related("directorate", "role").order_by(
            "directorate__code", "role__order", "role__code", "month"
        )

    def _answer(self, pk: int, code: int) -> Response:
        return Response(self.serializer_class(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        request=CapacityWriteSerializer, responses={200: CapacitySerializer, 201: CapacitySerializer}
    )
    def create(self, request, *args, **kwargs):
        """Set a directorate's capacity in a role for a month (created, or replaced)."""
        _require_pmo(request.user)
        writer = CapacityWriteSerializer(data=request.data, context=self.get_serializer_context())
        writer.is_valid(raise_exception=True)
        values = writer.validated_data
        action = save_capacity(**values, by=request.user)
        record = Capacity.objects.get(
            directorate=values["directorate"], role=values["role"], month=values["month"]
        )
        return self._answer(record.pk, status.HTTP_201_CREATED if action == CREATE else status.HTTP_200_OK)

    @extend_schema(request=FteChangeSerializer, responses={200: CapacitySerializer})
    def partial_update(self, request, *args, **kwargs):
        record = self.get_object()
        _require_pmo(request.user)
        writer = FteChangeSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        save_capacity(
            directorate=record.directorate,
            role=record.role,
            month=record.month,
            fte=writer.validated_data["fte"],
            by=request.user,
        )
        return self._answer(record.pk, status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        _require_pmo(request.user)
        return _deleted(record, request.user)


class DemandViewSet(mixins.DestroyModelMixin, ReadOnlyViewSet):
    """What each project asks for by role and month (FTE), optionally naming a person: read by whoever
    sees the project, written by whoever may change it."""

    queryset = Demand.objects.none()  # the model, for the schema
    serializer_class = DemandSerializer
    filterset_class = DemandFilter
    ordering_fields = ["month", "fte"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Demand.objects.filter(project__in=_visible_pks(self.request.user))
            .select_related("project", "role", "person")
            .order_by("project__code", "role__order", "role__code", "month", "pk")
        )

    def _answer(self, pk: int, code: int) -> Response:
        return Response(self.serializer_class(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=DemandWriteSerializer, responses={200: DemandSerializer, 201: DemandSerializer})
    def create(self, request, *args, **kwargs):
        """Set a project's demand in a role for a month, a named person's or not (created, or replaced)."""
        writer = DemandWriteSerializer(data=request.data, context=self.get_serializer_context())
        writer.is_valid(raise_exception=True)
        values = dict(writer.validated_data)
        values.setdefault("person", None)
        if not _may_edit(request.user, values["project"].pk):
            raise PermissionDenied
        action = save_demand(**values, by=request.user)
        record = Demand.objects.get(
            project=values["project"], role=values["role"], month=values["month"], person=values["person"]
        )
        return self._answer(record.pk, status.HTTP_201_CREATED if action == CREATE else status.HTTP_200_OK)

    @extend_schema(request=FteChangeSerializer, responses={200: DemandSerializer})
    def partial_update(self, request, *args, **kwargs):
        record = self.get_object()
        if not _may_edit(request.user, record.project_id):
            raise PermissionDenied
        writer = FteChangeSerializer(data=request.data)
        writer.is_valid(raise_exception=True)
        save_demand(
            project=record.project,
            role=record.role,
            month=record.month,
            person=record.person,
            fte=writer.validated_data["fte"],
            by=request.user,
        )
        return self._answer(record.pk, status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        if not _may_edit(request.user, record.project_id):
            raise PermissionDenied
        return _deleted(record, request.user)
