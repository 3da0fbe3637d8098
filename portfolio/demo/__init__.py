"""Demo portfolios and projects (see pmo.demo for how seed_demo runs the seeders).

One portfolio per theme (`themes`), N projects (`projects`: dates, budget, state, phase, team), their
milestones and dependencies (`milestones`), up to a year of weekly status (`status`), then the audit
trail of all of it (`history`). Each draws in the same order from the same streams as before the split,
so the same seed and day give the same data.
"""

from __future__ import annotations

import random

from pmo.audit import forget_history
from pmo.demo import DemoContext
from portfolio.demo.milestones import seed_dependencies, seed_milestones
from portfolio.demo.projects import add_details, build_projects, seed_team_members
from portfolio.demo.status import seed_status_history
from portfolio.demo.themes import THEMES
from portfolio.models import Milestone, Portfolio, Project, StatusReport


def has_data() -> bool:
    return Project.objects.exists() or Portfolio.objects.exists()


def reset() -> None:
    forget_history(Project, StatusReport, Milestone)
    Project.objects.all().delete()
    Portfolio.objects.all().delete()


def seed_history(ctx: DemoContext) -> None:
    """The audit trail of the rows `seed` made (see portfolio.demo.history)."""
    from portfolio.demo.history import seed_history as seed_portfolio_history

    seed_portfolio_history(ctx)


def seed(ctx: DemoContext) -> None:
    directorates = {directorate.code: directorate for directorate in ctx.directorates}
    ctx.portfolios = Portfolio.objects.bulk_create(
        Portfolio(
            code=theme.code,
            name=theme.name,
            description=theme.description,
            directorate=directorates[theme.directorate],
            owner=ctx.sponsors_by_directorate[directorates[theme.directorate].pk][0],
        )
        for theme in THEMES
    )
    ctx.count(Portfolio, len(ctx.portfolios))
    projects = build_projects(ctx)
    # The details below draw from a stream of their own, so the projects above stay as they were.
    rng = random.Random(f"{ctx.seed}:portfolio-details")
    add_details(projects, rng, ctx.today)
    ctx.projects = Project.objects.bulk_create(projects)
    ctx.count(Project, len(ctx.projects))
    seed_team_members(ctx, rng)
    seed_milestones(ctx, rng)
    seed_dependencies(ctx, rng)
    seed_status_history(ctx, rng)
