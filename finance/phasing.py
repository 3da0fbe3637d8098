"""The phased budget as earned value reads it (registered into `portfolio.earned_value`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from finance.models import MonthlyAmount


def phased_curves(project_ids: Iterable[int]) -> dict[int, list[tuple[date, Decimal]]]:
    """{project id: [(month, budget of that month, all categories), ...]} for the projects with a phased
    budget, in month order. One query. `project_ids` may be a queryset of ids (a subquery)."""
    curves: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    rows = (
        MonthlyAmount.objects.budget()
        .filter(project__in=project_ids)
        .values("project_id", "month")
        .annotate(total=Sum("amount"))
        .order_by("project_id", "month")
        .values_list("project_id", "month", "total")
    )
    for project_id, month, total in rows:
        curves[project_id].append((month, total))
    return {pk: months for pk, months in curves.items() if any(amount for _month, amount in months)}
