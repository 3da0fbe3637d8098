"""A project's compliance with the PMO's standard, as at a date: the one function behind the score, its
breakdown, the chase page, the project page's panel, the "low compliance" signal, the reminder e-mail and
the `compliance` KPI.

Four components, each a (done, due) pair, None when nothing is due (never 0/0 = 0):

- deliverables: the rows of `standards.selectors.deliverables_due` (the one reading of what a project
  owes); done when approved or waived. Read as they stand today: deliverables keep no dated state here.
- statuses: the last `PERIODS` weekly reporting periods whose deadline (the week's Sunday plus the
  `StatusPolicy` grace) passed by `on`, from the project's start (the later of its creation and its
  baseline start) and while it was active (its audit trail); on time when a status for the period was
  first submitted by that deadline. The dashboard's "status compliance" counts who reported for a week at
  all; this one asks whether they did so on time.
- gates: the gate reviews decided "go with conditions" by `on`; done when every action created from the
  gate's decision (cancelled ones aside) was completed by `on` (a gate whose decision created no action
  has nothing left open).
- risks: the project's risks open at the end of `on` (`risks.selectors.open_on`); on time when their next
  review date then (from the risk's history) is not before `on`, the rule of `Risk.review_overdue`.

The score is the mean of the defined components' ratios x 100, rounded to a whole percent; None ("n/a")
when no component is defined. A fixed number of queries whatever the number of projects (see
`compliance`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Min, OuterRef, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Action, GateReview
from pmo.months import end_of
from portfolio.models import Project, StatusPolicy, StatusReport
from portfolio.models.status import period_of
from risks.models import Risk
from risks.selectors import open_on
from standards.selectors import deliverables_due

PERIODS = 8  # the reporting periods the statuses component looks back over
AMBER_FROM = 60  # below it, the "low compliance" signal (the KPI's default amber threshold)
GREEN_FROM = 80
HUNDRED = Decimal(100)

DELIVERABLES, STATUSES, GATES, RISKS = "deliverables", "statuses", "gates", "risks"
LABELS = {
    DELIVERABLES: _("Deliverables approved"),
    STATUSES: _("Statuses on time"),
    GATES: _("Gate conditions closed"),
    RISKS: _("Risks reviewed on time"),
}
SHORT_LABELS = {
    DELIVERABLES: _("Deliverables"),
    STATUSES: _("Statuses"),
    GATES: _("Gates"),
    RISKS: _("Risks"),
}


@dataclass(frozen=True)
class Missing:
    """One thing a component lacks, by name. `what` is the object (a requirement, a period's Monday, an
    action, a risk), `context` what it belongs to (the phase, the gate review), `on` a date that says why
    (the deadline missed, the review date passed)."""

    what: object
    context: object = None
    on: date | None = None


@dataclass(frozen=True)
class Component:
    name: str
    done: int
    due: int
    missing: tuple[Missing, ...] = ()

    @property
    def label(self):
        return LABELS[self.name]

    @property
    def short_label(self):
        return SHORT_LABELS[self.name]

    @property
    def ratio(self) -> Decimal:
        return Decimal(self.done) / Decimal(self.due)

    @property
    def percent(self) -> int:
        return whole(self.ratio * HUNDRED)


@dataclass
class Compliance:
    project: Project
    on: date
    components: dict[str, Component | None] = field(default_factory=dict)

    @property
    def defined(self) -> list[Component]:
        return [c for c in self.components.values() if c is not None]

    @property
    def score(self) -> int | None:
        defined = self.defined
        if not defined:
            return None
        return whole(sum((c.ratio for c in defined), Decimal(0)) / len(defined) * HUNDRED)

    @property
    def missing_count(self) -> int:
        return sum(len(c.missing) for c in self.defined)

    def items(self) -> list[tuple[str, Component | None]]:
        """The components in their fixed order, each with its name (None: nothing due)."""
        return [(name, self.components.get(name)) for name in LABELS]

    @property
    def level(self) -> str:
        """green / amber / red against the KPI's default thresholds; "" when n/a."""
        return level_of(self.score)


def whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def level_of(score: int | Decimal | None) -> str:
    if score is None:
        return ""
    return "green" if score >= GREEN_FROM else "amber" if score >= AMBER_FROM else "red"


