"""The query parameters of the money and people lists: projects, directorates and roles by their codes,
months as ISO dates (`month_after`, `month_before`: a range of first days)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from api.filters import code
from finance.models import MonthlyAmount
from resources.models import Capacity, Demand, ResourceRole


class MonthlyAmountFilter(filters.FilterSet):
    project = code("project__code", _("Project code"))
    category = code("category__code", _("Cost category code"))
    kind = filters.ChoiceFilter(choices=MonthlyAmount.Kind.choices)
    month = filters.DateFromToRangeFilter()

    class Meta:
        model = MonthlyAmount
        fields = ["project", "category", "kind", "month"]


class ResourceRoleFilter(filters.FilterSet):
    is_active = filters.BooleanFilter()

    class Meta:
        model = ResourceRole
        fields = ["is_active"]


class CapacityFilter(filters.FilterSet):
    directorate = code("directorate__code", _("Directorate code"))
    role = code("role__code", _("Role code"))
    month = filters.DateFromToRangeFilter()

    class Meta:
        model = Capacity
        fields = ["directorate", "role", "month"]


class DemandFilter(filters.FilterSet):
    project = code("project__code", _("Project code"))
    role = code("role__code", _("Role code"))
    person = code("person__username", _("The person's login"))
    month = filters.DateFromToRangeFilter()

    class Meta:
        model = Demand
        fields = ["project", "role", "person", "month"]
