"""The resources demo's rows and their audit trail (see resources.demo for the story they tell).

Demand first, in memory; then capacity sized from it, cell by cell (directorate x role x month): at
least the demand at a comfortable load, except the hot spot (over) and the cells near the limit. Every
row bulk-inserted.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import NamedTuple

from governance.models import Committee, Meeting
from pmo import audit
from pmo.demo import DemoContext
from pmo.months import add_months, month_of, months_between
from pmo.roles import Role
from portfolio.models import Project
from resources.models import Capacity, Demand, ResourceRole


class RoleSpec(NamedTuple):
    code: str
    name: str
    name_en: str
    weight: int  # how often a project asks for it (the project manager: every project)


ROLES = [
    RoleSpec("PM", "Chef de projet", "Project manager", 0),
    RoleSpec("BA", "Analyste métier", "Business analyst", 8),
    RoleSpec("DEV", "Développeur", "Developer", 10),
    RoleSpec("ARCH", "Architecte", "Architect", 4),
    RoleSpec("TEST", "Testeur", "Tester", 6),
    RoleSpec("SEC", "Expert sécurité", "Security expert", 2),
    RoleSpec("DATA", "Data engineer", "Data engineer", 3),
    RoleSpec("CHANGE", "Conduite du changement", "Change management", 3),
    RoleSpec("PO", "Product owner", "Product owner", 3),
    RoleSpec("OPS", "Ingénieur d'exploitation", "Operations engineer", 2),
]
HOT_ROLE = "DEV"
WINDOW_BACK, WINDOW_MONTHS = 6, 24  # capacity and demand: from six months back, for 24 months
OTHER_ROLES = 3  # besides the project manager
NAMED_PM_SHARE = 0.3  # of the projects: the project manager's line names them
COMFORT = (Decimal("0.55"), Decimal("0.85"))  # the load of a covered cell
HOT_LOAD, HOT_MONTHS = Decimal("1.3"), 3
NEAR_LOAD, NEAR_CELLS = Decimal("0.95"), 2
TENTH = Decimal("0.1")
DEMAND_COLUMNS = ["project", "role", "month", "fte", "person", "updated_at"]
CAPACITY_COLUMNS = ["directorate", "role", "month", "fte", "updated_at"]
DEMANDING = (Project.State.ACTIVE, Project.State.PROPOSED)


def fte(value: float | Decimal, rounding=ROUND_FLOOR) -> Decimal:
    return Decimal(str(value)).quantize(TENTH, rounding=rounding)


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rng = ctx, ctx.rng
        self.this_month = month_of(ctx.today)
        self.window = months_between(
            add_months(self.this_month, -WINDOW_BACK),
            add_months(self.this_month, WINDOW_MONTHS - WINDOW_BACK - 1),
        )
        # (directorate id, role id, month) -> demand in FTE
        self.demand: dict[tuple[int, int, date], Decimal] = defaultdict(Decimal)

    def run(self) -> None:
        roles = ResourceRole.objects.bulk_create(
            ResourceRole(code=spec.code, name=spec.name, name_en=spec.name_en, order=10 * (index + 1))
            for index, spec in enumerate(ROLES)
        )
        self.ctx.count(ResourceRole, len(roles))
        self.roles = {role.code: role for role in roles}
        demands = self.demands()
        self.ctx.count(Demand, audit.insert(Demand, DEMAND_COLUMNS, demands))
        capacities = self.capacities()
        self.ctx.count(Capacity, audit.insert(Capacity, CAPACITY_COLUMNS, capacities))
        self.committee_meeting()

    def demands(self) -> list[tuple]:
        first, last = self.window[0], self.window[-1]
        others = [spec for spec in ROLES if spec.weight]
        morning = self.ctx.morning
        rows = []
        for project in self.ctx.projects:
            if project.state not in DEMANDING or not project.directorate_id:
                continue
            months = [
                m for m in months_between(project.baseline_start, project.forecast_end) if first <= m <= last
            ]
            asked = {"PM": fte(self.rng.uniform(0.2, 1.0))}
            while len(asked) < 1 + OTHER_ROLES:
                spec = self.rng.choices(others, weights=[spec.weight for spec in others])[0]
                asked.setdefault(spec.code, fte(self.rng.uniform(0.2, 2.0)))
            named = self.rng.random() < NAMED_PM_SHARE
            for code, amount in asked.items():
                role = self.roles[code]
                person = project.project_manager_id if code == "PM" and named else None
                for month in months:
                    rows.append((project.pk, role.pk, month, amount, person, morning))
                    self.demand[project.directorate_id, role.pk, month] += amount
        return rows

    def capacities(self) -> list[tuple]:
        """Each cell covered at a comfortable load of its (directorate, role); then the hot spot and the
        cells near the limit, in the months to come."""
        capacity: dict[tuple[int, int, date], Decimal] = {}
        for directorate in self.ctx.directorates:
            for role in self.roles.values():
                comfort = Decimal(str(round(self.rng.uniform(*map(float, COMFORT)), 2)))
                floor = Decimal(self.rng.randint(1, 3))
                for month in self.window:
                    need = self.demand.get((directorate.pk, role.pk, month), Decimal(0))
                    capacity[directorate.pk, role.pk, month] = max(floor, fte(need / comfort, ROUND_CEILING))
        coming = [add_months(self.this_month, n) for n in range(1, HOT_MONTHS + 1)]
        hot = self.roles[HOT_ROLE].pk
        busiest = max(
            (d.pk for d in self.ctx.directorates),
            key=lambda pk: (self.demand.get((pk, hot, coming[0]), Decimal(0)), -pk),
            default=None,
        )
        if busiest is not None and self.demand.get((busiest, hot, coming[0])):
            for month in coming:
                need = self.demand.get((busiest, hot, month), Decimal(0))
                if need:
                    capacity[busiest, hot, month] = min(fte(need / HOT_LOAD), need - TENTH)
        # The cells near the limit: the largest demands next month elsewhere, at about 95 %.
        others = sorted(
            (
                (need, key)
                for key, need in self.demand.items()
                if key[2] == coming[0] and key[:2] != (busiest, hot) and need >= 1
            ),
            key=lambda item: (-item[0], item[1]),
        )
        for need, key in others[:NEAR_CELLS]:
            capacity[key] = fte(need / NEAR_LOAD, ROUND_CEILING)
        morning = self.ctx.morning
        return [(*key, amount, morning) for key, amount in capacity.items()]

    def committee_meeting(self) -> None:
        """The portfolio committee's next meeting, planned in the coming weeks, unless it has one."""
        committee = Committee.objects.filter(kind=Committee.Kind.PORTFOLIO).order_by("pk").first()
        if committee is None or committee.meetings.filter(state=Meeting.State.PLANNED).exists():
            return
        day = self.ctx.today + timedelta(days=14)
        day += timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
        pmo = self.ctx.demo_users.get(Role.PMO)
        Meeting.objects.create(
            committee=committee,
            starts_at=audit.local(day, 9, 30),
            planned_minutes=120,
            created_by=pmo or committee.secretary,
        )
        self.ctx.count(Meeting, 1)


def seed_history(ctx: DemoContext) -> None:
    """The catalogue and the capacity entered by the PMO when the window opened; each demand when its
    project was created (portfolio.demo.history), by its project manager."""
    pmo = ctx.demo_users.get(Role.PMO)
    pmo_id = pmo.pk if pmo else None
    opened = min(audit.local(add_months(month_of(ctx.today), -WINDOW_BACK - 1), 9), ctx.morning)
    written = audit.record(
        ResourceRole, ((role, "+", opened, pmo_id, "") for role in ResourceRole.objects.all())
    )
    written += audit.record(
        Capacity, ((row, "+", opened, pmo_id, "") for row in Capacity.objects.order_by("pk").values())
    )
    projects = {
        pk: (created, manager)
        for pk, created, manager in Project.objects.values_list("pk", "created_at", "project_manager_id")
    }
    written += audit.record(
        Demand,
        (
            (row, "+", projects[row["project_id"]][0], projects[row["project_id"]][1], "")
            for row in Demand.objects.order_by("pk").values()
        ),
    )
    ctx.history_records += written
