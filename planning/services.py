"""The writes of the plan's change control: baselines are taken, change requests submitted and decided.

The rule they keep: once a project has a baseline (v1, taken at the gate into execution or by the PMO),
its baseline dates, budget and milestones' baseline dates change only here, when a change request is
approved, and each approval takes the next numbered `Baseline`. Every write is audited (pmo.audit) and
bumps the project's `version`, so an edit form open elsewhere sees the change.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.models import Committee, Decision
from governance.models.reference import next_reference
from planning.impact import impact_of, needs_committee
from planning.models import Baseline, BaselineMilestone, ChangeRequest, ChangeRequestMilestone, PlanPolicy
from pmo import audit
from portfolio import plan_services
from portfolio.models import Milestone, Project
from portfolio.signals import plan_changed


class PlanningError(Exception):
    """A write the plan's rules refuse; the message is for the user."""


# The committee that decides a change request beyond tolerance, when its author names none: the project's
# steering committee first.
COMMITTEE_PREFERENCE = [
    Committee.Kind.STEERING,
    Committee.Kind.PROJECT,
    Committee.Kind.PORTFOLIO,
    Committee.Kind.EXECUTIVE,
    Committee.Kind.TECHNICAL,
]


def deciding_committee(project: Project) -> Committee | None:
    """The active committee covering the project that decides its change requests (steering first)."""
    from governance.forms.gates import committees_covering

    committees = list(committees_covering(project))
    committees.sort(key=lambda c: (COMMITTEE_PREFERENCE.index(c.kind), c.name))
    return committees[0] if committees else None


@transaction.atomic
def baseline_take(
    *, project: Project, by, origin: str, change_request: ChangeRequest | None = None, note: str = ""
) -> Baseline:
    """Freeze the project's current dates, budget and milestones as its next baseline version."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if origin != Baseline.Origin.CHANGE and project.baseline_version:
        raise PlanningError(
            _("The project already has a baseline: it changes only through an approved change request.")
        )
    baseline = Baseline.objects.create(
        project=project,
        number=project.baseline_version + 1,
        origin=origin,
        change_request=change_request,
        start=project.baseline_start,
        end=project.baseline_end,
        budget=project.budget,
        currency=project.currency,
        note=note,
        taken_by=by,
    )
    BaselineMilestone.objects.bulk_create(
        BaselineMilestone(baseline=baseline, milestone=m, name=m.name, date=m.baseline_date, weight=m.weight)
        for m in Milestone.objects.filter(project=project)
    )
    project.baseline_version = baseline.number
    project.version += 1
    audit.note(project, by=by, reason=gettext_noop("baseline taken"))
    project.save(update_fields=["baseline_version", "version", "updated_at"])
    return baseline


@transaction.atomic
def change_request_create(
    *, project: Project, by, moves: list[dict] | None = None, **fields
) -> ChangeRequest:
    """A draft change request; `moves` are its milestone lines: {"milestone" (None: a new one), "name",
    "new_date"}."""
    change_request = ChangeRequest(
        project=project,
        reference=next_reference(f"CR-{timezone.localdate().year}"),
        raised_by=by,
        **fields,
    )
    audit.note(change_request, by=by).save(force_insert=True)
    _replace_moves(change_request, moves or [])
    return change_request


def _replace_moves(change_request: ChangeRequest, moves: list[dict]) -> None:
    change_request.milestone_changes.all().delete()
    ChangeRequestMilestone.objects.bulk_create(
        ChangeRequestMilestone(
            change_request=change_request,
            milestone=move.get("milestone"),
            name=move.get("name", ""),
            new_date=move["new_date"],
        )
        for move in moves
        if move.get("new_date")
    )


@transaction.atomic
def change_request_update(
    *, change_request: ChangeRequest, by, moves: list[dict] | None = None, **fields
) -> ChangeRequest:
    """Change a draft (read again, locked: one submitted meanwhile is not edited); returned."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.state != ChangeRequest.State.DRAFT:
        raise PlanningError(_("Only a draft change request can be edited; withdraw it and raise another."))
    for name, value in fields.items():
        setattr(change_request, name, value)
    change_request.version += 1
    audit.note(change_request, by=by).save()
    if moves is not None:
        _replace_moves(change_request, moves)
    return change_request


