"""Signals derived from a project's plan and latest status, shown beside the declared RAG.

The overall RAG is what the project manager says; these are what the numbers
say, so that a green that should be red is visible (see DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portfolio.agile import ReleaseFigures
from portfolio.earned_value import EarnedValue, earned_value_at_status
from portfolio.models import Milestone, Project, Rag, StatusReport
from portfolio.models.status import period_of

AMBER: Literal["amber"] = "amber"
RED: Literal["red"] = "red"

SLIP_RED_DAYS = 30
CPI_AMBER = Decimal("0.95")
CPI_RED = Decimal("0.85")
OVERRUN_AMBER = Decimal("0.05")
OVERRUN_RED = Decimal("0.15")
MISSED_PERIODS_RED = 2


@dataclass(frozen=True)
class Signal:
    code: str
    level: Literal["amber", "red"]
    message: str


def project_earned_value(
    *,
    project: Project,
    report: StatusReport | None,
    milestones: Sequence[Milestone],
    phased: Sequence[tuple[date, Decimal]] = (),
    release: ReleaseFigures | None = None,
) -> EarnedValue | None:
    """Earned value from the latest report, at that report's status date; None when undefined. PV follows
    the project's phased budget (`phased`, from `portfolio.earned_value.phased_budgets`, which the caller
    reads) when it has one, its baseline dates and milestones otherwise; an agile project's release plan
    (`release`, from `portfolio.agile.release_of`) makes it AgileEVM's."""
    if report is None:
        return None
    return earned_value_at_status(
        bac=project.budget,
        period=report.period,
        percent_complete=report.percent_complete,
        actual_cost=report.actual_cost,
        start=project.baseline_start,
        end=project.baseline_end,
        milestones=[(m.baseline_date, m.weight) for m in milestones],
        phased=phased,
        release=release,
        points_done=report.release_points_done,
        release_points=report.release_points,
    )


def _schedule(project: Project) -> list[Signal]:
    slip = project.slip_days
    if not slip or slip <= 0:
        return []
    message = ngettext(
        "Forecast end %(days)d day after the baseline end.",
        "Forecast end %(days)d days after the baseline end.",
        slip,
    ) % {"days": slip}
    return [Signal("schedule_slip", RED if slip > SLIP_RED_DAYS else AMBER, message)]


def _milestones(milestones: Sequence[Milestone], today: date) -> list[Signal]:
    signals = []
    slipped = [m for m in milestones if m.slip_days > 0]
    if slipped:
        worst = max(m.slip_days for m in slipped)
        message = ngettext(
            "%(count)d milestone slipped against its baseline (worst: %(days)d days).",
            "%(count)d milestones slipped against their baseline (worst: %(days)d days).",
            len(slipped),
        ) % {"count": len(slipped), "days": worst}
        signals.append(Signal("milestones_slipped", AMBER, message))
    overdue = [m for m in milestones if m.is_overdue(today)]
    if overdue:
        message = ngettext(
            "%(count)d milestone overdue: forecast date passed, not met.",
            "%(count)d milestones overdue: forecast date passed, not met.",
            len(overdue),
        ) % {"count": len(overdue)}
        signals.append(Signal("milestones_overdue", RED, message))
    return signals


def _cost(project: Project, report: StatusReport | None, earned_value: EarnedValue | None) -> list[Signal]:
    signals = []
    cpi = earned_value.cpi if earned_value else None
    if cpi is not None and cpi < CPI_AMBER:
        message = _("Cost performance index %(cpi)s: less value earned than spent.") % {"cpi": cpi}
        signals.append(Signal("cost_cpi", RED if cpi < CPI_RED else AMBER, message))
    fac = report.forecast_at_completion if report else None
    if fac is not None and project.budget:
        overrun = (fac - project.budget) / project.budget
        if overrun > OVERRUN_AMBER:
            message = _("Forecast at completion %(percent)s%% above the budget.") % {
                "percent": round(overrun * 100)
            }
            signals.append(Signal("cost_overrun", RED if overrun > OVERRUN_RED else AMBER, message))
    return signals


def _reporting(project: Project, report: StatusReport | None, today: date) -> list[Signal]:
    # Only a running project owes a weekly status; a proposed, paused or closed one does not.
    if project.state != Project.State.ACTIVE:
        return []
    current = period_of(today)
    if report is None:
        return [Signal("not_reported", AMBER, _("No status report yet."))]
    if report.period >= current:
        return []
    missed = (current - report.period) // timedelta(weeks=1)
    message = ngettext(
        "Not reported this period: last status %(weeks)d week ago.",
        "Not reported this period: last status %(weeks)d weeks ago.",
        missed,
    ) % {"weeks": missed}
    return [Signal("not_reported", RED if missed > MISSED_PERIODS_RED else AMBER, message)]


def derived_signals(
    *,
    project: Project,
    report: StatusReport | None,
    milestones: Sequence[Milestone],
    today: date,
    phased: Sequence[tuple[date, Decimal]] = (),
    release: ReleaseFigures | None = None,
) -> list[Signal]:
    earned_value = project_earned_value(
        project=project, report=report, milestones=milestones, phased=phased, release=release
    )
    return [
        *_schedule(project),
        *_milestones(milestones, today),
        *_cost(project, report, earned_value),
        *_reporting(project, report, today),
        # Signals from other apps' data (overdue actions, open high risks) come from the providers
        # below, which may query: see provided_signals.
    ]


# Other apps contribute signals (overdue actions, open high risks) without portfolio depending on
# them: each registers, in its AppConfig.ready(), a function (*, project, user, today) -> list[Signal].
SignalProvider = Callable[..., list[Signal]]
_providers: dict[str, SignalProvider] = {}


def register_signal_provider(name: str, provider: SignalProvider) -> None:
    """Add (or replace: `ready()` may run twice) the provider called `name`."""
    _providers[name] = provider


def provided_signals(*, project: Project, user, today: date) -> list[Signal]:
    """The signals of the registered providers, in the order of their names; each costs its queries."""
    return [
        signal
        for _name, provider in sorted(_providers.items())
        for signal in provider(project=project, user=user, today=today)
    ]


def contradiction(report: StatusReport | None, signals: Sequence[Signal]) -> bool:
    """A declared green that the signals contradict: one red, or at least two ambers."""
    if report is None or report.overall_rag != Rag.GREEN:
        return False
    levels = [signal.level for signal in signals]
    return RED in levels or levels.count(AMBER) >= 2
