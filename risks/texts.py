"""How risks words the texts it writes into agenda items (see pmo.texts): why an escalated risk is there."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.models import AgendaItem
from pmo.texts import day, wording
from risks.models import RiskLevel

REASON_MAX = AgendaItem._meta.get_field("reason").max_length


FIRST_ASSESSMENT = "risks.first_assessment"


@wording(FIRST_ASSESSMENT)
def _first_assessment() -> str:
    return _("First assessment")


@wording("risks.escalation_reason")
def _escalation_reason(
    *, score: int, level: str, previous, previous_on: str, residual, proximity: str, by: str, reason: str
) -> str:
    """Score, level, trend, proximity, then who escalated it and why, within an agenda item's reason."""
    parts = [
        _("Score %(score)d (%(level)s)") % {"score": score, "level": str(RiskLevel(level).label).lower()}
    ]
    if previous is not None:
        parts[0] += ", " + _("was %(score)d on %(date)s") % {"score": previous, "date": day(previous_on)}
    if residual is not None:
        parts.append(_("residual %(score)d") % {"score": residual})
    if proximity:
        parts.append(_("proximity %(date)s") % {"date": day(proximity)})
    head = "; ".join(parts) + "; "
    lead = _("escalated by %(name)s: ") % {"name": by} if by else _("escalated: ")
    room = REASON_MAX - len(head) - len(lead)
    return head + lead + Truncator(reason).chars(max(room, 10))
