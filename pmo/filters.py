"""What the filter sets of every list share."""

from __future__ import annotations

import django_filters
from django.db.models import F


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with a unique key last (`tie_breaker`), so equal values keep one order across pages;
    the fields named in `nulls_last` put their empty values last in either direction."""

    def __init__(self, *args, tie_breaker: str = "reference", nulls_last: tuple[str, ...] = (), **kwargs):
        self.tie_breaker = tie_breaker
        self.nulls_last = set(nulls_last)
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        field_name = self.param_map[param.lstrip("-")]
        if field_name not in self.nulls_last:
            return super().get_ordering_value(param)
        field = F(field_name)
        return field.desc(nulls_last=True) if param.startswith("-") else field.asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, self.tie_breaker) if qs.query.order_by else qs
