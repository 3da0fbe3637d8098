"""Risks in committees: escalated risks proposed on the agenda, risk cards on the live page, and the
committee's decision linked back to the escalation once the meeting is closed.

Plugged into governance through its registries (governance.extensions) and its `meeting_closed` signal:
governance does not depend on risks (DESIGN.md).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db.models import Count, OuterRef, Prefetch, Subquery, Window
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from governance.models import Action, AgendaItem, Decision, Meeting
from governance.selectors import Proposal
from pmo.texts import Text
from portfolio.models import Project
from risks.models import Escalation, Risk, RiskAssessment, RiskPolicy

TOP_RISKS = 5
ESCALATION_MINUTES = 10
# Agenda order (governance.selectors, worst first): the follow-up of actions (300) and stage gates (200)
# come first, escalated risks next, worst score first, then the projects' exceptions (at most 39).
ESCALATION_SEVERITY = 100
REASON_MAX = AgendaItem._meta.get_field("reason").max_length
TITLE_MAX = AgendaItem._meta.get_field("title").max_length
# The score-over-time sparkline of the live card, in SVG user units.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 320, 90, 8


def _short(day: date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


# --- The agenda ------------------------------------------------------------------------------------------


def escalated_risks(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """The risks escalated to the meeting's committee that await its decision, one proposal each.

    An escalation already taken up by an item of a meeting still to be held (this one included) waits
    for that meeting; one whose meeting was closed without a decision comes back. Queries: the
    escalations with their risk, its owner, project and previous score; the risk policy when there are
    some.
    """
    on_agenda = [item.pk for item in items if item.pk]
    previous = RiskAssessment.objects.filter(risk=OuterRef("risk")).exclude(score=OuterRef("risk__score"))
    previous = previous.order_by("-assessed_at", "-pk")
    escalations = list(
        Escalation.objects.filter(
            committee=meeting.committee_id, decision__isnull=True, risk__state=Risk.State.OPEN
        )
        .exclude(agenda_item__meeting__state__in=[Meeting.State.PLANNED, Meeting.State.IN_PROGRESS])
        .exclude(agenda_item__in=on_agenda)
        .select_related("risk__project__project_manager", "risk__owner", "escalated_by")
        .annotate(
            previous_score=Subquery(previous.values("score")[:1]),
            previous_at=Subquery(previous.values("assessed_at")[:1]),
        )
        .order_by("-risk__score", "escalated_at", "pk")
    )
    if not escalations:
        return []
    policy = RiskPolicy.current()
    return [
        Proposal(
            kind=AgendaItem.Kind.RISK_ESCALATION,
            title=Truncator(f"{e.risk.reference} {e.risk.title}").chars(TITLE_MAX),
            reason=str(reason := escalation_reason(e, policy=policy)),
            reason_text=reason,
            planned_minutes=ESCALATION_MINUTES,
            project=e.risk.project,
            presenter=e.risk.owner,
            severity=ESCALATION_SEVERITY + e.risk.score,
            subject_key=f"risk-{e.risk_id}",
            on_accept=partial(_take_up, e.pk),
        )
        for e in escalations
    ]


def escalation_reason(escalation: Escalation, *, policy: RiskPolicy) -> Text:
    """Score, level, trend, proximity, then who escalated it and why (risks.texts words it)."""
    risk = escalation.risk
    previous = getattr(escalation, "previous_score", None)
    by = escalation.escalated_by
    return Text(
        "risks.escalation_reason",
        {
            "score": risk.score,
            "level": policy.level_of(risk.score).value,
            "previous": previous,
            "previous_on": timezone.localtime(escalation.previous_at).date().isoformat()
            if previous is not None
            else "",
            "residual": risk.residual_score,
            "proximity": risk.proximity.isoformat() if risk.proximity else "",
            "by": (by.get_full_name() or by.username) if by else "",
            "reason": " ".join(escalation.reason.split()),
        },
    )


def _take_up(escalation_pk: int, item: AgendaItem) -> None:
    """Called by governance's agenda_accept, in its transaction: the escalation now waits for this item."""
    Escalation.objects.filter(pk=escalation_pk).update(agenda_item=item)


# --- The live page -----------------------------------------------------------------------------------------


