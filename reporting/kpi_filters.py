"""Filters and sorting of the KPI list."""

from __future__ import annotations

import django_filters
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pmo.filters import StableOrderingFilter
from reporting.models import Kpi
from reporting.periods import Frequency

ACTIVE, INACTIVE, ALL = "active", "inactive", "all"
STATE_CHOICES = [
    (ACTIVE, pgettext_lazy("KPIs", "Active")),
    (INACTIVE, pgettext_lazy("KPIs", "Inactive")),
    (ALL, pgettext_lazy("KPIs", "Active or not")),
]


class KpiFilter(django_filters.FilterSet):
    """Source, frequency and state (active ones unless asked otherwise); sorted by the dashboard's
    order unless asked otherwise, the code breaking ties."""

    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Kpi.Source.choices, empty_label=pgettext_lazy("KPI sources", "All sources")
    )
    frequency = django_filters.ChoiceFilter(
        label=_("Frequency"), choices=Frequency.choices, empty_label=_("All frequencies")
    )
    state = django_filters.ChoiceFilter(
        label=pgettext_lazy("KPI state", "State"),
        choices=STATE_CHOICES,
        empty_label=None,
        method="filter_state",
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        tie_breaker="code",
        fields=(
            ("order", "order"),
            ("code", "code"),
            ("name", "name"),
            ("unit", "unit"),
            ("direction", "direction"),
            ("frequency", "frequency"),
            ("scope", "scope"),
            ("source", "source"),
        ),
    )

    class Meta:
        model = Kpi
        fields = ["source", "frequency", "state"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("state"):
            data["state"] = ACTIVE
        if not data.get("sort"):
            data["sort"] = "order"
        super().__init__(data, *args, **kwargs)
        if get_language() == "en":
            # The name column shows the English name to an English reader: sort by what they read.
            self.filters["sort"].param_map["name"] = "name_en"

    def filter_state(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.filter(is_active=True)
        if value == INACTIVE:
            return queryset.filter(is_active=False)
        return queryset