def portfolio_score(results: Iterable[Compliance]) -> Decimal | None:
    """The mean score of the projects that have one, to a whole percent; None when none has."""
    scores = [r.score for r in results if r.score is not None]
    if not scores:
        return None
    return Decimal(whole(Decimal(sum(scores)) / len(scores)))


def _component(name: str, done: int, due: int, missing: list[Missing]) -> Component | None:
    return Component(name, done, due, tuple(missing)) if due else None


# --- The project's life: when it owes statuses ------------------------------------------------------------


def _states(projects: list[Project], until: datetime) -> dict[int, list[tuple[datetime, str]]]:
    """Each project's recorded lifecycle states up to `until`, in order (one query)."""
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for pk, when, state in (
        Project.history.filter(id__in=[p.pk for p in projects], history_date__lte=until)
        .order_by("history_date", "history_id")
        .values_list("id", "history_date", "state")
    ):
        changes[pk].append((when, state))
    return changes


def _active_at(project: Project, changes: list[tuple[datetime, str]], moment: datetime) -> bool:
    """Active at `moment` by the audit trail (today's state when the trail starts later)."""
    recorded = [state for when, state in changes if when <= moment]
    return (recorded[-1] if recorded else project.state) == Project.State.ACTIVE


def periods_due(project: Project, changes, *, on: date, grace_days: int) -> list[tuple[date, date]]:
    """The (period, deadline) pairs the project owed a status for, as at `on`, latest first: at most
    `PERIODS`, whose deadline passed by `on`, from its start, while it was active."""
    start = timezone.localdate(project.created_at)
    if project.baseline_start is not None:
        start = max(start, project.baseline_start)
    first = period_of(start)
    grace = timedelta(days=6 + grace_days)
    period = period_of(on - grace - timedelta(days=1))  # the latest period whose deadline is before `on`
    due = []
    while len(due) < PERIODS and period >= first:
        if _active_at(project, changes, end_of(period + timedelta(days=6))):
            due.append((period, period + grace))
        period -= timedelta(weeks=1)
    return due


# --- The function ---------------------------------------------------------------------------------------


