"""Writes of the risk register that touch several rows: each is one transaction, all or nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance import services as governance
from governance.models import Action, Committee, next_reference
from pmo import audit
from risks.models import Escalation, Issue, Risk, RiskAssessment, RiskPolicy
from risks.texts import FIRST_ASSESSMENT

SCORING_FIELDS = ("probability", "impact", "residual_probability", "residual_impact")
REASSESSED = gettext_noop("risk re-assessed")  # the reason the audit trail shows (pmo.audit.because)


class RiskError(Exception):
    """A change the register refuses, with a message for the user."""


def _assess(risk: Risk, *, by, note: str = "", note_key: str = "", at=None) -> RiskAssessment:
    return RiskAssessment.objects.create(
        risk=risk,
        probability=risk.probability,
        impact=risk.impact,
        score=risk.score,
        residual_probability=risk.residual_probability,
        residual_impact=risk.residual_impact,
        residual_score=risk.residual_score,
        note=note,
        note_key=note_key,
        assessed_by=by,
        assessed_at=at or timezone.now(),
    )


def default_review_date(today: date | None = None, *, policy: RiskPolicy | None = None) -> date:
    policy = policy or RiskPolicy.current()
    return (today or timezone.localdate()) + timedelta(days=policy.review_every_days)


@transaction.atomic
def risk_create(*, risk: Risk, by) -> Risk:
    """Record a new risk (validated by its form) and its first assessment."""
    risk.reference = next_reference("RSK")
    risk.created_by = by
    if risk.next_review_on is None:
        risk.next_review_on = default_review_date()
    risk.full_clean(exclude=["reference", "score"])
    audit.note(risk, by=by).save()
    _assess(risk, by=by, note=_("First assessment"), note_key=FIRST_ASSESSMENT)
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by, note: str = "") -> Risk:
    """Save the edited risk; a change of its scores is a new assessment in its history."""
    before = Risk.objects.select_for_update().get(pk=risk.pk)
    if before.state != Risk.State.OPEN and risk.state == before.state and _scored_differently(before, risk):
        raise RiskError(_("This risk is no longer open: it cannot be re-assessed."))
    risk.full_clean(exclude=["reference", "score"])
    rescored = _scored_differently(before, risk)
    audit.note(risk, by=by, reason=REASSESSED if rescored else "")
    risk.save()
    if rescored:
        _assess(risk, by=by, note=note)
    return risk


def _scored_differently(before: Risk, after: Risk) -> bool:
    return any(getattr(before, f) != getattr(after, f) for f in SCORING_FIELDS)


@transaction.atomic
def risk_reassess(
    *,
    risk: Risk,
    by,
    probability: int,
    impact: int,
    residual_probability: int | None = None,
    residual_impact: int | None = None,
    residual_reason: str | None = None,
    note: str = "",
    next_review_on: date | None = None,
) -> RiskAssessment:
    """A review: new scores (possibly unchanged), kept in the history, and the next review date."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if not risk.is_open:
        raise RiskError(_("This risk is no longer open: it cannot be re-assessed."))
    risk.probability, risk.impact = probability, impact
    risk.residual_probability, risk.residual_impact = residual_probability, residual_impact
    if residual_reason is not None:
        risk.residual_reason = residual_reason
    risk.next_review_on = next_review_on or default_review_date()
    risk.last_reminded_on = None
    risk.full_clean(exclude=["reference", "score"])
    audit.note(risk, by=by, reason=REASSESSED)
    risk.save()
    return _assess(risk, by=by, note=note)


@transaction.atomic
def risk_close(*, risk: Risk, by, note: str) -> Risk:
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if not risk.is_open:
        raise RiskError(_("This risk is already %(state)s.") % {"state": risk.get_state_display().lower()})
    risk.state = Risk.State.CLOSED
    risk.closing_note = note
    risk.closed_on = timezone.localdate()
    risk.full_clean(exclude=["reference", "score"])
    audit.note(risk, by=by).save(update_fields=["state", "closing_note", "closed_on", "updated_at"])
    return risk


