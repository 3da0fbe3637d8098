"""The demo's audit trail for projects, status reports and milestones (see pmo.demo, `seed_history`).

The demo's rows are bulk-inserted without history; this writes it afterwards, in bulk too: one
"created" record per row, dated when it would have happened (a project three weeks before its start, a
status report on the Friday of its week), by whoever would have done it. Then a story a History tab can
tell, the same for the same seed: the PMO moved the forecast end of the late projects (and revised
the budget of some), and each milestone met got its actual date with a weekly status.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext_noop

from pmo import audit
from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Milestone, Project, StatusReport

LATE_DAYS = 30  # a project whose forecast end is this far past its baseline had its forecast moved
REVISED_BUDGET_SHARE = 0.4  # of those, the share whose budget was revised at the same time


def seed_history(ctx: DemoContext) -> None:
    rng = ctx.rng
    pmo = ctx.demo_users.get(Role.PMO)
    pmo_id = pmo.pk if pmo else None
    yesterday = ctx.today - timedelta(days=1)
    projects = list(Project.objects.order_by("pk"))
    created = {
        p.pk: audit.local(min(p.baseline_start - timedelta(days=21), yesterday), 9, 30) for p in projects
    }
    # A project exists from then on (the financial view as at a past date counts the projects created by
    # then), not from the moment the command ran.
    for project in projects:
        project.created_at = created[project.pk]
    Project.objects.bulk_update(projects, ["created_at"], batch_size=500)

    rows = []
    for project in projects:
        slip = project.slip_days or 0
        if slip < LATE_DAYS or project.state not in (Project.State.ACTIVE, Project.State.ON_HOLD):
            rows.append((project, "+", created[project.pk], pmo_id, ""))
            continue
        # As first planned: on its baseline, maybe on a smaller budget; then the PMO's revision.
        planned = copy.copy(project)
        planned.forecast_end = project.baseline_end
        if project.budget and rng.random() < REVISED_BUDGET_SHARE:
            planned.budget = (project.budget * Decimal("0.9")).quantize(Decimal(1000))
        # Lately (the slip is this month's news), and never before the project was created.
        day = max(
            ctx.today - timedelta(days=rng.randint(3, 28)), created[project.pk].date() + timedelta(days=1)
        )
        moved = audit.local(min(day, yesterday), 10, 32)
        rows.append((planned, "+", created[project.pk], pmo_id, ""))
        rows.append((project, "~", moved, pmo_id, gettext_noop("forecast revised with the sponsor")))
    ctx.history_records += audit.record(Project, rows)

    # Each report on the Friday of its week at five (this week's not after this morning), by its author.
    latest = audit.local(ctx.today, 8)
    written = audit.record_created(
        StatusReport,
        StatusReport.objects.order_by("pk"),
        when=lambda r: min(audit.local(r["period"] + timedelta(days=4), 17), latest),
        who=lambda r: r["submitted_by_id"],
    )
    ctx.history_records += written
    # The reports say so too (submitted_at stamps itself at the seeding): what was in force at a past
    # date (the money spent by then, a revision submitted later) is read from it. One update per week.
    for period in StatusReport.objects.order_by().values_list("period", flat=True).distinct():
        StatusReport.objects.filter(period=period).update(
            submitted_at=min(audit.local(period + timedelta(days=4), 17), latest)
        )

    managers = {p.pk: p.project_manager_id for p in projects}
    rows = []
    for milestone in Milestone.objects.order_by("pk").iterator(chunk_size=5000):
        start = created[milestone.project_id]
        if milestone.actual_date is None:
            rows.append((milestone, "+", start, pmo_id, ""))
            continue
        planned = copy.copy(milestone)
        planned.actual_date = None
        met = min(max(audit.local(milestone.actual_date, 18), start + timedelta(hours=1)), latest)
        rows += [
            (planned, "+", start, pmo_id, ""),
            (milestone, "~", met, managers[milestone.project_id], gettext_noop("with the weekly status")),
        ]
    ctx.history_records += audit.record(Milestone, rows)
