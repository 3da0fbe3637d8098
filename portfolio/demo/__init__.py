"""Demo portfolios and projects (see pmo.demo for how seed_demo runs the seeders).

One portfolio per theme (`themes`), N projects (`projects`: dates, budget, state, phase, team), their
milestones (`milestones`), up to a year of weekly status (`status`), their planned phases (`phases`) and
the dependencies between their milestones (`dependencies`), the PMO's delivery confidence
assessments of a third of the active ones (`confidence`), then the audit trail of all of it
(`history`). What the plan added (milestone owners and deliverables, phases, dated dependencies) draws
from a stream of its own, so the projects and milestones
are those of the same seed before.
"""

from __future__ import annotations

import random

from pmo.audit import forget_history
from pmo.demo import DemoContext
from portfolio.demo.confidence import seed_confidence
from portfolio.demo.dependencies import seed_dependencies
from portfolio.demo.milestones import seed_milestones
from portfolio.demo.phases import seed_phase_plans
from portfolio.demo.projects import add_details, build_projects, seed_team_members
from portfolio.demo.reviews import seed_reviews
from portfolio.demo.status import seed_status_history
from portfolio.demo.themes import THEMES
from portfolio.models import DeliveryConfidence, Milestone, Portfolio, Project, ReleasePlan, StatusReport


def has_data() -> bool:
    return Project.objects.exists() or Portfolio.objects.exists()


def reset() -> None:
    forget_history(Project, StatusReport, Milestone, DeliveryConfidence, ReleasePlan)
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
    teams = seed_team_members(ctx, rng)
    plan_rng = random.Random(f"{ctx.seed}:portfolio-plan")
    milestones = seed_milestones(ctx, rng, plan_rng, teams)
    seed_status_history(ctx, rng)
    seed_phase_plans(ctx)
    seed_dependencies(ctx, plan_rng, milestones)
    seed_confidence(ctx, random.Random(f"{ctx.seed}:portfolio-confidence"))
    seed_reviews(ctx, random.Random(f"{ctx.seed}:portfolio-reviews"))
