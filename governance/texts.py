"""How governance words the texts it writes into agenda items and decisions (see pmo.texts): standard
items, stage gates, and why an item was proposed."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pmo.texts import Text, day, in_each_language, localised, render, wording
from portfolio.models import Rag
from portfolio.models.assurance import Confidence

RAG_RANK = {Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}


def action_review() -> Text:
    return Text("governance.action_review")


def any_other_business() -> Text:
    return Text("governance.any_other_business")


def project_review(name: str) -> Text:
    return Text("governance.project_review", {"project": name})


def stage_gate(review) -> Text:
    """The title of a gate's agenda item and decision: the project's code and the two phases."""
    return Text(
        "governance.stage_gate",
        {
            "project": review.project.code,
            "from_phase": _phase(review.from_phase),
            "to_phase": _phase(review.to_phase),
        },
    )


def _phase(phase) -> dict:
    return in_each_language(fr=phase.name, en=phase.name_en)


def gate_requested(on) -> Text:
    return Text("governance.gate_requested", {"date": on.isoformat()})


def not_discussed_at(held, then: Text | None = None, *, said: str = "") -> Text:
    """Why an item comes back: the meeting of `held` did not discuss it (then the reason it had, as a key
    `then`, or as the words `said` when a person typed them)."""
    params = {"date": held.isoformat()}
    if then is not None:
        params["then"] = {"key": then.key, "params": then.params}
    elif said:
        params["then"] = said
    return Text("governance.not_discussed_at", params)


def open_actions(*, open: int, overdue: int) -> Text:
    return Text("governance.open_actions", {"open": open, "overdue": overdue})


def project_exceptions(*, rag: str, before: str, slipped: int) -> Text:
    return Text("governance.project_exceptions", {"rag": rag, "before": before, "slipped": slipped})


@wording("governance.action_review")
def _action_review() -> str:
    return _("Follow-up of the previous meeting's actions")


@wording("governance.any_other_business")
def _any_other_business() -> str:
    return _("Any other business")


@wording("governance.project_review")
def _project_review(*, project: str) -> str:
    return _("Project review %(project)s") % {"project": project}


@wording("governance.stage_gate")
def _stage_gate(*, project: str, from_phase: str | dict, to_phase: str | dict) -> str:
    return _("Stage gate %(project)s: %(from)s → %(to)s") % {
        "project": project,
        "from": localised(from_phase),
        "to": localised(to_phase),
    }


@wording("governance.not_discussed_at")
def _not_discussed_at(*, date: str, then: dict | str = "") -> str:
    reason = _("Not discussed at the meeting of %(date)s") % {"date": day(date)}
    if isinstance(then, dict):
        then = render(then["key"], then.get("params"))
    return f"{reason} · {then}" if then else reason


@wording("governance.gate_requested")
def _gate_requested(*, date: str) -> str:
    return _("Gate review requested on %(date)s") % {"date": day(date)}


@wording("governance.open_actions")
def _open_actions(*, open: int, overdue: int) -> str:
    reason = ngettext("%(count)d open action", "%(count)d open actions", open) % {"count": open}
    if overdue:
        reason += ", " + ngettext("%(count)d overdue", "%(count)d overdue", overdue) % {"count": overdue}
    return reason


@wording("governance.project_exceptions")
def _project_exceptions(*, rag: str, before: str, slipped: int) -> str:
    """Red or amber, worse than at the previous meeting, milestones slipped: the reasons that hold."""
    reasons = []
    if rag in (Rag.RED, Rag.AMBER):
        reasons.append(str(Rag(rag).label))
    if rag and before and RAG_RANK[rag] > RAG_RANK.get(before, 0):
        reasons.append(
            _("worsened since last meeting (%(before)s → %(now)s)")
            % {"before": Rag(before).label.lower(), "now": Rag(rag).label.lower()}
        )
    if slipped:
        reasons.append(
            ngettext("%(count)d milestone slipped", "%(count)d milestones slipped", slipped)
            % {"count": slipped}
        )
    return "; ".join(reasons)


def follow_up_review(*, assessment: int, project: str) -> Text:
    """The title of a follow-up review's agenda item; `assessment` (its id) is how the agenda knows the item
    is about it."""
    return Text("governance.follow_up_review", {"assessment": assessment, "project": project})


def follow_up_reason(*, rating: str, assessed_on: date, due: date, reason: str) -> Text:
    return Text(
        "governance.follow_up_reason",
        {"rating": rating, "assessed_on": assessed_on.isoformat(), "due": due.isoformat(), "reason": reason},
    )


@wording("governance.follow_up_review")
def _follow_up_review(*, assessment: int, project: str) -> str:
    return _("Follow-up review %(project)s") % {"project": project}


@wording("governance.follow_up_reason")
def _follow_up_reason(*, rating: str, assessed_on: str, due: str, reason: str) -> str:
    """The assessment that calls for it, when its follow-up was due, and the PMO's reason."""
    text = _("Delivery confidence assessed %(rating)s on %(date)s; follow-up review due %(due)s") % {
        "rating": Confidence(rating).label.lower(),
        "date": day(assessed_on),
        "due": day(due),
    }
    # French puts a space before the colon: the separator is the translation's.
    return _("%(assessment)s: %(reason)s") % {"assessment": text, "reason": reason} if reason else text
