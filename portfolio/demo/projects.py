"""The demo's projects: who runs and sponsors them, their dates, budget, state, phase and team."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from pmo.demo import DemoContext
from pmo.models import User
from pmo.roles import Role
from portfolio.demo.themes import REGIONS, SCOPES, THEME_WEIGHTS, THEMES, Theme
from portfolio.models import Phase, Project

State = Project.State
STATES = [State.ACTIVE, State.PROPOSED, State.ON_HOLD, State.CLOSED, State.CANCELLED]
STATE_WEIGHTS = [70, 10, 8, 10, 2]
PM1_PROJECTS = (6, 8)
CONFIDENTIAL_SHARE = 0.05
BUDGET_RANGE = (500_000, 80_000_000)
LIVE_STATES = (State.ACTIVE, State.ON_HOLD)
OBJECTIVES = [
    "Croissance du produit net bancaire",
    "Excellence opérationnelle",
    "Conformité et maîtrise des risques",
    "Satisfaction et fidélisation client",
    "Transformation digitale",
    "Réduction des coûts",
    "Sécurité et résilience du SI",
    "Valorisation des données",
]
METHODOLOGIES = [Project.Methodology.CLASSIC, Project.Methodology.AGILE, Project.Methodology.HYBRID]
METHODOLOGY_WEIGHTS = [50, 30, 20]
PRIORITY_WEIGHTS = [10, 30, 45, 15]  # critical, high, medium, low
# The phase a live project is in, by its share of work done: (upper bound of % complete, phase order).
PHASE_BY_PROGRESS = [(10, 0), (25, 1), (70, 2), (90, 3), (101, 4)]


def build_projects(ctx: DemoContext) -> list[Project]:
    rng, count = ctx.rng, ctx.project_count
    pm1, *others = ctx.project_managers
    # pm1 is the project manager people log in as: a handful of projects, one late, one confidential.
    pm1_projects = sorted(rng.sample(range(count), min(count, rng.randint(*PM1_PROJECTS))))
    late_one, confidential_one = pm1_projects[0], pm1_projects[min(1, len(pm1_projects) - 1)]
    workloads = [rng.uniform(0.5, 1.5) for _pm in others]
    names = _Names(rng)
    projects = []
    for index in range(count):
        portfolio_index = rng.choices(range(len(THEMES)), weights=THEME_WEIGHTS)[0]
        theme, portfolio = THEMES[portfolio_index], ctx.portfolios[portfolio_index]
        # Mostly the portfolio's own directorate; some projects are run by another unit.
        directorate = portfolio.directorate if rng.random() < 0.75 else rng.choice(ctx.directorates)
        sponsor = rng.choice(ctx.sponsors_by_directorate.get(directorate.pk) or ctx.sponsors)
        manager = pm1 if index in pm1_projects or not others else rng.choices(others, weights=workloads)[0]
        state = rng.choices(STATES, weights=STATE_WEIGHTS)[0]
        slip = 0 if state == State.PROPOSED else _slip(rng)
        if index == late_one:
            state, slip = State.ACTIVE, rng.randint(30, 120)
        baseline_start, baseline_end = _baseline(rng, ctx.today, state, slip)
        name = names.next(theme)
        projects.append(
            Project(
                code=f"PRJ-{index + 1:04d}",
                name=name,
                description=f"{rng.choice(theme.goals)} {rng.choice(SCOPES)}",
                directorate=directorate,
                portfolio=portfolio,
                sponsor=sponsor,
                project_manager=manager,
                state=state,
                baseline_start=baseline_start,
                baseline_end=baseline_end,
                forecast_start=baseline_start,
                forecast_end=baseline_end + timedelta(days=slip),
                budget=_budget(rng),
                currency=settings.DEFAULT_CURRENCY,
                confidential=index == confidential_one or rng.random() < CONFIDENTIAL_SHARE,
            )
        )
    return projects


class _Names:
    """Project names from a theme's actions and objects; a repeated name gets a lot, phase or region."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: dict[str, int] = {}
        self.used: set[str] = set()

    def next(self, theme: Theme) -> str:
        action = self.rng.choice(list(theme.names))
        base = f"{action} {self.rng.choice(theme.names[action])}"
        occurrence = self.seen[base] = self.seen.get(base, 0) + 1
        name = base
        if occurrence > 1:
            name = f"{base} — {self.rng.choice([f'lot {occurrence}', f'phase {occurrence}', *REGIONS])}"
            if name in self.used:
                name = f"{base} — lot {occurrence}"
        self.used.add(name)
        return name