@transaction.atomic
def change_request_submit(
    *, change_request: ChangeRequest, by, committee: Committee | None = None
) -> ChangeRequest:
    """Compute the impact and route the request: within the PMO's tolerance to the PMO, beyond it to the
    committee (named, or the project's deciding committee), whose next agenda proposes it. The row is
    locked and read again, so that two submissions at once route it once; the request is returned."""
    change_request = (
        ChangeRequest.objects.select_for_update().select_related("project").get(pk=change_request.pk)
    )
    if change_request.state != ChangeRequest.State.DRAFT:
        raise PlanningError(_("This change request has already been submitted."))
    if change_request.project.baseline_version == 0:
        raise PlanningError(
            _("The project has no baseline yet: its plan can still be changed directly, without a request.")
        )
    impact = impact_of(change_request)
    change_request.impact = impact.as_json()
    if needs_committee(impact, policy=PlanPolicy.current()):
        committee = committee or deciding_committee(change_request.project)
        if committee is None:
            raise PlanningError(
                _(
                    "This change is beyond the PMO's tolerance and no committee covers the project: "
                    "ask the PMO to name one in a committee's scope."
                )
            )
        change_request.route = ChangeRequest.Route.COMMITTEE
        change_request.committee = committee
        change_request.state = ChangeRequest.State.PROPOSED
    else:
        change_request.route = ChangeRequest.Route.PMO
        change_request.state = ChangeRequest.State.SUBMITTED
    change_request.version += 1
    audit.note(change_request, by=by, reason=gettext_noop("change request submitted"))
    change_request.save()
    return change_request


DECISION_TO_STATE = {
    Decision.Outcome.APPROVED: ChangeRequest.State.APPROVED,
    Decision.Outcome.APPROVED_WITH_CONDITIONS: ChangeRequest.State.APPROVED,
    Decision.Outcome.REJECTED: ChangeRequest.State.REJECTED,
    Decision.Outcome.DEFERRED: ChangeRequest.State.DEFERRED,
}


@transaction.atomic
def change_request_decide(
    *, change_request: ChangeRequest, state: str, by, decision: Decision | None = None, note: str = ""
) -> ChangeRequest:
    """Approve, reject or defer a pending request (the PMO within tolerance, the committee's decision beyond).

    Approval applies it: the project's baseline dates and budget, its milestones' baseline dates (a
    forecast earlier than its new baseline date moves with it; a new milestone is created), then the next
    baseline version. A deferred request stays pending and comes back to a later agenda."""
    change_request = (
        ChangeRequest.objects.select_for_update().select_related("project").get(pk=change_request.pk)
    )
    if not change_request.is_pending:
        raise PlanningError(_("This change request has already been decided."))
    if state not in (
        ChangeRequest.State.APPROVED,
        ChangeRequest.State.REJECTED,
        ChangeRequest.State.DEFERRED,
    ):
        raise PlanningError(_("A change request is approved, rejected or deferred."))
    change_request.impact = impact_of(change_request).as_json()  # frozen as decided
    change_request.state = state
    change_request.decision = decision or change_request.decision
    change_request.decision_note = note
    change_request.decided_by = by
    change_request.decided_at = timezone.now()
    change_request.version += 1
    audit.note(change_request, by=by, reason=gettext_noop("change request decided"))
    change_request.save()
    if state == ChangeRequest.State.APPROVED:
        _apply(change_request, by=by)
        # The new baseline and forecast: other apps check them (standards: the tolerance).
        plan_changed.send(sender=Project, project=change_request.project, by=by, source="change")
    return change_request


def _apply(change_request: ChangeRequest, *, by) -> Baseline:
    project = Project.objects.select_for_update().get(pk=change_request.project_id)
    fields = []
    if change_request.new_start:
        project.baseline_start = change_request.new_start
        if project.forecast_start is None or project.forecast_start < change_request.new_start:
            project.forecast_start = change_request.new_start
        fields += ["baseline_start", "forecast_start"]
    if change_request.new_end:
        project.baseline_end = change_request.new_end
        if project.forecast_end is None or project.forecast_end < change_request.new_end:
            project.forecast_end = change_request.new_end
        fields += ["baseline_end", "forecast_end"]
    if change_request.new_budget is not None:
        project.budget = change_request.new_budget
        fields.append("budget")
    if fields:
        project.version += 1
        audit.note(project, by=by, reason=gettext_noop("change request approved"))
        project.save(update_fields=[*fields, "version", "updated_at"])
    approved = gettext_noop("change request approved")
    for line in change_request.milestone_changes.select_related("milestone"):
        milestone = line.milestone
        if milestone is None:  # a new milestone, after the plan's others
            milestone = Milestone(name=line.name, baseline_date=line.new_date, forecast_date=line.new_date)
            plan_services.milestone_add(project=project, milestone=milestone, by=by, reason=approved)
            continue
        milestone.baseline_date = line.new_date
        if milestone.actual_date is None and milestone.forecast_date < line.new_date:
            milestone.forecast_date = line.new_date
        plan_services.milestone_update(
            milestone=milestone,
            version=None,
            fields=["baseline_date", "forecast_date"],
            by=by,
            reason=approved,
        )
    return baseline_take(project=project, by=by, origin=Baseline.Origin.CHANGE, change_request=change_request)


@transaction.atomic
def change_request_withdraw(*, change_request: ChangeRequest, by, reason: str) -> ChangeRequest:
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not (change_request.is_pending or change_request.state == ChangeRequest.State.DRAFT):
        raise PlanningError(_("This change request has already been decided."))
    change_request.state = ChangeRequest.State.WITHDRAWN
    change_request.decision_note = reason
    change_request.version += 1
    audit.note(change_request, by=by, reason=gettext_noop("change request withdrawn")).save()
    return change_request
