"""The G0: the portfolio committee decides a project request, and an approved one becomes a project.

- `request_propose`: the PMO routes a qualified (or deferred) request to a portfolio committee (state
  proposed); that committee's next meeting's agenda proposes it (demand.meetings);
- `request_decide`: the decision recorded on its item decides it, in the decision's transaction (the
  `decision_recorded` hook): approved, with or without conditions, creates the project
  (`project_from_request`); rejected closes it; deferred leaves it deferred, to be proposed again. The
  decision and its reason are kept on the request in each case;
- `project_from_request`: the project as the request described it, in phase one (Initiation), active,
  with its "baseline draft": baseline and forecast dates from the desired dates and the budget from the
  estimated cost, but no baseline version (v1 is taken at the gate into execution, see planning); its
  phased budget (each year's cost spread evenly over that year's months within the desired dates, the
  cents left over on the last month, so that each year adds up exactly), its demand for people (a year's
  person-months spread over its months as FTE, adding up the same way) and, when the request expects a
  financial benefit, a draft benefit profile. History is kept on every row that has one.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from demand.models import ProjectRequest
from finance.models import CostCategory, MonthlyAmount
from finance.spread import evenly
from pmo import audit
from pmo.months import months_between
from portfolio.models import Phase, Project
from resources.models import Demand

PROPOSABLE = (ProjectRequest.State.QUALIFIED, ProjectRequest.State.DEFERRED, ProjectRequest.State.PROPOSED)
CODE_PATTERN = "PRJ-{n:04}"
ONE_YEAR = timedelta(days=365)


class G0Error(ValidationError):
    pass


@transaction.atomic
def request_propose(*, request: ProjectRequest, committee, by) -> ProjectRequest:
    """To a portfolio committee: a qualified or deferred request (or a proposed one, moved to another)."""
    from governance.models import Committee

    request = ProjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.state not in PROPOSABLE:
        raise G0Error(_("Only a qualified or deferred request can be brought to a committee."))
    if committee.kind != Committee.Kind.PORTFOLIO:
        raise G0Error(_("A request is brought to a portfolio committee."))
    request.state, request.committee = ProjectRequest.State.PROPOSED, committee
    request.version += 1
    request.save(update_fields=["state", "committee", "version", "updated_at"])
    return request


def reason_of(decision) -> str:
    """What the request keeps of why: the rationale, else the description, else the decision's title."""
    return (decision.rationale or decision.description or decision.display_title).strip()


@transaction.atomic
def request_decide(*, request: ProjectRequest, outcome: str, decision, by) -> ProjectRequest:
    """The committee's G0 on a proposed request (anything else is left as it is)."""
    from governance.models import Decision

    request = ProjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ProjectRequest.State.PROPOSED:
        return request
    if outcome in (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS):
        project = project_from_request(request=request, by=by)
        request.project, request.state = project, ProjectRequest.State.APPROVED
        if decision.project_id is None:  # the decision is now about the project it created
            decision.project = project
            decision.save(update_fields=["project"])
    elif outcome == Decision.Outcome.REJECTED:
        request.state = ProjectRequest.State.REJECTED
    elif outcome == Decision.Outcome.DEFERRED:
        request.state = ProjectRequest.State.DEFERRED
    else:
        return request
    request.decision, request.decision_reason = decision, reason_of(decision)
    request.decided_at = timezone.now()
    request.version += 1
    fields = ["state", "project", "decision", "decision_reason", "decided_at", "version", "updated_at"]
    request.save(update_fields=fields)
    return request


def next_project_code() -> str:
    """The next PRJ-nnnn after the highest one (the import numbers new projects the same way)."""
    from imports.codes import CodeSequence

    return CodeSequence(CODE_PATTERN).next()


@transaction.atomic
def project_from_request(*, request: ProjectRequest, by) -> Project:
    costs = {row.year: row.amount for row in request.costs.all()}
    project = Project(
        code=next_project_code(),
        name=request.title,
        description=request.objectives,
        directorate=request.directorate,
        sponsor=request.sponsor,
        project_manager=request.proposed_manager,
        strategic_objective=request.strategic_objective,
        priority=Project.Priority.LOW + 1 - request.urgency,  # critical urgency, critical priority
        phase=Phase.objects.order_by("order", "pk").first(),
        state=Project.State.ACTIVE,
        baseline_start=request.desired_start,
        baseline_end=request.desired_end,
        forecast_start=request.desired_start,
        forecast_end=request.desired_end,
        budget=sum(costs.values(), Decimal(0)),
        currency=request.currency,
    )
    audit.note(project, by=by, reason="Created by the G0 decision on its request").save()
    _phase_budget(project, request, costs, by=by)
    _people(project, request, by=by)
    _benefit(project, request)
    return project


def months_of_year(year: int, request: ProjectRequest) -> list[date]:
    """The months of `year` within the request's desired dates; the whole year when none of them is
    (or the dates are not known), so that no year's amount is lost."""
    first = request.desired_start or date(year, 1, 1)
    last = request.desired_end or date(year, 12, 31)
    months = [month for month in months_between(first, last) if month.year == year]
    return months or months_between(date(year, 1, 1), date(year, 12, 1))


def _phase_budget(project: Project, request: ProjectRequest, costs: dict[int, Decimal], *, by) -> None:
    category = CostCategory.objects.active().order_by("order", "pk").first()
    if category is None:
        return
    rows = [
        MonthlyAmount(project=project, category=category, kind=MonthlyAmount.Kind.BUDGET, month=month,
                      amount=part, updated_by=by)
        for year, amount in sorted(costs.items())
        for month, part in evenly(amount, months_of_year(year, request)).items()
        if part
    ]  # fmt: skip
    bulk_create_with_history(rows, MonthlyAmount, default_user=by)


def _people(project: Project, request: ProjectRequest, *, by) -> None:
    rows = [
        Demand(project=project, role_id=need.role_id, month=month, fte=fte, updated_by=by)
        for need in request.capacity_needs.all()
        for month, fte in evenly(need.person_months, months_of_year(need.year, request)).items()
        if fte
    ]
    bulk_create_with_history(rows, Demand, default_user=by)


def _benefit(project: Project, request: ProjectRequest) -> None:
    from benefits.models import BenefitProfile

    if not request.expected_annual_benefit:
        return
    starts_on = request.desired_end or timezone.localdate() + ONE_YEAR
    BenefitProfile.objects.create(
        project=project,
        title=request.title,
        description=request.expected_benefits,
        kind=BenefitProfile.Kind.FINANCIAL,
        measure=BenefitProfile.Measure.MANUAL,
        currency=request.currency,
        baseline_value=Decimal(0),
        target_value=request.expected_annual_benefit,
        starts_on=starts_on,
        target_date=starts_on + ONE_YEAR,
        owner=request.sponsor or request.requested_by,
        state=BenefitProfile.State.DRAFT,
    )