def project_top_risks(item: AgendaItem, *, user, today: date) -> dict | None:
    """The worst open risks of the item's project, for whoever may see the project (as the status panel).

    None for an item without a project, a risk escalation (its own card shows the risk), or a project
    the user may not see (the status panel already says it is confidential). Queries: may the user see
    the project; the policy; the top risks with their owner and the number of open risks.
    """
    if item.project_id is None or item.kind == AgendaItem.Kind.RISK_ESCALATION:
        return None
    if not Project.objects.visible_to(user).filter(pk=item.project_id).exists():
        return None
    policy = RiskPolicy.current()
    risks = list(
        Risk.objects.open()
        .filter(project=item.project_id)
        .with_levels(policy)
        .select_related("owner")
        .annotate(open_count=Window(Count("pk")))
        .order_by("-score", "proximity", "reference")[:TOP_RISKS]
    )
    for risk in risks:
        risk.overdue = risk.review_overdue(today)
    return {
        "project": item.project,
        "risks": risks,
        "open_count": risks[0].open_count if risks else 0,
        "today": today,
    }


def escalation_card(item: AgendaItem, *, user, today: date) -> dict | None:
    """The escalated risk under discussion: its scores and their history, mitigation, and the decisions
    recorded on the item. Queries: the escalation with its risk (if the user may see the risk); the
    assessments, the mitigation actions and the item's decisions (prefetched); the policy."""
    if item.kind != AgendaItem.Kind.RISK_ESCALATION:
        return None
    escalation = (
        Escalation.objects.filter(agenda_item=item.pk, risk__in=Risk.objects.visible_to(user))
        .select_related(
            "risk__project", "risk__owner", "risk__category", "escalated_by", "decision", "agenda_item"
        )
        .prefetch_related(
            Prefetch("risk__assessments", queryset=RiskAssessment.objects.order_by("assessed_at", "pk")),
            Prefetch(
                "risk__actions", queryset=Action.objects.select_related("owner").order_by("due_date", "pk")
            ),
            Prefetch(
                "agenda_item__decisions",
                queryset=Decision.objects.visible_to(user).order_by("recorded_at", "pk"),
            ),
        )
        .first()
    )
    if escalation is None:
        return None
    policy = RiskPolicy.current()
    risk = escalation.risk
    assessments = list(risk.assessments.all())
    for assessment in assessments:
        assessment.level = policy.level_of(assessment.score)
        assessment.residual_level = policy.level_of(assessment.residual_score)
    actions = list(risk.actions.all())
    for action in actions:
        action.overdue = action.is_overdue(today)
    return {
        "escalation": escalation,
        "risk": risk,
        "level": policy.level_of(risk.score),
        "residual_level": policy.level_of(risk.residual_score),
        "review_overdue": risk.review_overdue(today),
        "assessments": assessments[-6:],  # the table: the latest ones; the sparkline draws them all
        "earlier_count": max(len(assessments) - 6, 0),
        "sparkline": sparkline(assessments, policy=policy),
        "actions": actions,
        "decisions": list(escalation.agenda_item.decisions.all()),
    }


def sparkline(assessments: list[RiskAssessment], *, policy: RiskPolicy) -> dict | None:
    """The score over time as SVG coordinates (drawn by the template: no script), on the level bands."""
    if len(assessments) < 2:
        return None
    inner_w, inner_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD
    step = inner_w / (len(assessments) - 1)

    def y(score: float) -> float:
        return SPARK_PAD + inner_h * (1 - (score - 1) / 24)

    def svg(number: float) -> str:
        # Formatted here: the template would localise "71.2" as "71,2" in French, which SVG refuses.
        return f"{number:.1f}"

    xs = [SPARK_PAD + n * step for n in range(len(assessments))]
    points = [
        {"x": svg(x), "y": svg(y(a.score)), "score": a.score, "level": a.level}
        for x, a in zip(xs, assessments, strict=True)
    ]
    bands = []
    for band in policy.levels():
        top, bottom = y(min(band["high"] + 0.5, 25)), y(max(band["low"] - 0.5, 1))
        bands.append({"level": band["level"].value, "y": svg(top), "height": svg(bottom - top)})
    return {
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "bands": bands,
    }


# --- After the meeting -------------------------------------------------------------------------------------


def _on_meeting_closed(sender, *, meeting: Meeting, **kwargs) -> None:
    from risks.services import link_decisions

    link_decisions(meeting=meeting)


def register() -> None:
    from governance.extensions import register_agenda_source, register_live_extra
    from governance.signals import meeting_closed

    register_agenda_source("risks", escalated_risks)
    register_live_extra("risks/_live_escalation.html", escalation_card, order=10)
    register_live_extra("risks/_live_top_risks.html", project_top_risks, order=20)
    meeting_closed.connect(_on_meeting_closed, dispatch_uid="risks.link_decisions")
