"""What a scenario chooses from, and what each candidate costs and needs: one place for the ranking, the
scenarios, their comparison and the committee's card.

- The candidates: the requests a scenario may select (qualified, proposed or deferred) and the running
  projects (proposed, active or on hold): a portfolio decision may also stop one.
- Cost by calendar year, in the reporting currency, from the current month on (what is already spent is
  not a choice any more): a request's estimated cost of the year (the current year's part prorated to
  the months left); a project's monthly forecast where it has one, else its phased budget (finance).
  An amount in a currency with no rate is not converted: the candidate's cost of that year is None and the
  page says so; the optimiser leaves it out unless forced in (then it counts as 0, shown "n/a").
- People by role and year, in person-months, from the current month on: a request's estimated needs (the
  current year's prorated), a project's demand (resources).
- The capacity by role and year: the capacity grid's person-months from the current month on, every
  directorate added up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from demand.models import ProjectRequest, RequestCapacity, RequestCost
from finance.models import MonthlyAmount
from pmo.money import reporting_currency
from pmo.months import month_of
from portfolio.exchange import Rates
from portfolio.models import Project
from resources.models import Capacity, Demand

RUNNING_STATES = (Project.State.PROPOSED, Project.State.ACTIVE, Project.State.ON_HOLD)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass
class Candidate:
    key: str  # "r<pk>" for a request, "p<pk>" for a project: stable in a scenario's stored result
    pk: int
    is_request: bool
    code: str
    title: str
    directorate_id: int | None
    state: str
    cost: dict[int, Decimal | None] = field(default_factory=dict)  # year -> reporting currency
    people: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (role id, year) -> person-months

    @property
    def total_cost(self) -> Decimal | None:
        if any(value is None for value in self.cost.values()):
            return None
        return sum(self.cost.values(), Decimal(0))

    @property
    def costed(self) -> bool:
        return all(value is not None for value in self.cost.values())


def _months_left(year: int, today: date) -> int:
    """How many months of `year` are still to come (the current one counted)."""
    if year < today.year:
        return 0
    if year > today.year:
        return 12
    return 12 - today.month + 1


def _prorated(value: Decimal, year: int, today: date) -> Decimal:
    return value * _months_left(year, today) / 12


def candidates(*, years: list[int], today: date, requests=None, projects=None) -> list[Candidate]:
    """Every candidate (requests first, then projects, each by code) with its cost and people over
    `years`. `requests` / `projects`: querysets to narrow (already filtered for the reader), or the whole
    candidate sets. A fixed number of queries whatever the number of candidates."""
    requests = ProjectRequest.objects.candidates() if requests is None else requests
    projects = Project.objects.filter(state__in=RUNNING_STATES) if projects is None else projects
    rates = Rates()
    currency = reporting_currency()
    result: list[Candidate] = []

    request_rows = list(requests.order_by("code").values_list("pk", "code", "title", "directorate_id",
                                                             "state", "currency"))  # fmt: skip
    request_ids = [row[0] for row in request_rows]
    costs: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for request_id, year, amount in RequestCost.objects.filter(
        request__in=request_ids, year__in=years
    ).values_list("request_id", "year", "amount"):
        costs[request_id][year] = amount
    needs: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for request_id, role_id, year, months in RequestCapacity.objects.filter(
        request__in=request_ids, year__in=years
    ).values_list("request_id", "role_id", "year", "person_months"):
        needs[request_id][role_id, year] = _prorated(months, year, today).quantize(TENTH)
    for pk, code, title, directorate_id, state, own_currency in request_rows:
        candidate = Candidate(f"r{pk}", pk, True, code, title, directorate_id, state)
        for year in years:
            amount = _prorated(costs[pk].get(year, Decimal(0)), year, today)
            candidate.cost[year] = _in_reporting(amount, own_currency, currency, rates, today)
        candidate.people = {key: value for key, value in needs[pk].items() if value}
        result.append(candidate)

    project_rows = list(projects.order_by("code").values_list("pk", "code", "name", "directorate_id",
                                                             "state", "currency"))  # fmt: skip
    project_ids = [row[0] for row in project_rows]
    first = month_of(today)
    last = date(max(years), 12, 1) if years else first
    money = (
        MonthlyAmount.objects.filter(
            project__in=project_ids,
            kind__in=(MonthlyAmount.Kind.BUDGET, MonthlyAmount.Kind.FORECAST),
            month__gte=first,
            month__lte=last,
        )
        .annotate(year=ExtractYear("month"))
        .values("project_id", "kind", "year")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("project_id", "kind", "year", "total")
    )
    by_kind: dict[int, dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for project_id, kind, year, total in money:
        by_kind[project_id][kind][year] = total
    demand = (
        Demand.objects.filter(project__in=project_ids, month__gte=first, month__lte=last)
        .annotate(year=ExtractYear("month"))
        .values("project_id", "role_id", "year")
        .annotate(total=Sum("fte"))
        .order_by()
        .values_list("project_id", "role_id", "year", "total")
    )
    people: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for project_id, role_id, year, total in demand:
        if total:
            people[project_id][role_id, year] = Decimal(total).quantize(TENTH)
    for pk, code, name, directorate_id, state, own_currency in project_rows:
        candidate = Candidate(f"p{pk}", pk, False, code, name, directorate_id, state)
        kinds = by_kind.get(pk, {})
        chosen = kinds.get(MonthlyAmount.Kind.FORECAST) or kinds.get(MonthlyAmount.Kind.BUDGET) or {}
        for year in years:
            candidate.cost[year] = _in_reporting(chosen.get(year, Decimal(0)), own_currency, currency, rates,
                                                 today)  # fmt: skip
        candidate.people = people.get(pk, {})
        result.append(candidate)
    return result


def _in_reporting(amount: Decimal, own: str, currency: str, rates: Rates, today: date) -> Decimal | None:
    if not amount:
        return Decimal(0)
    if own == currency:
        return amount.quantize(CENT)
    converted = rates.convert(amount, own, on=today)
    return converted.amount if converted.converted else None


def capacity(
    *, years: list[int], today: date, roles: Iterable[int] | None = None
) -> dict[tuple[int, int], Decimal]:
    """{(role id, year): person-months} of the capacity grid from the current month on, every
    directorate added up. One query."""
    if not years:
        return {}
    rows = Capacity.objects.filter(month__gte=month_of(today), month__lte=date(max(years), 12, 1))
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return {
        (role_id, year): Decimal(total).quantize(TENTH)
        for role_id, year, total in rows.annotate(year=ExtractYear("month"))
        .values("role_id", "year")
        .annotate(total=Sum("fte"))
        .order_by()
        .values_list("role_id", "year", "total")
        if total
    }
