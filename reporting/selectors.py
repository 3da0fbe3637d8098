"""Reads of the whole portfolio that the dashboard, the KPIs and the PDF reports share.

`PortfolioFigures` answers for one scope of the portfolio (everything a reader
may see, or one directorate, or one portfolio) as at any date, from the
status history: the dashboard, the stored KPI measurements and the reports
all read their numbers here, so the same figure is the same everywhere.

The portfolio as at a date D (in the ISO week P):
- its projects are those that were active at the end of D, by the audit
  trail (`Project.history`: the state of the last change recorded by then;
  today's state for a project whose trail starts later), and existed then
  (created by the end of the week P, or with a status report for P or
  before). A project closed since D is in D's portfolio; one created after
  D is not. Every one of them is counted, whether it has a status or not;
- each project's status is the latest revision of its latest period up to P;
  its RAG is that report's overall RAG, its **latest rating**, whatever its
  period, shown with that period. It is "" ("no status") only when the
  project had no status at all by then;
- a project *reported* for P when that status is for P itself (compliance is
  the share that did); one not reported is still counted under its latest
  rating. The rating is *stale* when its week ended more than the grace the
  PMO sets (`StatusPolicy.grace_days`, 7 days by default) before D;
- its earned value is computed at D from that report (% complete, actual
  cost) and the baseline plan.

Every method costs a fixed number of queries, whatever the number of
projects, and caches its answer for the life of the object.
"""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property, reduce

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from governance.models import Action, Decision
from pmo.months import end_of
from portfolio.agile import RELEASE_VALUES, ReleaseFigures, release_from_values
from portfolio.assurance import assessed_worse, confidence_on_days, disagrees
from portfolio.earned_value import INDEX, EarnedValue, earned_value_at_status, phased_budgets
from portfolio.exchange import Converted, Rates
from portfolio.models import Milestone, Project, Rag, StatusPolicy, StatusReport
from portfolio.models.status import period_of
from risks.models import Risk, RiskPolicy
from risks.selectors import RiskHistories, exposure, exposure_at

NO_STATUS = NOT_REPORTED = ""  # the `rag` of a project without any status by then
NOT_ASSESSED = ""  # the `confidence` of a project without any assessment by then
NOT_CONVERTED = "no"  # the project list's `converted` filter: the projects a money total left out
RAGS = (Rag.GREEN, Rag.AMBER, Rag.RED)
HUNDRED = Decimal(100)
SHARE = Decimal("0.1")