@transaction.atomic
def risk_reopen(*, risk: Risk, by) -> Risk:
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.state != Risk.State.CLOSED:
        raise RiskError(_("Only a closed risk can be reopened."))
    risk.state = Risk.State.OPEN
    risk.closed_on = None
    audit.note(risk, by=by).save(update_fields=["state", "closed_on", "updated_at"])
    return risk


@transaction.atomic
def risk_occurred(
    *,
    risk: Risk,
    by,
    title: str | None = None,
    description: str | None = None,
    severity: str | None = None,
    owner=None,
    due_date: date | None = None,
) -> Issue:
    """The risk happened: it becomes an issue in one step, each pointing at the other."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if not risk.is_open:
        raise RiskError(_("Only an open risk can occur."))
    if Issue.objects.filter(risk=risk).exists():
        raise RiskError(_("This risk has already become an issue."))
    policy = RiskPolicy.current()
    issue = Issue(
        project=risk.project,
        portfolio=risk.portfolio,
        directorate=risk.directorate,
        title=title or risk.title,
        description=description if description is not None else _description_from(risk),
        severity=severity or policy.level_of(risk.score).value,
        owner=owner or risk.owner,
        due_date=due_date,
        risk=risk,
    )
    issue = issue_create(issue=issue, by=by)
    risk.state = Risk.State.OCCURRED
    risk.closed_on = timezone.localdate()
    audit.note(risk, by=by, reason=gettext_noop("the risk occurred: it is followed as an issue"))
    risk.save(update_fields=["state", "closed_on", "updated_at"])
    return issue


def _description_from(risk: Risk) -> str:
    parts = [risk.description]
    if risk.effect:
        parts.append(_("Expected effect: %(effect)s") % {"effect": risk.effect})
    return "\n\n".join(p for p in parts if p)


@transaction.atomic
def issue_create(*, issue: Issue, by) -> Issue:
    issue.reference = next_reference("ISS")
    issue.created_by = by
    issue.full_clean(exclude=["reference"])
    audit.note(issue, by=by).save()
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, by) -> Issue:
    """Save an edited issue; resolving it dates it (and reopening clears the date)."""
    if issue.state in (Issue.State.RESOLVED, Issue.State.CLOSED):
        issue.resolved_on = issue.resolved_on or timezone.localdate()
    else:
        issue.resolved_on = None
    issue.full_clean(exclude=["reference"])
    audit.note(issue, by=by).save()
    return issue


@transaction.atomic
def risk_escalate(*, risk: Risk, committee: Committee, reason: str, by) -> Escalation:
    """Send the risk to a committee: it is proposed on the committee's next agenda until discussed."""
    if not risk.is_open:
        raise RiskError(_("Only an open risk can be escalated."))
    if risk.escalations.filter(committee=committee, decision__isnull=True).exists():
        raise RiskError(
            _("This risk is already escalated to %(committee)s and awaits its decision.")
            % {"committee": committee}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the committee must decide.")})
    return Escalation.objects.create(risk=risk, committee=committee, reason=reason, escalated_by=by)


@transaction.atomic
def mitigation_action_create(*, risk: Risk, title: str, owner, due_date: date, by, **fields) -> Action:
    """A mitigation action is a governance action from this risk, followed like any other."""
    if not risk.is_open:
        raise RiskError(_("This risk is no longer open: plan the follow-up on its issue."))
    action = governance.action_create(
        title=title,
        owner=owner,
        due_date=due_date,
        by=by,
        project=risk.project,
        origin=Action.Origin.RISK,
        **fields,
    )
    risk.actions.add(action)
    return action


def link_decisions(*, meeting) -> int:
    """After a meeting is closed: each escalation it discussed points at the committee's decision."""
    linked = 0
    for escalation in Escalation.objects.filter(agenda_item__meeting=meeting, decision__isnull=True):
        decision = escalation.agenda_item.decisions.order_by("recorded_at", "pk").first()
        if decision is not None:
            escalation.decision = decision
            escalation.save(update_fields=["decision"])
            linked += 1
    return linked
