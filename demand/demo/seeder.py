"""The demand demo's rows (see demand.demo for the story they tell).

Every row is built in memory and inserted in bulk (pmo.audit.insert, with the dates the story gives,
not the wall clock's), then the new ids read back in one query: a fixed number of queries whatever N.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

from demand.demo.texts import (
    APPROVED_REASON,
    DEFERRED_REASONS,
    IDEAS,
    INCOMPLETE_COMMENT,
    QUALIFIED_COMMENT,
    REJECTED_REASON,
    SCENARIOS,
    SCORE_COMMENTS,
)
from demand.models import (
    CriteriaSet,
    PortfolioScenario,
    ProjectRequest,
    RequestCapacity,
    RequestCost,
    ScenarioBudget,
    ScenarioChoice,
    Score,
    ScoreValue,
)
from governance.models import Committee
from pmo import audit
from pmo.demo import DemoContext
from pmo.models import User
from pmo.roles import Role
from portfolio.models import Project
from resources.models import ResourceRole

State = ProjectRequest.State
# The dozen every demo shows: each state at least once.
STATES = [
    State.SUBMITTED, State.SUBMITTED, State.INCOMPLETE, State.QUALIFIED, State.QUALIFIED, State.PROPOSED,
    State.PROPOSED, State.APPROVED, State.REJECTED, State.DEFERRED, State.DEFERRED, State.WITHDRAWN,
]  # fmt: skip
MORE_STATES = [State.QUALIFIED, State.SUBMITTED, State.PROPOSED, State.DEFERRED, State.QUALIFIED]
PROJECTS_PER_MORE = 60  # one more request per 60 projects, up to len(MORE_STATES)
SCORED = (State.QUALIFIED, State.PROPOSED, State.DEFERRED)
SCORED_PROJECTS = 6
COST_RANGE = (1_500_000, 25_000_000)  # a request's total, log-uniform, in the demo's currency
PHASING = [(Decimal("0.35"), Decimal("0.45"), Decimal("0.20")), (Decimal("0.5"), Decimal("0.5"), Decimal(0))]
CAPS = (Decimal("0.75"), Decimal("0.95"))  # each scenario's cap: a share of what every candidate costs
REQUEST_COLUMNS = [
    "code", "title", "objectives", "strategic_objective", "directorate", "requested_by", "sponsor",
    "proposed_manager", "expected_benefits", "expected_annual_benefit", "main_risks", "urgency",
    "regulatory_deadline", "desired_start", "desired_end", "currency", "state", "qualification_comment",
    "qualified_by", "qualified_at", "committee", "decision_reason", "decided_at", "project", "created_at",
    "updated_at", "version",
]  # fmt: skip


def first_year(today: date) -> int:
    """The first year of the plans: this one, or the next from October (this one has little left)."""
    return today.year if today.month < 10 else today.year + 1


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.pmo = ctx.demo_users[Role.PMO]
        self.years = [first_year(ctx.today) + offset for offset in range(3)]
        self.currency = ctx.projects[0].currency if ctx.projects else "MAD"

    def run(self) -> None:
        committee = (
            Committee.objects.filter(kind=Committee.Kind.PORTFOLIO).prefetch_related("memberships").first()
        )
        self.committee_id = committee.pk if committee else None
        self.scorers = self._scorers(committee)
        requests = self.requests()
        self.ctx.count(ProjectRequest, audit.insert(ProjectRequest, REQUEST_COLUMNS, requests))
        ids = dict(ProjectRequest.objects.values_list("code", "pk"))
        self.states = {ids[row[0]]: row[16] for row in requests}
        self.costs()
        self.scores()
        self.scenarios()

    # The requests -----------------------------------------------------------------------------------

    def _scorers(self, committee: Committee | None) -> list[User]:
        """The PMO and two voting members of the portfolio committee (the demo's committee login first)."""
        member = self.ctx.demo_users.get(Role.COMMITTEE_MEMBER)
        voting = [m.user_id for m in committee.memberships.all() if m.role == "voting"] if committee else []
        ids = [member.pk] if member and member.pk in voting else []
        ids += [pk for pk in voting if pk not in ids]
        people = {user.pk: user for users in self.ctx.users_by_role.values() for user in users}
        return [self.pmo, *[people[pk] for pk in ids[:2] if pk in people]]

    def _people(self, directorate_id: int) -> list[User]:
        pms = [user for user in self.ctx.project_managers if user.directorate_id == directorate_id]
        return pms or self.ctx.sponsors_by_directorate.get(directorate_id) or self.ctx.sponsors

    def _approved_project(self) -> Project | None:
        """A project the committee launched lately: in its first phase, the most recent start."""
        phases = [p.phase.order for p in self.ctx.projects if p.phase_id]
        first = min(phases, default=None)
        recent = [
            p
            for p in self.ctx.projects
            if p.state in (Project.State.ACTIVE, Project.State.PROPOSED)
            and not p.confidential
            and (p.phase_id is None or p.phase.order == first)
        ]
        return max(recent, key=lambda p: (p.baseline_start or self.today, p.code), default=None)

    def requests(self) -> list[tuple]:
        rng, today, ctx = self.rng, self.today, self.ctx
        more = min(len(MORE_STATES), ctx.project_count // PROJECTS_PER_MORE)
        states = STATES + MORE_STATES[:more]
        directorates = {unit.code: unit for unit in ctx.directorates}
        ideas = iter(IDEAS)
        pm1 = ctx.project_managers[0] if ctx.project_managers else None
        approved_project = self._approved_project()
        self.budgets: dict[str, Decimal] = {}
        self.financial: dict[str, bool] = {}
        rows = []
        for number, state in enumerate(states, start=1):
            code = f"DR-{ctx.today.year}-{number:03d}"
            project = approved_project if state == State.APPROVED else None
            if project is None and state == State.APPROVED:
                state = State.PROPOSED  # no project to point at (a demo of very few projects)
            if project is not None:
                directorate_id, title = project.directorate_id, project.name
                objectives, objective = project.description or project.name, project.strategic_objective
                benefits, risks, financial, regulatory = "", "", False, False
                requester = project.project_manager
                sponsor, manager = project.sponsor, project.project_manager
                self.budgets[code] = project.budget or Decimal(COST_RANGE[0])
            else:
                idea = next(ideas)
                unit = directorates.get(idea.directorate) or rng.choice(ctx.directorates)
                directorate_id, title, objectives = unit.pk, idea.title, idea.objectives
                objective, benefits, risks = idea.strategic_objective, idea.expected_benefits, idea.main_risks
                financial, regulatory = idea.financial, idea.regulatory
                people = self._people(unit.pk)
                requester = pm1 if pm1 and pm1 in people and number <= 4 else rng.choice(people)
                sponsors = ctx.sponsors_by_directorate.get(unit.pk) or ctx.sponsors
                sponsor = None if state == State.INCOMPLETE else rng.choice(sponsors)
                manager = rng.choice(ctx.project_managers) if state in SCORED else None
                low, high = COST_RANGE
                total = math.exp(rng.uniform(math.log(low), math.log(high)))
                self.budgets[code] = Decimal(int(round(total, -4)))
            self.financial[code] = financial
            age = rng.randint(3, 20) if state in (State.SUBMITTED, State.INCOMPLETE) else rng.randint(25, 150)
            submitted = today - timedelta(days=age)
            desired_start = today + timedelta(days=rng.randint(30, 200))
            qualified = submitted + timedelta(days=rng.randint(2, max(2, min(age - 1, 14))))
            decided = qualified + timedelta(days=rng.randint(7, max(7, (today - qualified).days - 1)))
            decided = min(decided, today - timedelta(days=1))
            reason = {
                State.APPROVED: APPROVED_REASON,
                State.REJECTED: REJECTED_REASON,
                State.DEFERRED: DEFERRED_REASONS[number % len(DEFERRED_REASONS)],
            }.get(state, "")
            was_qualified = state not in (State.SUBMITTED, State.WITHDRAWN)
            annual = (
                Decimal(int(round(float(self.budgets[code]) * rng.uniform(0.2, 0.6), -4)))
                if financial
                else None
            )
            rows.append(
                (
                    code, title, objectives, objective, directorate_id, requester.pk if requester else None,
                    sponsor.pk if sponsor else None, manager.pk if manager else None, benefits, annual, risks,
                    ProjectRequest.Urgency.HIGH if regulatory else rng.choice([1, 2, 2, 3]),
                    today + timedelta(days=rng.randint(240, 540)) if regulatory else None,
                    desired_start, desired_start + timedelta(days=rng.randint(9, 24) * 30), self.currency,
                    state,
                    INCOMPLETE_COMMENT if state == State.INCOMPLETE
                    else QUALIFIED_COMMENT if was_qualified else "",
                    self.pmo.pk if was_qualified else None,
                    audit.local(qualified, 10) if was_qualified else None,
                    self.committee_id if state in (State.PROPOSED, *ProjectRequest.DECIDABLE_OR_DECIDED[2:])
                    else None,
                    reason,
                    audit.local(decided, 11) if reason else None,
                    project.pk if project else None,
                    audit.local(submitted, 9), audit.local(decided if reason else submitted, 9), 1,
                )
            )  # fmt: skip
        return rows

    def costs(self) -> None:
        """Each request's cost over the plans' three years and the people it needs, by role and year."""
        ids = dict(ProjectRequest.objects.values_list("code", "pk"))
        roles = list(ResourceRole.objects.order_by("order", "pk"))
        costs, needs = [], []
        for code, total in self.budgets.items():
            phasing = self.rng.choice(PHASING)
            for year, share in zip(self.years, phasing, strict=True):
                if share:
                    costs.append((ids[code], year, (total * share).quantize(Decimal(1000))))
            asked = self.rng.sample(roles, min(len(roles), 3))
            for role in asked:
                months = self.rng.randint(3, 30)
                for year, share in zip(self.years, phasing, strict=True):
                    if share:
                        needs.append((ids[code], role.pk, year, Decimal(round(months * share * 2, 1))))
        self.ctx.count(RequestCost, audit.insert(RequestCost, ["request", "year", "amount"], costs))
        written = audit.insert(RequestCapacity, ["request", "role", "year", "person_months"], needs)
        self.ctx.count(RequestCapacity, written)

    # Scores -----------------------------------------------------------------------------------------

    def scores(self) -> None:
        """The PMO and two committee members score the candidate requests and a few running projects, the
        PMO alone the other running projects; on one proposed request they disagree (a visible spread)."""
        version = CriteriaSet.objects.current()
        if version is None or not self.scorers:
            return
        criteria = list(version.criteria.all())
        requests = [pk for pk, state in sorted(self.states.items()) if state in SCORED]
        running = sorted(
            (p for p in self.ctx.projects if p.state == Project.State.ACTIVE), key=lambda p: p.code
        )
        # The PMO scores every running project (a scenario weighs them against the requests); the
        # committee members score a few of them too.
        panel = {p.pk for p in self.rng.sample(running, min(SCORED_PROJECTS, len(running)))}
        projects = [p.pk for p in running]
        disputed = next((pk for pk in requests if self.states[pk] == State.PROPOSED), None)
        heads, values = [], []
        for is_request, subjects in ((True, requests), (False, projects)):
            for subject in subjects:
                base = {c.pk: self.rng.randint(2, 4) for c in criteria}
                for rank, scorer in enumerate(self.scorers):
                    if rank and not is_request and subject not in panel:
                        break  # the PMO's score alone
                    if rank and subject != disputed and self.rng.random() < 0.3:
                        continue  # not every member scored everything
                    if subject == disputed and is_request:
                        shift = (1, -2, 0)[rank % 3]
                        comment = (SCORE_COMMENTS["high"], SCORE_COMMENTS["low"], "")[rank % 3]
                    else:
                        shift, comment = None, ""
                    for criterion in criteria:
                        noise = self.rng.choice((-1, 0, 0, 1)) if shift is None else shift
                        if criterion.inverted and shift is not None:
                            noise = -noise
                        value = min(criterion.scale_max, max(1, base[criterion.pk] + noise))
                        values.append(((subject if is_request else None, None if is_request else subject,
                                        scorer.pk), criterion.pk, value))  # fmt: skip
                    day = self.today - timedelta(days=self.rng.randint(1, 20))
                    heads.append(
                        (version.pk, subject if is_request else None, None if is_request else subject,
                         scorer.pk, comment, audit.local(day, 15))
                    )  # fmt: skip
        columns = ["criteria_set", "request", "project", "scorer", "comment", "scored_at"]
        self.ctx.count(Score, audit.insert(Score, columns, heads))
        score_ids = {
            (request, project, scorer): pk
            for pk, request, project, scorer in Score.objects.values_list(
                "pk", "request", "project", "scorer"
            )
        }
        rows = [(score_ids[key], criterion, value) for key, criterion, value in values]
        # Counted with their scores (the values have no name of their own in the summary).
        audit.insert(ScoreValue, ["score", "criterion", "value"], rows)
        self.version = version

    # Scenarios --------------------------------------------------------------------------------------

    def scenarios(self) -> None:
        """Two scenarios the PMO prepared, capped at a share of what every candidate would cost; the
        second forces the regulatory request in; both computed."""
        version = CriteriaSet.objects.current()
        if version is None:
            return
        from demand.candidates import candidates

        everything = candidates(years=self.years, today=self.today)
        need = {
            year: sum((c.cost.get(year) or Decimal(0) for c in everything), Decimal(0)) for year in self.years
        }
        created = audit.local(self.today - timedelta(days=3), 16)
        rows = [
            (name, description, self.years[0], len(self.years), version.pk, True, False, self.pmo.pk,
             created + timedelta(minutes=index), created + timedelta(minutes=index))
            for index, (name, description) in enumerate(SCENARIOS)
        ]  # fmt: skip
        columns = ["name", "description", "first_year", "years", "criteria_set", "use_capacity", "archived",
                   "created_by", "created_at", "updated_at"]  # fmt: skip
        self.ctx.count(PortfolioScenario, audit.insert(PortfolioScenario, columns, rows))
        scenario_ids = list(
            PortfolioScenario.objects.order_by("created_at", "pk").values_list("pk", flat=True)
        )
        budgets = [
            (scenario, year, (need[year] * share / 100_000).quantize(Decimal(1)) * 100_000)
            for scenario, share in zip(scenario_ids, CAPS, strict=True)
            for year in self.years
        ]
        audit.insert(ScenarioBudget, ["scenario", "year", "cap"], budgets)  # counted with the scenarios
        regulatory = (
            ProjectRequest.objects.candidates()
            .filter(regulatory_deadline__isnull=False)
            .order_by("regulatory_deadline", "code")
            .values_list("pk", flat=True)
            .first()
        )
        if regulatory:
            choice = [(scenario_ids[-1], regulatory, ScenarioChoice.Forced.IN)]
            audit.insert(ScenarioChoice, ["scenario", "request", "forced"], choice)
        # Computed as the PMO would after setting the caps, so that the demo shows the optimiser's choice.
        from demand.scenarios import scenario_compute

        for scenario in PortfolioScenario.objects.filter(pk__in=scenario_ids).select_related("criteria_set"):
            scenario_compute(scenario=scenario, today=self.today)