def share(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal; None (n/a) of nothing."""
    if not whole:
        return None
    return (HUNDRED * part / whole).quantize(SHARE)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(INDEX)


@dataclass(frozen=True)
class Scope:
    """A part of the portfolio: all of it, or one directorate, or one portfolio (or both)."""

    directorate_id: int | None = None
    portfolio_id: int | None = None

    @property
    def is_whole(self) -> bool:
        return self.directorate_id is None and self.portfolio_id is None

    def filter_projects(self, projects: QuerySet[Project]) -> QuerySet[Project]:
        if self.directorate_id is not None:
            projects = projects.filter(directorate_id=self.directorate_id)
        if self.portfolio_id is not None:
            projects = projects.filter(portfolio_id=self.portfolio_id)
        return projects

    def params(self) -> dict[str, int]:
        """The scope as query parameters of the project list and the dashboard."""
        params = {}
        if self.directorate_id is not None:
            params["directorate"] = self.directorate_id
        if self.portfolio_id is not None:
            params["portfolio"] = self.portfolio_id
        return params


@dataclass
class MilestoneRow:
    project_id: int
    name: str
    baseline_date: date
    forecast_date: date
    actual_date: date | None
    weight: Decimal


@dataclass
class ProjectRow:
    """One project of the portfolio as at a date, with its status then."""

    pk: int
    code: str
    name: str
    priority: int
    directorate_id: int
    directorate_code: str
    directorate_name: str
    portfolio_id: int | None
    portfolio_code: str
    portfolio_name: str
    budget: Decimal | None
    baseline_start: date | None
    baseline_end: date | None
    forecast_start: date | None
    forecast_end: date | None
    currency: str  # the project's own: its amounts are in it
    report_period: date | None = None  # the period of the status in force, None: never reported by then
    status_rag: str = ""  # that status's overall RAG, whatever its period
    rag: str = NO_STATUS  # the latest rating (the same as `status_rag`): "" when no status by then
    reported: bool = False  # the status in force is for the period of the date (compliance counts it)
    stale: bool = False  # the status in force is older than the reporting cadence allows (weekly + grace)
    percent_complete: Decimal | None = None
    actual_cost: Decimal | None = None
    forecast_at_completion: Decimal | None = None  # as reported, or the budget when not given
    earned_value: EarnedValue | None = None
    plan: list[tuple[date, Decimal]] = field(default_factory=list)  # its milestones' baseline dates, weights
    milestones: list[MilestoneRow] = field(default_factory=list)  # filled by `load_milestones` when needed
    # The PMO's assessed delivery confidence as at the date (`portfolio.assurance`): "" when not assessed.
    confidence: str = NOT_ASSESSED
    confidence_on: date | None = None
    # An agile project's release plan (`portfolio.agile`): its earned value is then AgileEVM's.
    release: ReleaseFigures | None = None

    @property
    def agile_evm(self) -> bool:
        return self.release is not None

    @property
    def disagrees(self) -> bool:
        """The declared RAG and the assessed confidence are two steps apart or more."""
        return disagrees(self.rag, self.confidence)

    @property
    def assessed_worse(self) -> bool:
        return assessed_worse(self.rag, self.confidence)

    @property
    def has_status(self) -> bool:
        return self.report_period is not None

    @property
    def not_reported(self) -> bool:
        return not self.reported

    @property
    def cpi(self) -> Decimal | None:
        return self.earned_value.cpi if self.earned_value else None

    @property
    def spi(self) -> Decimal | None:
        return self.earned_value.spi if self.earned_value else None


@dataclass
class Snapshot:
    """The active portfolio as at `on`: its projects and the totals the KPIs read."""

    on: date
    period: date
    rows: list[ProjectRow]
    # The exchange rates its money totals use, shared by the snapshots of one `PortfolioFigures`.
    rates: Rates = field(default_factory=Rates, repr=False)

    @property
    def active(self) -> int:
        return len(self.rows)

    def count(self, rag: str) -> int:
        """How many projects' latest rating is `rag` ("": no status at all)."""
        return sum(1 for row in self.rows if row.rag == rag)

    def confidence_count(self, level: str) -> int:
        """How many projects' assessed delivery confidence is `level` ("": not assessed by then)."""
        return sum(1 for row in self.rows if row.confidence == level)

    @property
    def not_assessed(self) -> int:
        return self.confidence_count(NOT_ASSESSED)

    @property
    def disagreements(self) -> int:
        """How many projects' declared RAG and assessed confidence disagree (`assurance.disagrees`)."""
        return sum(1 for row in self.rows if row.disagrees)

    @property
    def assessed_worse(self) -> int:
        """Of the disagreements, those the PMO sees worse than declared."""
        return sum(1 for row in self.rows if row.assessed_worse)

    @property
    def not_reported(self) -> int:
        """How many did not report for the period (those with no status at all among them)."""
        return self.active - self.reported

    @property
    def stale(self) -> int:
        """How many have a latest rating older than the cadence allows."""
        return sum(1 for row in self.rows if row.stale)

    @property
    def no_status(self) -> int:
        return self.count(NO_STATUS)

    def share(self, rag: str) -> Decimal | None:
        return share(self.count(rag), self.active)

    @property
    def reported(self) -> int:
        return sum(1 for row in self.rows if row.reported)

    @property
    def compliance(self) -> Decimal | None:
        """The share of active projects that reported for the period."""
        return share(self.reported, self.active)

    # --- Money: totals in the reporting currency (`portfolio.exchange`) ------------------------------

    def converted(self, row: ProjectRow, amount: Decimal | None) -> Converted:
        """One of `row`'s amounts in the reporting currency, at the rate in force on the as-at date."""
        return self.rates.convert(amount, row.currency, on=self.on)

    @cached_property
    def _convertible(self) -> list[ProjectRow]:
        """The rows whose currency has a rate in force on the as-at date (or is the reporting one)."""
        return [row for row in self.rows if self.rates.rate(row.currency, on=self.on) is not None]

    @property
    def currency(self) -> str:
        """What the totals are in."""
        return self.rates.currency

    @cached_property
    def not_converted(self) -> list[ProjectRow]:
        """The projects with an amount in a currency with no rate in force: listed, left out of totals."""
        convertible = {row.pk for row in self._convertible}
        return [
            row
            for row in self.rows
            if row.pk not in convertible
            and any(
                amount is not None for amount in (row.budget, row.actual_cost, row.forecast_at_completion)
            )
        ]

    @cached_property
    def rate_dates(self) -> list[date]:
        """The dates of the rates the totals used (none when every amount is in the reporting currency)."""
        dates = {self.converted(row, Decimal(0)).rate_date for row in self._convertible}
        return sorted(day for day in dates if day is not None)

    def in_reporting(self, row: ProjectRow, attribute: str) -> Decimal | None:
        """What `row`'s `attribute` ("budget", "forecast_at_completion", "actual_cost") adds to the totals,
        in the reporting currency: None when it adds nothing (no budget, no rate, no amount). The exports'
        converted columns are these, so they sum to the totals."""
        if row.budget is None:
            return None
        return self.converted(row, getattr(row, attribute)).amount

    def total(self, attribute: str, rows: Iterable[ProjectRow] | None = None) -> Decimal:
        """The sum of the projects' `attribute` in the reporting currency, over the projects (of `rows`,
        all by default) with a budget and a rate; an amount not given counts as nothing."""
        return sum(
            (
                self.in_reporting(row, attribute) or Decimal(0)
                for row in (self.rows if rows is None else rows)
            ),
            Decimal(0),
        )

    def _money_total(self, attribute: str) -> Decimal | None:
        """None (n/a) when projects have amounts but none of them could be converted: a total of 0 in the
        reporting currency would read as a figure."""
        if self.not_converted and not any(row.budget is not None for row in self._convertible):
            return None
        return self.total(attribute)

    @property
    def budget_at_completion(self) -> Decimal | None:
        return self._money_total("budget")

    @property
    def forecast_at_completion(self) -> Decimal | None:
        return self._money_total("forecast_at_completion")

    @property
    def actual_cost(self) -> Decimal | None:
        return self._money_total("actual_cost")

    @property
    def forecast_to_budget(self) -> Decimal | None:
        if self.budget_at_completion is None:
            return None
        return ratio(self.forecast_at_completion, self.budget_at_completion)

    def _earned(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """Each convertible project's EV, AC and PV in the reporting currency: portfolio indices sum them in
        one currency, and leave out the projects not converted, as the money totals do (and a project
        whose figures are not all known)."""
        values = []
        for row in self._convertible:
            if (value := row.earned_value) is not None:
                amounts = tuple(
                    self.converted(row, amount).amount for amount in (value.ev, value.ac, value.pv)
                )
                if None not in amounts:
                    values.append(amounts)
        return values

    @property
    def cpi(self) -> Decimal | None:
        """Portfolio CPI: the earned value of all projects over their actual cost."""
        values = self._earned()
        return ratio(
            sum((ev for ev, _ac, _pv in values), Decimal(0)), sum((ac for _ev, ac, _pv in values), Decimal(0))
        )

    @property
    def spi(self) -> Decimal | None:
        values = self._earned()
        return ratio(
            sum((ev for ev, _ac, _pv in values), Decimal(0)), sum((pv for _ev, _ac, pv in values), Decimal(0))
        )

    @property
    def without_earned_value(self) -> int:
        """Projects left out of the portfolio's CPI and SPI: no budget, baseline dates, status, % complete
        or actual cost (counted, so that an index over a few projects does not pass for the whole)."""
        return sum(1 for row in self.rows if row.earned_value is None)

    def largest_slips(self, limit: int = 8) -> list[tuple[ProjectRow, int]]:
        """The projects whose forecast end is furthest past their baseline end (today's plan: dates have
        no history), with the slip in days: the dashboard's list and the reports' read the same."""
        slips = [
            (row, (row.forecast_end - row.baseline_end).days)
            for row in self.rows
            if row.forecast_end and row.baseline_end and row.forecast_end > row.baseline_end
        ]
        slips.sort(key=lambda pair: (-pair[1], pair[0].code))
        return slips[:limit]

    def by(self, key: str) -> dict[object, list[ProjectRow]]:
        groups: dict[object, list[ProjectRow]] = defaultdict(list)
        for row in self.rows:
            groups[getattr(row, key)].append(row)
        return groups


@dataclass(frozen=True)
class MilestoneFigures:
    due: int  # milestones whose baseline date falls in the window
    met: int  # of them, those achieved by the end of the window

    @property
    def share_met(self) -> Decimal | None:
        return share(self.met, self.due)


@dataclass(frozen=True)
class DecisionFigures:
    taken: int  # decisions dated in the window
    due: int  # decisions whose implementation was due in the window
    on_time: int  # of them, those implemented by their due date

    @property
    def share_on_time(self) -> Decimal | None:
        return share(self.on_time, self.due)


@dataclass(frozen=True)
class CompliancePoint:
    period: date
    active: int
    reported: int

    @property
    def share(self) -> Decimal | None:
        return share(self.reported, self.active)


MAX_LISTED_IDS = 5000  # ids passed as parameters in one query; past it, a subquery


class PortfolioFigures:
    """The figures of one scope of the portfolio, for any date; see the module's docstring."""

    def __init__(
        self,
        *,
        projects: QuerySet[Project],
        risks: QuerySet[Risk],
        actions: QuerySet[Action],
        decisions: QuerySet[Decision],
        scope: Scope = Scope(),
        today: date | None = None,
        policy: RiskPolicy | None = None,
        status_policy: StatusPolicy | None = None,
        many_past_days: bool = False,
    ) -> None:
        """`many_past_days`: the caller will read many past dates (a year of stored KPIs), so reading
        each risk's score history once beats one query per date."""
        self.scope = scope
        self.many_past_days = many_past_days
        self.today = today or timezone.localdate()
        self.projects = scope.filter_projects(projects)
        if scope.is_whole:
            self.risks, self.actions, self.decisions = risks, actions, decisions
        else:
            # A scoped view counts only what belongs to its projects.
            in_scope = self.projects.values("pk")
            self.risks = risks.filter(project__in=in_scope)
            self.actions = actions.filter(project__in=in_scope)
            self.decisions = decisions.filter(project__in=in_scope)
        self._policy = policy
        self._status_policy = status_policy
        self._snapshots: dict[date, Snapshot] = {}
        self._cache: dict[tuple, object] = {}

    @classmethod
    def for_user(cls, user, *, scope: Scope = Scope(), today: date | None = None) -> PortfolioFigures:
        """What `user` may see of the portfolio."""
        return cls(
            projects=Project.objects.visible_to(user),
            risks=Risk.objects.visible_to(user),
            actions=Action.objects.visible_to(user),
            decisions=Decision.objects.visible_to(user),
            scope=scope,
            today=today,
        )

    @classmethod
    def for_everyone(
        cls, *, scope: Scope = Scope(), today: date | None = None, many_past_days: bool = False
    ) -> PortfolioFigures:
        """The whole record, for stored measurements and reports that are not one reader's."""
        return cls(
            projects=Project.objects.all(),
            risks=Risk.objects.all(),
            actions=Action.objects.all(),
            decisions=Decision.objects.all(),
            scope=scope,
            today=today,
            many_past_days=many_past_days,
        )

    @cached_property
    def rates(self) -> Rates:
        """The exchange rates every snapshot's totals use (read once, and only if a currency needs one)."""
        return Rates()

    @property
    def policy(self) -> RiskPolicy:
        if self._policy is None:
            self._policy = RiskPolicy.current()
        return self._policy

    @property
    def status_policy(self) -> StatusPolicy:
        if self._status_policy is None:
            self._status_policy = StatusPolicy.current()
        return self._status_policy

    # --- The projects and their status ------------------------------------------------------------

    def state_on(self, day: date):
        """The lifecycle state of each project at the end of `day`, as an expression: today's state, or
        the state of the last change the audit trail recorded by then (today's when it starts later)."""
        if day >= self.today:
            return F("state")
        recorded = (
            Project.history.filter(id=OuterRef("pk"), history_date__lte=end_of(day))
            .order_by("-history_date", "-history_id")
            .values("state")[:1]
        )
        return Coalesce(Subquery(recorded), F("state"))

    def active_projects(self, on: date) -> QuerySet[Project]:
        """The projects of the portfolio as at `on`, annotated with `report_id`, the status in force."""
        period = period_of(on)
        latest = (
            StatusReport.objects.latest_revisions()
            .filter(project=OuterRef("pk"), period__lte=period)
            .order_by("-period")
            .values("pk")[:1]
        )
        return (
            self.projects.annotate(state_then=self.state_on(on), report_id=Subquery(latest))
            .filter(state_then=Project.State.ACTIVE)
            .filter(Q(report_id__isnull=False) | Q(created_at__lte=end_of(period + timedelta(days=6))))
        )

    SNAPSHOT_FIELDS = (
        "pk",
        "code",
        "name",
        "priority",
        "directorate_id",
        "directorate__code",
        "directorate__name",
        "portfolio_id",
        "portfolio__code",
        "portfolio__name",
        "budget",
        "baseline_start",
        "baseline_end",
        "forecast_start",
        "forecast_end",
        "currency",
    )

    def snapshot(self, on: date) -> Snapshot:
        """The active portfolio as at the end of `on` (a fixed number of queries: the projects, their plans,
        their phased budgets, their delivery confidence, the reports in force, the status policy)."""
        return self.snapshots([on])[on]

    def snapshots(self, days: Iterable[date]) -> dict[date, Snapshot]:
        """The snapshots of several dates, read together: the same few queries in all for the dates not
        read yet.
        The dashboard reads the date it shows and the ends of the periods before it (its trends) at once."""
        days = list(days)
        missing = sorted(set(days) - self._snapshots.keys())
        if missing:
            read = self._read_snapshots(missing)
            for snapshot in read.values():
                snapshot.rates = self.rates
            self._snapshots.update(read)
        return {day: self._snapshots[day] for day in days}

    def _read_snapshots(self, days: list[date]) -> dict[date, Snapshot]:
        latest = {
            f"report_{n}": Subquery(
                StatusReport.objects.latest_revisions()
                .filter(project=OuterRef("pk"), period__lte=period_of(day))
                .order_by("-period")
                .values("pk")[:1]
            )
            for n, day in enumerate(days)
        }
        # Each project's lifecycle state at the end of each date, from the audit trail (see the module).
        states = {f"state_{n}": self.state_on(day) for n, day in enumerate(days)}
        last = max(range(len(days)), key=lambda n: days[n])
        # Created by the end of a date's week: in that week's portfolio (as in compliance_history).
        ends = [end_of(period_of(day) + timedelta(days=6)) for day in days]
        # In the portfolio at one of the dates: active then, and reported or created by then (see the module).
        in_portfolio = (
            self.projects.annotate(**latest, **states)
            .filter(reduce(operator.or_, (Q(**{name: Project.State.ACTIVE}) for name in states)))
            .filter(Q(**{f"report_{last}__isnull": False}) | Q(created_at__lte=ends[last]))
        )
        # An agile project's release plan comes with it (a join): AgileEVM's baseline.
        projects = in_portfolio.values_list(
            *self.SNAPSHOT_FIELDS, "created_at", *latest, *states, *RELEASE_VALUES
        ).order_by("code")
        width = len(self.SNAPSHOT_FIELDS)
        rows: dict[date, dict[int, ProjectRow]] = {day: {} for day in days}
        report_of: dict[tuple[date, int], int] = {}
        plans: dict[int, list[tuple[date, Decimal]]] = {}
        for values in projects:
            fields, created_at = values[:width], values[width]
            report_ids, states_then = (
                values[width + 1 : width + 1 + len(days)],
                values[width + 1 + len(days) : width + 1 + 2 * len(days)],
            )
            release = release_from_values(values[width + 1 + 2 * len(days) :])
            pk = fields[0]
            plans[pk] = []  # shared by the project's rows of every date
            for day, end, report_id, state in zip(days, ends, report_ids, states_then, strict=True):
                if state != Project.State.ACTIVE or (report_id is None and created_at > end):
                    continue
                row = ProjectRow(*fields, plan=plans[pk], release=release)
                row.portfolio_code = row.portfolio_code or ""
                row.portfolio_name = row.portfolio_name or ""
                rows[day][pk] = row
                if report_id is not None:
                    report_of[day, pk] = report_id
        # The plan that planned value is computed from: only what it needs, for every project.
        for project_id, baseline_date, weight in (
            # Subqueries rather than lists of ids: a thousand parameters cost more than the database's work.
            Milestone.objects.filter(project__in=in_portfolio.values("pk"))
            .order_by("baseline_date", "pk")
            .values_list("project_id", "baseline_date", "weight")
        ):
            if project_id in plans:
                plans[project_id].append((baseline_date, weight))
        # The phased budgets that PV follows when a project has one (one query for every project).
        phased = phased_budgets(in_portfolio.values("pk"))
        # The assessed delivery confidence as at each date (one query for every project and date; none for
        # a past portfolio that was empty, as the reports in force below).
        confidence = confidence_on_days(list(plans) if len(plans) <= MAX_LISTED_IDS else in_portfolio, days)
        # The reports in force, by the ids just read (a list of ids is read twice as fast as subqueries,
        # 10 ms against 20 at 1,000 projects on PostgreSQL); past a few thousand (a year of days for the
        # KPIs), one parameter each would cost more, so the same subqueries again, over the active projects
        # without the portfolio filter (a project left out has no report by then: its ids are null).
        wanted = set(report_of.values())
        if len(wanted) <= MAX_LISTED_IDS:
            in_force = Q(pk__in=wanted)
        else:
            active = self.projects.annotate(**latest)
            in_force = reduce(operator.or_, (Q(pk__in=active.values(name)) for name in latest))
        reports = {
            pk: values
            for pk, *values in StatusReport.objects.filter(in_force).values_list(
                "pk",
                "project_id",
                "period",
                "overall_rag",
                "percent_complete",
                "actual_cost",
                "forecast_at_completion",
                "release_points_done",
                "release_points",
            )
        }
        snapshots = {}
        for day in days:
            period = period_of(day)
            current_from = self.status_policy.stale_before(day)
            for pk, row in rows[day].items():
                if (assessment := confidence[day].get(pk)) is not None:
                    row.confidence, row.confidence_on = assessment.rating, assessment.assessed_on
                report_id = report_of.get((day, pk))
                if report_id is None:
                    row.forecast_at_completion = row.budget
                    continue
                _project, report_period, rag, percent, actual_cost, fac, done, scope = reports[report_id]
                row.report_period, row.status_rag, row.rag = report_period, rag, rag
                row.reported, row.stale = report_period >= period, report_period < current_from
                row.percent_complete, row.actual_cost = percent, actual_cost
                row.forecast_at_completion = fac if fac is not None else row.budget
                row.earned_value = earned_value_at_status(
                    bac=row.budget,
                    period=report_period,
                    percent_complete=percent,
                    actual_cost=actual_cost,
                    start=row.baseline_start,
                    end=row.baseline_end,
                    milestones=row.plan,
                    phased=phased.get(pk, ()),
                    release=row.release,
                    points_done=done,
                    release_points=scope,
                )
            snapshots[day] = Snapshot(on=day, period=period, rows=list(rows[day].values()))
        return snapshots

    @staticmethod
    def load_milestones(rows: Iterable[ProjectRow]) -> None:
        """Fill the `milestones` of these rows (a roadmap's few projects), in one query."""
        by_project: dict[int, list[ProjectRow]] = defaultdict(list)
        for row in rows:
            row.milestones = []
            by_project[row.pk].append(row)
        for values in (
            Milestone.objects.filter(project__in=list(by_project))
            .order_by("baseline_date", "pk")
            .values_list("project_id", "name", "baseline_date", "forecast_date", "actual_date", "weight")
        ):
            for row in by_project[values[0]]:
                row.milestones.append(MilestoneRow(*values))

    def compliance_history(self, *, weeks: int, on: date) -> list[CompliancePoint]:
        """For each of the `weeks` weeks up to the one of `on`: the projects of that week's portfolio (as
        `snapshot` reads it at the end of the week, or of `on` for its own week: active then by the audit
        trail, created or reported by then) and how many of them reported for that week (three queries).
        The last point is therefore the compliance of the snapshot at `on`."""
        last = period_of(on)
        periods = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
        ends = [min(period + timedelta(days=6), on) for period in periods]
        first_report = (
            StatusReport.objects.latest_revisions()
            .filter(project=OuterRef("pk"))
            .order_by("period")
            .values("period")[:1]
        )
        projects = {
            pk: (state, min(period_of(timezone.localdate(created_at)), first or date.max))
            for pk, state, created_at, first in self.projects.annotate(first_period=Subquery(first_report))
            .values_list("pk", "state", "created_at", "first_period")
            .order_by()
        }
        # Each project's recorded lifecycle states, in order, for the state at the end of each week.
        changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
        for pk, when, state in (
            Project.history.filter(id__in=self.projects.values("pk"), history_date__lte=end_of(ends[-1]))
            .order_by("history_date", "history_id")
            .values_list("id", "history_date", "state")
        ):
            changes[pk].append((when, state))

        def active_on(pk: int, day: date) -> bool:
            state_now = projects[pk][0]
            if day >= self.today:
                return state_now == Project.State.ACTIVE
            moment = end_of(day)
            recorded = [state for when, state in changes.get(pk, ()) if when <= moment]
            return (recorded[-1] if recorded else state_now) == Project.State.ACTIVE

        in_week = {
            period: {pk for pk, (_state, start) in projects.items() if start <= period and active_on(pk, day)}
            for period, day in zip(periods, ends, strict=True)
        }
        reported = Counter(
            period
            for pk, period in StatusReport.objects.latest_revisions()
            .filter(project__in=self.projects.values("pk"), period__range=(periods[0], last))
            .order_by()
            .values_list("project_id", "period")
            if pk in in_week[period]
        )
        return [
            CompliancePoint(period=period, active=len(in_week[period]), reported=reported[period])
            for period in periods
        ]

    # --- Milestones, decisions, actions, risks ----------------------------------------------------

    def milestones(self, start: date, end: date) -> MilestoneFigures:
        """Milestones of the scope's projects (cancelled ones aside) due by their baseline in [start, end],
        and how many were achieved by `end` (one query)."""
        key = ("milestones", start, end)
        if key not in self._cache:
            totals = (
                self.milestones_due(start, end)
                .order_by()
                .aggregate(due=Count("pk"), met=Count("pk", filter=Q(actual_date__lte=end)))
            )
            self._cache[key] = MilestoneFigures(due=totals["due"], met=totals["met"])
        return self._cache[key]

    def milestones_due(self, start: date, end: date) -> QuerySet[Milestone]:
        """The milestones `milestones()` counts, annotated with `met` (achieved by `end`), for the list
        behind the figure (no query until read)."""
        return (
            Milestone.objects.filter(
                project__in=self.projects.exclude(state=Project.State.CANCELLED).values("pk"),
                baseline_date__range=(start, end),
            )
            .select_related("project__directorate", "project__portfolio")
            .annotate(met=Case(When(actual_date__lte=end, then=True), default=False))
        )

    def decisions_in(self, start: date, end: date) -> DecisionFigures:
        key = ("decisions", start, end)
        if key not in self._cache:
            totals = self.decisions.order_by().aggregate(
                taken=Count("pk", filter=Q(decided_on__range=(start, end))),
                due=Count("pk", filter=Q(implementation_due__range=(start, end))),
                on_time=Count(
                    "pk",
                    filter=Q(
                        implementation_due__range=(start, end),
                        implemented_on__isnull=False,
                        implemented_on__lte=F("implementation_due"),
                    ),
                ),
            )
            self._cache[key] = DecisionFigures(**totals)
        return self._cache[key]

    def overdue_actions(self, on: date) -> int:
        """How many actions `ActionQuerySet.overdue(on)` lists: the tracker's "overdue" filter, the
        reports' lists (a done or cancelled action is never overdue)."""
        key = ("overdue", on)
        if key not in self._cache:
            self._cache[key] = self.actions.overdue(on).order_by().count()
        return self._cache[key]

    def risk_exposure(self, on: date) -> tuple[int, int]:
        """The sum of the scores of the open risks and how many are critical, as at the end of `on`:
        today the register's figures; a past day from the assessment history."""
        key = ("exposure", on)
        if key not in self._cache:
            if on >= self.today:
                totals = exposure(self.risks, policy=self.policy)
                self._cache[key] = (totals["score"], totals["critical"])
            elif self.many_past_days:
                # The risks' score histories are read once (two queries), then any past day is free.
                if ("risk_histories",) not in self._cache:
                    self._cache[("risk_histories",)] = RiskHistories.of(self.risks)
                point = self._cache[("risk_histories",)].exposure_on(on, policy=self.policy)
                self._cache[key] = (point.score, point.critical)
            else:
                # One past day (a page): one query, the database walks the histories.
                self._cache[key] = exposure_at(self.risks, day=on, policy=self.policy)
        return self._cache[key]
