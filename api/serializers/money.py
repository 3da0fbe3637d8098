"""Money by month and people by role: cost categories, monthly amounts, roles, capacity, demand.

Writes are checked here for their types, then by the same rules as the import
(`finance.services_import.check_amount`, `resources.services_import.check_fte`) and written by the same
services (history kept, `updated_by` the caller, money's `source` "api")."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import DirectorateField, LookupField, PersonField, VisibleProjectField
from finance.models import CostCategory, MonthlyAmount
from finance.services_import import check_amount
from resources.models import Capacity, Demand, ResourceRole
from resources.services_import import check_fte

MONTH_HELP = _("Any day of the month: the month's first day is kept.")


class CostCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = CostCategory
        fields = ["code", "name", "name_en", "order", "is_active", "receives_status_spend"]


class CategoryField(LookupField):
    default_error_messages = {
        "does_not_exist": _("No cost category has the code “{value}”."),
        "invalid": _("Give a cost category code."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="code", queryset=CostCategory.objects.all(), **kwargs)


class RoleField(LookupField):
    default_error_messages = {
        "does_not_exist": _("No role has the code “{value}”."),
        "invalid": _("Give a role code."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="code", queryset=ResourceRole.objects.all(), **kwargs)


class MonthField(serializers.DateField):
    def to_internal_value(self, value) -> date:
        return super().to_internal_value(value).replace(day=1)


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(budget|actual|forecast)$",
        "description": "budget, actual or forecast",
    }
)
class AmountKindField(serializers.ChoiceField):
    """The kind of an amount (a pattern in the schema, not an enum: the enum name "Kind" is taken, and
    settings.SPECTACULAR_SETTINGS is not this module's to name it)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=MonthlyAmount.Kind.choices, **kwargs)


class MonthlyAmountSerializer(serializers.ModelSerializer):
    kind = AmountKindField(read_only=True)
    project = serializers.CharField(source="project.code", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    currency = serializers.CharField(source="project.currency", read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, allow_null=True)

    class Meta:
        model = MonthlyAmount
        fields = [
            "id",
            "project",
            "kind",
            "category",
            "month",
            "amount",
            "currency",
            "source",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class MonthlyAmountWriteSerializer(serializers.Serializer):
    """One amount: created, or replaced when the project already has one of this kind, category and
    month. Budgets and forecasts are never negative; two decimals at most."""

    project = VisibleProjectField(help_text=_("The code of a project the user may change."))
    kind = AmountKindField()
    category = CategoryField()
    month = MonthField(help_text=MONTH_HELP)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)

    def validate(self, attrs: dict) -> dict:
        problem = check_amount(attrs["kind"], attrs["amount"])
        if problem:
            raise serializers.ValidationError({"amount": [problem]})
        return attrs


class AmountChangeSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class ResourceRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceRole
        fields = ["code", "name", "name_en", "order", "is_active"]


class CapacitySerializer(serializers.ModelSerializer):
    directorate = serializers.CharField(source="directorate.code", read_only=True)
    role = serializers.CharField(source="role.code", read_only=True)

    class Meta:
        model = Capacity
        fields = ["id", "directorate", "role", "month", "fte", "updated_at"]
        read_only_fields = fields


class CapacityWriteSerializer(serializers.Serializer):
    """A directorate's capacity in a role for a month: created, or replaced when it has one."""

    directorate = DirectorateField()
    role = RoleField()
    month = MonthField(help_text=MONTH_HELP)
    fte = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0)

    def validate(self, attrs: dict) -> dict:
        problem = check_fte(attrs["fte"])
        if problem:
            raise serializers.ValidationError({"fte": [problem]})
        return attrs


class FteChangeSerializer(serializers.Serializer):
    fte = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0)

    def validate_fte(self, fte):
        problem = check_fte(fte)
        if problem:
            raise serializers.ValidationError(problem)
        return fte


class DemandSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True)
    role = serializers.CharField(source="role.code", read_only=True)
    person = serializers.CharField(source="person.username", read_only=True, allow_null=True)

    class Meta:
        model = Demand
        fields = ["id", "project", "role", "month", "fte", "person", "updated_at"]
        read_only_fields = fields


class DemandWriteSerializer(CapacityWriteSerializer):
    """A project's demand in a role for a month (optionally a named person's): created, or replaced."""

    directorate = None
    project = VisibleProjectField(help_text=_("The code of a project the user may change."))
    person = PersonField(required=False, allow_null=True)