def _slip(rng: random.Random) -> int:
    """Days between the baseline end and the forecast end: mostly on time, some late, a few ahead."""
    draw = rng.random()
    if draw < 0.60:
        return 0
    if draw < 0.85:
        return rng.randint(10, 90)
    if draw < 0.95:
        return rng.randint(90, 200)
    return -rng.randint(10, 30)


def _baseline(rng: random.Random, today: date, state: str, slip: int) -> tuple[date, date]:
    """Baseline dates that fit the state: a proposed project starts later, a closed one has finished."""
    if state == State.PROPOSED:
        start = today + timedelta(days=rng.randint(15, 182))
    elif state == State.CLOSED:
        start = today - timedelta(days=rng.randint(400, 730))
        # Its forecast (here: actual) end falls at least two weeks before today.
        room = (today - timedelta(days=15 + max(slip, 0)) - start).days
        return start, start + timedelta(days=rng.randint(183, min(room, 1095)))
    else:
        start = today - timedelta(days=rng.randint(14, 730))
    end = start + timedelta(days=round(rng.randint(6, 36) * 30.44))
    if state == State.PROPOSED:
        return start, end
    # A live project has not yet passed its forecast end (baseline end + slip).
    return start, max(end, today + timedelta(days=rng.randint(30, 120) - slip))


def _budget(rng: random.Random) -> Decimal:
    """Spread log-uniformly: many small projects, a few very large programmes."""
    low, high = BUDGET_RANGE
    amount = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(int(round(amount, -3)))


def progress(project: Project, day: date) -> float:
    """Share of the work done at `day` if it goes at the pace of its forecast: the elapsed share of the
    span from its start to its forecast end (a late project is behind its baseline)."""
    if project.state == State.CLOSED:
        return 1.0
    span = (project.forecast_end - project.baseline_start).days
    return min(max((day - project.baseline_start).days / span, 0.0), 1.0) if span > 0 else 0.0


def add_details(projects: list[Project], rng: random.Random, today: date) -> None:
    """Methodology, priority, strategic objective and a phase that fits the work done."""
    phases = list(Phase.objects.order_by("order", "pk"))
    for project in projects:
        project.methodology = rng.choices(METHODOLOGIES, weights=METHODOLOGY_WEIGHTS)[0]
        project.priority = rng.choices(Project.Priority.values, weights=PRIORITY_WEIGHTS)[0]
        project.strategic_objective = rng.choice(OBJECTIVES)
        if not phases:
            continue
        if project.state == State.PROPOSED:
            project.phase = phases[0]
        elif project.state == State.CLOSED:
            project.phase = phases[-1]
        else:
            done = 100 * progress(project, today)
            order = next(order for bound, order in PHASE_BY_PROGRESS if done < bound)
            project.phase = phases[min(order, len(phases) - 1)]


def seed_team_members(ctx: DemoContext, rng: random.Random) -> dict[int, list[User]]:
    """Two to five members per project; returns them by project id (the milestones' owners come from them)."""
    people = [*ctx.project_managers, *ctx.users_by_role.get(Role.COMMITTEE_MEMBER, [])]
    through = Project.team_members.through
    rows = []
    teams: dict[int, list[User]] = {}
    for project in ctx.projects:
        candidates = [
            user for user in people if user.pk not in (project.project_manager_id, project.sponsor_id)
        ]
        members = rng.sample(candidates, min(len(candidates), rng.randint(2, 5)))
        teams[project.pk] = members
        rows += [through(project_id=project.pk, user_id=user.pk) for user in members]
    through.objects.bulk_create(rows)
    return teams
