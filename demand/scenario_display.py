"""A computed scenario as a reader sees it: rows, totals against the caps, capacity use, what drops out,
and the comparison of several; read from the stored result (no query but the ones the caller passes in).

A candidate that is a confidential project `user` may not see is "a confidential project": its figures
stay in the totals, its code and title are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from demand.models import PortfolioScenario


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass
class Row:
    key: str
    code: str
    title: str
    hidden: bool
    selected: bool
    score: Decimal | None
    cost: list[Decimal | None]
    people: Decimal
    forced: str  # now
    forced_then: str = ""  # when computed


@dataclass
class Use:
    label: str
    used: Decimal
    limit: Decimal | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


@dataclass
class View:
    scenario: PortfolioScenario
    years: list[int]
    computed: bool = False
    rows: list[Row] = field(default_factory=list)
    cost: list[Use] = field(default_factory=list)
    capacity: list[tuple[str, list[Use]]] = field(default_factory=list)
    score: Decimal = Decimal(0)
    status: str = ""
    broken: list[str] = field(default_factory=list)
    stale: bool = False
    inputs_on: date | None = None
    currency: str = ""

    @property
    def selected(self) -> list[Row]:
        return [row for row in self.rows if row.selected]

    @property
    def dropped(self) -> list[Row]:
        """What drops out: the candidates not selected, best score first."""
        return sorted(
            (row for row in self.rows if not row.selected),
            key=lambda row: (row.score is None, -(row.score or 0), row.code),
        )


def scenario_view(scenario: PortfolioScenario, *, hidden: set[int], forced: dict[str, str]) -> View:
    years = scenario.year_range
    view = View(scenario, years)
    result = scenario.result
    if not result:
        return view
    view.computed, view.status, view.stale = True, result["status"], result.get("stale", False)
    view.score, view.currency = Decimal(result["score"]), result["currency"]
    view.inputs_on = date.fromisoformat(result["inputs_on"])
    selected = set(result["selected"])
    for item in result["candidates"]:
        is_hidden = item["project_id"] in hidden
        view.rows.append(
            Row(
                key=item["key"],
                code="" if is_hidden else item["code"],
                title=_("a confidential project") if is_hidden else item["title"],
                hidden=is_hidden,
                selected=item["key"] in selected,
                score=_dec(item["score"]),
                cost=[_dec(item["cost"].get(str(year), "0")) for year in years],
                people=sum((Decimal(value) for _role, _year, value in item["people"]), Decimal(0)),
                forced=forced.get(item["key"], ""),
                forced_then=item.get("forced", ""),
            )
        )
    caps = result["caps"]
    view.cost = [
        Use(str(year), Decimal(result["cost"][str(year)]), _dec(caps.get(str(year)))) for year in years
    ]
    language = (get_language() or "fr")[:2]
    roles = {
        pk: names if isinstance(names, str) else names.get(language, names["fr"])
        for pk, names in result["roles"].items()
    }
    used = {(str(role), year): Decimal(value) for role, year, value in result["people"]}
    available = {(str(role), year): Decimal(value) for role, year, value in result["capacity"]}
    for role in sorted({role for role, _year in used | available}, key=lambda pk: roles.get(pk, "")):
        view.capacity.append(
            (
                roles.get(role, "?"),
                [
                    Use(str(year), used.get((role, year), Decimal("0.0")), available.get((role, year)))
                    for year in years
                ],
            )
        )
    for broken in result["broken"]:
        if broken["kind"] == "budget":
            view.broken.append(
                _("Budget %(year)s: the projects forced in cost %(used)s, the cap is %(limit)s.") % broken
            )
        else:
            view.broken.append(
                _(
                    "%(role)s in %(year)s: the projects forced in need %(used)s person-months, "
                    "%(limit)s available."
                )
                % {**broken, "role": roles.get(str(broken["role"]), "?")}
            )
    return view


@dataclass
class Line:
    code: str
    title: str
    states: list[bool | None]  # per scenario: in, out, or not a candidate there

    @property
    def differs(self) -> bool:
        return len(set(self.states)) > 1


def comparison_lines(views: list[View]) -> list[Line]:
    """Candidates x scenarios: in / out in each, the ones that differ first (then by code)."""
    names: dict[str, tuple[str, str]] = {}
    states: dict[str, list[bool | None]] = {}
    for index, view in enumerate(views):
        for row in view.rows:
            names.setdefault(row.key, (row.code, row.title))
            states.setdefault(row.key, [None] * len(views))[index] = row.selected
    lines = [Line(*names[key], states[key]) for key in states]
    return sorted(lines, key=lambda line: (not line.differs, line.code, line.title))


def capacity_by_role(views: list[View]) -> list[tuple[str, list[list[Use]]]]:
    """Role x scenarios: each scenario's use of the role by year (empty where it uses none)."""
    roles = sorted({role for view in views for role, _uses in view.capacity})
    by_view = [dict(view.capacity) for view in views]
    return [(role, [uses.get(role, []) for uses in by_view]) for role in roles]
