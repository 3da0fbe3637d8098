"""`manage.py seed_demo [--projects N] [--seed S] [--today YYYY-MM-DD] [--reset]`: deterministic demo data.

Each domain app contributes through its optional `demo` module (see pmo.demo):
the seeders run in the order of settings.DOMAIN_APPS, in one transaction. The
same seed and the same anchor day (`--today`, by default the day the command
runs) give the same data and the same audit trail, whatever the time of day:
dates are relative to the anchor, and what the services stamp with the wall
clock during the run reads as the anchor's morning (DemoContext.dated).
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from datetime import date
from types import ModuleType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pmo.audit import history_paused
from pmo.demo import DemoContext


def demo_modules() -> list[tuple[str, ModuleType]]:
    """The `demo` module of each domain app that has one, core first."""
    return [
        (app, importlib.import_module(f"{app}.demo"))
        for app in settings.DOMAIN_APPS
        if importlib.util.find_spec(f"{app}.demo") is not None
    ]


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo data: directorates, users (one login per role, password "
        "'demo'), portfolios, projects and what later apps add. Does nothing if data exists, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=60, help="Number of projects (at least 1).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: same seed, same data.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The day the demo is anchored to (YYYY-MM-DD; default: today): same seed, day and data.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete existing projects, portfolios, ALL users and directorates first, then seed.",
        )

    def handle(
        self, *args, projects: int, seed: int, reset: bool, today: date | None = None, **options
    ) -> None:
        if projects < 1:
            raise CommandError(_("--projects must be at least 1."))
        modules = demo_modules()
        started = time.perf_counter()
        with transaction.atomic():
            # The seeders bulk-insert without history; each app's `seed_history` then writes the trail
            # of what it made, in bulk too (a save-by-save trail would cost a query per row).
            with history_paused():
                if reset:
                    # Later apps' rows point at earlier apps' rows: delete them first.
                    for _app, module in reversed(modules):
                        if hasattr(module, "reset"):
                            module.reset()
                elif any(module.has_data() for _app, module in modules if hasattr(module, "has_data")):
                    self.stdout.write(
                        _(
                            "The database already holds data: nothing was changed. "
                            "Run seed_demo --reset to replace it with demo data."
                        )
                    )
                    return
                today = today or timezone.localdate()
                ctx = DemoContext.start(seed=seed, project_count=projects, today=today)
                for app, module in modules:
                    ctx.use_stream(app)
                    module.seed(ctx)
            for app, module in modules:
                if hasattr(module, "seed_history"):
                    ctx.use_stream(f"{app}:history")
                    module.seed_history(ctx)
        self.report(ctx, time.perf_counter() - started)

    def report(self, ctx: DemoContext, seconds: float) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS(_("Demo data created (seed %(seed)s):") % {"seed": ctx.seed}))
        lines = [(capfirst(model._meta.verbose_name_plural), number) for model, number in ctx.created]
        lines.append((_("Audit trail records"), ctx.history_records))
        width = max(len(label) for label, _number in lines)
        for label, number in lines:
            write(f"  {label:<{width}}  {number:>6}")
        write("")
        write(_("Demo logins:"))
        rows = [(_("Username"), _("Role"), _("Password"))]
        rows += [(username, str(role), password) for username, role, password in ctx.logins]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            write("  " + "  ".join(cell.ljust(widths[column]) for column, cell in enumerate(row)).rstrip())
        write("")
        write(_("Done in %(seconds).1f s.") % {"seconds": seconds})