def compliance(projects: Iterable[Project], *, on: date, kept: bool = False) -> dict[int, Compliance]:
    """{project id: its compliance as at `on`}. Ten queries whatever the number of projects: the
    deliverables due (four), the status policy, the audit trail, the first submissions, the gate
    reviews and their actions, the risks open then (and the projects' phases when not joined); `kept`:
    what the project page's panels read of what is due (standards.selectors)."""
    projects = list(projects)
    results = {p.pk: Compliance(project=p, on=on) for p in projects}
    if not projects:
        return results
    ids = [p.pk for p in projects]
    prefetch_related_objects(projects, "phase")  # what deliverables_due reads; none when joined already

    # 1. Deliverables (standards.selectors, four queries).
    for pk, rows in deliverables_due(projects, kept=kept).items():
        missing = [Missing(row.requirement, row.requirement.phase) for row in rows if not row.is_done]
        results[pk].components[DELIVERABLES] = _component(
            DELIVERABLES, len(rows) - len(missing), len(rows), missing
        )

    # 2. Statuses on time (three queries).
    grace_days = StatusPolicy.current().grace_days
    changes = _states(projects, end_of(on))
    owed = {p.pk: periods_due(p, changes.get(p.pk, []), on=on, grace_days=grace_days) for p in projects}
    # The first submission of each period owed (every revision counts: the first one was on time or not).
    earliest = min((period for rows in owed.values() for period, _deadline in rows), default=period_of(on))
    first_submitted: dict[tuple[int, date], datetime] = {
        (pk, period): submitted
        for pk, period, submitted in StatusReport.objects.filter(
            project__in=ids, period__range=(earliest, period_of(on))
        )
        .values("project_id", "period")
        .annotate(submitted=Min("submitted_at"))
        .order_by()
        .values_list("project_id", "period", "submitted")
    }
    for project in projects:
        rows = owed[project.pk]
        missing = [
            Missing(period, on=deadline)
            for period, deadline in rows
            if (submitted := first_submitted.get((project.pk, period))) is None
            or submitted > end_of(deadline)
        ]
        results[project.pk].components[STATUSES] = _component(
            STATUSES, len(rows) - len(missing), len(rows), missing
        )

    # 3. Gates passed with conditions (two queries).
    decided = GateReview.objects.filter(
        project__in=ids,
        state=GateReview.State.DECIDED,
        outcome=GateReview.Outcome.GO_WITH_CONDITIONS,
        decided_at__lte=end_of(on),
    )
    reviews = list(decided.select_related("from_phase", "to_phase").order_by("decided_at", "pk"))
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in (
        Action.objects.filter(decision__gate_review__in=decided.values("pk"))
        .exclude(state=Action.State.CANCELLED)
        .annotate(review_id=F("decision__gate_review_id"))
        .order_by("due_date", "reference")
    ):
        actions[action.review_id].append(action)
    gates: dict[int, list[tuple[GateReview, list[Action]]]] = defaultdict(list)
    for review in reviews:
        open_then = [
            a
            for a in actions[review.pk]
            if not (a.state == Action.State.DONE and a.completed_on is not None and a.completed_on <= on)
        ]
        gates[review.project_id].append((review, open_then))
    for project in projects:
        rows = gates.get(project.pk, [])
        missing = [
            Missing(action, review, action.due_date) for review, open_then in rows for action in open_then
        ]
        done = sum(1 for _review, open_then in rows if not open_then)
        results[project.pk].components[GATES] = _component(GATES, done, len(rows), missing)

    # 4. Risks reviewed on time (one query).
    review_then = Risk.history.filter(id=OuterRef("pk"), history_date__lte=end_of(on)).order_by(
        "-history_date", "-history_id"
    )
    risks: dict[int, list[Risk]] = defaultdict(list)
    for risk in (
        open_on(Risk.objects.filter(project__in=ids), day=on)
        .annotate(review_on=Coalesce(Subquery(review_then.values("next_review_on")[:1]), F("next_review_on")))
        .order_by("reference")
    ):
        risks[risk.project_id].append(risk)
    for project in projects:
        rows = risks.get(project.pk, [])
        missing = [Missing(risk, on=risk.review_on) for risk in rows if risk.review_on < on]
        results[project.pk].components[RISKS] = _component(
            RISKS, len(rows) - len(missing), len(rows), missing
        )
    return results


def compliance_of(project: Project, *, on: date) -> Compliance:
    """One project's compliance, kept on the instance for the rest of the request: the project page's
    panel and its signal read the same figure once."""
    cached = getattr(project, "_compliance", None)
    if cached is not None and cached.on == on:
        return cached
    result = compliance([project], on=on, kept=True)[project.pk]
    project._compliance = result
    return result


def active_projects(projects, *, on: date) -> list[Project]:
    """The projects of `projects` in the portfolio as at `on`, by reporting's rule (reporting.selectors):
    active at the end of `on` (today's state for today, the audit trail's for a past date) and created by
    the end of its week or with a status for it or before. A list, with what the pages show joined (two
    queries)."""
    today = timezone.localdate()
    week_end = end_of(period_of(on) + timedelta(days=6))
    first_report = (
        StatusReport.objects.latest_revisions()
        .filter(project=OuterRef("pk"))
        .order_by("period")
        .values("period")[:1]
    )
    projects = [
        p
        for p in projects.select_related("directorate", "portfolio", "project_manager", "phase")
        .annotate(first_period=Subquery(first_report))
        .order_by("code")
        if p.created_at <= week_end or (p.first_period is not None and p.first_period <= period_of(on))
    ]
    if on >= today:
        return [p for p in projects if p.state == Project.State.ACTIVE]
    moment = end_of(on)
    changes = _states(projects, moment)
    return [p for p in projects if _active_at(p, changes.get(p.pk, []), moment)]


def portfolio_compliance(projects, *, on: date) -> tuple[list[Compliance], Decimal | None]:
    """The compliance of every project of `projects` active at `on`, and the portfolio's score: the chase
    page, its exports and the `compliance` KPI all read this."""
    active = active_projects(projects, on=on)
    results = compliance(active, on=on)
    rows = [results[p.pk] for p in active]
    return rows, portfolio_score(rows)
