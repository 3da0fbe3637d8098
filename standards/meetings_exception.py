"""Exception reports in committees: a submitted report proposed on its committee's next meeting, its card
on the live page (the breach, the options with their effects, the recommended one, the recovery actions,
the form that picks an option), and the decision recorded on its item applied to it.

Plugged into governance through its registries and its `decision_recorded` signal (governance does not
depend on standards), the way demand's G0 is: items are recognised by their title's key and parameters
(pmo.texts). The item is about the report's project, so governance's veil hides it (title, reason,
decisions) from a reader who may not see a confidential project.

The decision: the live card's form records a governance decision (its title names the option chosen, as
the key `standards.exception_decision` with the option's id); any decision recorded on the item reaches
`_on_decision_recorded` in its transaction: one naming an option picks it, a plain "approved" picks the
recommended option, "deferred" or "rejected" leave the report submitted (it comes back to a later agenda).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from governance.models import AgendaItem, Decision, Meeting
from governance.selectors import Proposal, carried_over_items, decided_item_params
from pmo.texts import Text, wording
from standards.models import ExceptionOption, ExceptionReport, RecoveryAction

EXCEPTION_TITLE = "standards.exception_title"
EXCEPTION_REASON = "standards.exception_reason"
EXCEPTION_DECISION = "standards.exception_decision"
EXCEPTION_MINUTES = 15
# Agenda order (governance.selectors, worst first): after change requests (50 to 99), before the projects'
# own exceptions of RAG and milestones (at most 39).
EXCEPTION_SEVERITY = 45
STILL_TO_BE_HELD = (Meeting.State.PLANNED, Meeting.State.IN_PROGRESS)
TITLE_MAX = AgendaItem._meta.get_field("title").max_length
REASON_MAX = AgendaItem._meta.get_field("reason").max_length


# --- Texts (pmo.texts), worded in each reader's language --------------------------------------------------


def title_of(report: ExceptionReport) -> Text:
    project = report.project
    return Text(EXCEPTION_TITLE, {"reference": report.reference, "code": project.code, "name": project.name})


def reason_of(report: ExceptionReport) -> Text:
    return Text(
        EXCEPTION_REASON,
        {
            "cost": str(report.forecast_cost - report.budget)
            if report.cost_breached and report.forecast_cost is not None and report.budget
            else "",
            "cost_percent": str(
                ((report.forecast_cost - report.budget) * 100 / report.budget).quantize(Decimal("0.1"))
            )
            if report.cost_breached and report.forecast_cost is not None and report.budget
            else "",
            "currency": report.project.currency,
            "slip": report.slip_days if report.schedule_breached else None,
            "scope": str(report.scope_growth_percent) if report.scope_breached else "",
        },
    )


def decision_title(report: ExceptionReport, option: ExceptionOption) -> Text:
    return Text(
        EXCEPTION_DECISION, {"reference": report.reference, "option": option.pk, "title": option.title}
    )


def _number(value: str, places: int) -> str:
    return number_format(Decimal(value), decimal_pos=places, use_l10n=True, force_grouping=True)


@wording(EXCEPTION_TITLE)
def _title(*, reference: str, code: str, name: str) -> str:
    text = _("Exception report %(reference)s: %(code)s %(name)s") % {
        "reference": reference,
        "code": code,
        "name": name,
    }
    return Truncator(text).chars(TITLE_MAX)


@wording(EXCEPTION_REASON)
def _reason(*, cost: str, cost_percent: str, currency: str, slip: int | None, scope: str) -> str:
    parts = []
    if cost:
        parts.append(
            _("forecast cost %(amount)s %(currency)s (+%(percent)s %%) above budget")
            % {"amount": _number(cost, 0), "currency": currency, "percent": _number(cost_percent, 1)}
        )
    if slip is not None:
        parts.append(_("forecast end %(days)s days after the baseline") % {"days": slip})
    if scope:
        parts.append(_("release scope grown by %(percent)s %%") % {"percent": _number(scope, 1)})
    separator = pgettext("between the broken tolerances", "; ")
    text = _("Tolerance broken: %(what)s") % {"what": separator.join(parts) or "—"}
    return Truncator(text).chars(REASON_MAX)


@wording(EXCEPTION_DECISION)
def _decision(*, reference: str, option: int, title: str) -> str:
    text = _("%(reference)s: option chosen, %(title)s") % {"reference": reference, "title": title}
    return Truncator(text).chars(Decision._meta.get_field("title").max_length)


# --- The agenda -------------------------------------------------------------------------------------------


def _waiting(meeting: Meeting) -> set:
    """The reports an item of the committee waits for: in a meeting still to be held with no decision
    recorded on it yet, or left undiscussed by a closed one (governance carries that one over). One query."""
    carried = carried_over_items(meeting.committee_id, before=meeting.starts_at).values("pk")
    params = (
        AgendaItem.objects.filter(meeting__committee=meeting.committee_id, title_key=EXCEPTION_TITLE)
        .filter(Q(meeting__state__in=STILL_TO_BE_HELD, decisions__isnull=True) | Q(pk__in=carried))
        .values_list("title_params", flat=True)
    )
    return {(p or {}).get("reference") for p in params}


def exception_proposals(meeting: Meeting, *, today: date, items: list[AgendaItem]) -> list[Proposal]:
    """One decision request per report submitted to the meeting's committee that no item waits for,
    presented by the project's manager. Queries: the reports with their project and its manager; when
    there are some, the waiting items."""
    reports = list(
        ExceptionReport.objects.filter(state=ExceptionReport.State.SUBMITTED, committee=meeting.committee_id)
        .select_related("project__project_manager")
        .order_by("submitted_on", "pk")
    )
    if not reports:
        return []
    waiting = _waiting(meeting)
    proposals = []
    for report in reports:
        if report.reference in waiting:
            continue
        title, reason = title_of(report), reason_of(report)
        proposals.append(
            Proposal(
                kind=AgendaItem.Kind.DECISION_REQUEST,
                title=str(title),
                reason=str(reason),
                title_text=title,
                reason_text=reason,
                planned_minutes=EXCEPTION_MINUTES,
                project=report.project,
                presenter=report.project.project_manager,
                severity=EXCEPTION_SEVERITY,
                subject_key=f"exception-{report.pk}",
            )
        )
    return proposals


# --- The live page ----------------------------------------------------------------------------------------


def live_card(item: AgendaItem, *, user, today: date) -> dict | None:
    """The report the item is about, as the committee weighs it. None, without a query, for any other item;
    "hidden" when its project is hidden from the reader. Queries: the report with its project, options
    and recovery actions with their owners; the decisions on the item; whether the reader runs the meeting."""
    from standards.services_exception import exceptions_visible_to

    if item.title_key != EXCEPTION_TITLE:
        return None
    report = (
        exceptions_visible_to(user)
        .filter(reference=(item.title_params or {}).get("reference"))
        .select_related("project", "chosen_option")
        .prefetch_related(
            Prefetch("options", queryset=ExceptionOption.objects.order_by("order", "pk")),
            Prefetch(
                "recovery_actions",
                queryset=RecoveryAction.objects.select_related("owner", "action").order_by("due_date", "pk"),
            ),
        )
        .first()
    )
    if report is None:
        return {"kind": "exception_hidden"}
    actions = list(report.recovery_actions.all())
    options = [
        {"option": option, "actions": [a for a in actions if a.option_id == option.pk]}
        for option in report.options.all()
    ]
    manage = (
        report.state == ExceptionReport.State.SUBMITTED
        and Meeting.objects.managed_by(user)
        .filter(pk=item.meeting_id, state=Meeting.State.IN_PROGRESS)
        .exists()
    )
    return {
        "kind": "exception",
        "report": report,
        "item": item,
        "options": options,
        "common_actions": [a for a in actions if a.option_id is None],
        "manage": manage,
        "decisions": list(
            Decision.objects.visible_to(user).filter(agenda_item=item.pk).order_by("recorded_at", "pk")
        ),
    }


# --- The committee's decision -----------------------------------------------------------------------------


def _on_decision_recorded(sender, *, decision: Decision, by, **kwargs) -> None:
    """A decision recorded on a submitted report's item decides it, in the same transaction."""
    from standards.services_exception import exception_decide

    params = decided_item_params(decision, EXCEPTION_TITLE)
    if params is None:
        return
    report = ExceptionReport.objects.filter(
        reference=params.get("reference"), state=ExceptionReport.State.SUBMITTED
    ).first()
    if report is None:
        return
    options = report.options.all()
    if decision.title_key == EXCEPTION_DECISION:
        option = options.filter(pk=(decision.title_params or {}).get("option")).first()
    elif decision.outcome in (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS):
        option = options.filter(recommended=True).first()
    else:
        option = None  # deferred or rejected: the report stays submitted
    if option is not None:
        exception_decide(report=report, option=option, decision=decision, by=by)


def register() -> None:
    from governance.extensions import register_agenda_source, register_live_extra
    from governance.signals import decision_recorded

    register_agenda_source("exception_reports", exception_proposals)
    register_live_extra("standards/_exception_live_card.html", live_card, order=15)
    decision_recorded.connect(_on_decision_recorded, dispatch_uid="standards.exception_decided")
