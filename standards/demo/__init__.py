"""The standards demo (see pmo.demo for how seed_demo runs the seeders): exception reports (part 5)."""

from __future__ import annotations

from pmo.demo import DemoContext


def has_data() -> bool:
    from standards.models import ExceptionReport

    return ExceptionReport.objects.exists()


def reset() -> None:
    from standards.models import ExceptionReport, RecoveryAction

    RecoveryAction.objects.all().delete()
    ExceptionReport.objects.update(chosen_option=None, decision=None)
    ExceptionReport.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    from standards.demo import exceptions

    exceptions.seed(ctx)
