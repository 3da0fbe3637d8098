"""The reads of the requests' pages and exports: one query shape each, whatever the number of rows."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from demand.models import ProjectRequest, RequestCapacity, RequestCost


def for_listing(requests: QuerySet[ProjectRequest]) -> QuerySet[ProjectRequest]:
    """The list's and the exports' rows: their directorate and people joined, their total estimated cost
    (every year, in the request's currency) as `total_cost`."""
    total = (
        RequestCost.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return requests.select_related("directorate", "requested_by", "sponsor").annotate(
        total_cost=Coalesce(
            Subquery(total, output_field=DecimalField(max_digits=18, decimal_places=2)),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )
    )


def for_page(requests: QuerySet[ProjectRequest]) -> QuerySet[ProjectRequest]:
    """A request's page: its people, costs, needs (with their roles) and attachments."""
    return requests.select_related(
        "directorate", "requested_by", "sponsor", "proposed_manager", "qualified_by", "project"
    ).prefetch_related(
        "costs",
        Prefetch("capacity_needs", queryset=RequestCapacity.objects.select_related("role")),
        "attachments",
    )


def cost_by_year(project_request: ProjectRequest) -> tuple[list[RequestCost], Decimal]:
    costs = sorted(project_request.costs.all(), key=lambda cost: cost.year)
    return costs, sum((cost.amount for cost in costs), Decimal(0))


def people_table(project_request: ProjectRequest) -> tuple[list[int], list[tuple]]:
    """The years and one row per role (role, [person-months per year]), from the prefetched needs."""
    needs = list(project_request.capacity_needs.all())
    years = sorted({need.year for need in needs})
    by_role: dict = {}
    for need in needs:
        by_role.setdefault(need.role, {})[need.year] = need.person_months
    rows = [
        (role, [values.get(year) for year in years])
        for role, values in sorted(by_role.items(), key=lambda item: (item[0].order, str(item[0])))
    ]
    return years, rows
