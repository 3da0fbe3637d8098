"""Portfolio scenarios: creating one (at most `MAX_OPEN` open), its budget caps, the candidates the PMO
forces in or out, computing it and archiving it.

Computing runs in the request, not in a Celery task: reading the candidates, their scores and the
capacity is a fixed number of queries, and CBC chooses quickly. Measured with `demand.optimiser.choose`
on random candidates with 3 budget caps and 15 capacity caps (5 roles x 3 years), all of them binding, on
the development machine: 300 candidates 0.4 s, 1,000 candidates 2.7 s. Real portfolios hold tens to a
few hundred candidates, so the PMO waits well under a second; a task, its queue and a polling page
would cost more than they save. The solver's time limit (`optimiser.TIME_LIMIT`) bounds the worst case.

The result is stored on the scenario as JSON (`PortfolioScenario.result`): what was selected, each
candidate's figures as they were (code, title, score, cost by year, people by role and year, forced),
the totals, the caps and the capacity used, the optimiser's status and the inputs' date, so that what
the committee saw stays what it saw. A change of the caps or of a forced choice marks it stale until
computed again.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demand.candidates import candidates, capacity
from demand.models import CriteriaSet, PortfolioScenario, ProjectRequest, ScenarioBudget, ScenarioChoice
from demand.models.scenario import MAX_OPEN
from demand.optimiser import Item, choose
from demand.scoring import subject_scores
from pmo.money import reporting_currency
from portfolio.models import Project
from resources.models import ResourceRole

AUTO = "auto"
KEY = re.compile(r"^([rp])(\d+)$")


def scenario_create(
    *, name: str, first_year: int, years: int, criteria_set: CriteriaSet, by, description: str = "",
    use_capacity: bool = True,
) -> PortfolioScenario:  # fmt: skip
    """A new open scenario; refused when `MAX_OPEN` are open already (compared side by side, more would
    not be read)."""
    with transaction.atomic():
        # The open ones locked, then counted (PostgreSQL refuses FOR UPDATE on an aggregate).
        if len(PortfolioScenario.objects.open().select_for_update().values_list("pk", flat=True)) >= MAX_OPEN:
            raise ValidationError(
                _("%(count)d scenarios are open already: archive one before creating another.")
                % {"count": MAX_OPEN}
            )
        return PortfolioScenario.objects.create(
            name=name, description=description, first_year=first_year, years=years,
            criteria_set=criteria_set, use_capacity=use_capacity, created_by=by,
        )  # fmt: skip


def _mark_stale(scenario: PortfolioScenario) -> None:
    if scenario.result and not scenario.result.get("stale"):
        scenario.result["stale"] = True
        scenario.save(update_fields=["result", "updated_at"])


def scenario_set_budgets(*, scenario: PortfolioScenario, caps: dict[int, Decimal | None]) -> None:
    """The cap of each year of the scenario; None removes a year's cap (no limit that year)."""
    with transaction.atomic():
        for year, cap in caps.items():
            if year not in scenario.year_range:
                continue
            if cap is None:
                ScenarioBudget.objects.filter(scenario=scenario, year=year).delete()
            else:
                ScenarioBudget.objects.update_or_create(scenario=scenario, year=year, defaults={"cap": cap})
        _mark_stale(scenario)


def scenario_force(*, scenario: PortfolioScenario, key: str, forced: str) -> None:
    """Force the candidate `key` ("r<request id>" or "p<project id>") in, out, or leave it to the
    optimiser ("auto")."""
    match = KEY.match(key or "")
    if not match or forced not in (*ScenarioChoice.Forced.values, AUTO):
        raise ValidationError(_("Unknown candidate or choice."))
    is_request, pk = match.group(1) == "r", int(match.group(2))
    target = {"request_id": pk} if is_request else {"project_id": pk}
    model = ProjectRequest if is_request else Project
    if not model.objects.filter(pk=pk).exists():
        raise ValidationError(_("Unknown candidate or choice."))
    with transaction.atomic():
        if forced == AUTO:
            ScenarioChoice.objects.filter(scenario=scenario, **target).delete()
        else:
            ScenarioChoice.objects.update_or_create(scenario=scenario, **target, defaults={"forced": forced})
        _mark_stale(scenario)


def forced_keys(scenario: PortfolioScenario) -> dict[str, str]:
    """{candidate key: "in" | "out"}: one query."""
    return {
        f"r{request_id}" if request_id else f"p{project_id}": forced
        for request_id, project_id, forced in scenario.choices.values_list(
            "request_id", "project_id", "forced"
        )
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def scenario_compute(*, scenario: PortfolioScenario, today=None) -> PortfolioScenario:
    """Read the candidates, their scores and the capacity, choose, and store the result."""
    today = today or timezone.localdate()
    years = scenario.year_range
    pool = candidates(years=years, today=today)
    by_request, by_project = subject_scores(
        criteria_set=scenario.criteria_set,
        request_ids=[c.pk for c in pool if c.is_request],
        project_ids=[c.pk for c in pool if not c.is_request],
    )

    def score_of(candidate) -> Decimal | None:
        found = (by_request if candidate.is_request else by_project).get(candidate.pk)
        return found.mean if found else None

    caps = dict(scenario.budgets.values_list("year", "cap"))
    available = capacity(years=years, today=today) if scenario.use_capacity else None
    forced = forced_keys(scenario)
    items = [Item(c.key, score_of(c), c.cost, c.people, c.code) for c in pool]
    choice = choose(
        items,
        budget_caps=caps,
        capacity=available,
        forced_in=[key for key, value in forced.items() if value == ScenarioChoice.Forced.IN],
        forced_out=[key for key, value in forced.items() if value == ScenarioChoice.Forced.OUT],
    )
    role_ids = {role for c in pool for role, _year in c.people} | {role for role, _year in available or {}}
    roles = {
        pk: {"fr": name, "en": name_en or name}
        for pk, name, name_en in ResourceRole.objects.filter(pk__in=role_ids).values_list(
            "pk", "name", "name_en"
        )
    }
    scenario.result = {
        "status": choice.status,
        "stale": False,
        "inputs_on": today.isoformat(),
        "currency": reporting_currency(),
        "selected": choice.selected,
        "score": str(choice.score),
        "cost": {str(year): str(choice.cost.get(year, Decimal(0))) for year in years},
        "caps": {str(year): str(cap) for year, cap in caps.items()},
        "people": [[role, year, str(used)] for (role, year), used in sorted(choice.people.items())],
        "capacity": [[role, year, str(value)] for (role, year), value in sorted((available or {}).items())],
        "roles": {str(pk): names for pk, names in roles.items()},  # the name in each language
        "broken": [
            {"kind": b.kind, "year": b.year, "role": b.role, "used": str(b.used), "limit": str(b.limit)}
            for b in choice.broken
        ],
        "uncosted": choice.uncosted,
        "candidates": [
            {
                "key": item.key,
                "project_id": None if c.is_request else c.pk,
                "code": c.code,
                "title": c.title,
                "score": _text(item.score),
                "cost": {str(year): _text(value) for year, value in c.cost.items()},
                "people": [[role, year, str(value)] for (role, year), value in sorted(c.people.items())],
                "forced": forced.get(item.key, ""),
            }
            for item, c in zip(items, pool, strict=True)
        ],
    }
    scenario.computed_at = timezone.now()
    scenario.save(update_fields=["result", "computed_at", "updated_at"])
    return scenario


def scenario_archive(*, scenario: PortfolioScenario) -> None:
    scenario.archived = True
    scenario.save(update_fields=["archived", "updated_at"])
