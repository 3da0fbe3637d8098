"""How demand words the texts it writes into agenda items (see pmo.texts), in each reader's language: a
request brought to the portfolio committee for its G0 decision, and why."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.models import AgendaItem
from pmo.texts import Text, wording

TITLE_MAX = AgendaItem._meta.get_field("title").max_length
REASON_MAX = AgendaItem._meta.get_field("reason").max_length

G0_TITLE = "demand.g0_title"
G0_REASON = "demand.g0_reason"


def g0_title(project_request) -> Text:
    """`request` (its id) is how the agenda and the decision receiver know the item is about it."""
    params = {"request": project_request.pk, "code": project_request.code, "title": project_request.title}
    return Text(G0_TITLE, params)


def g0_reason(*, directorate: str, total: Decimal, currency: str, score: Decimal | None) -> Text:
    """Figures are kept as text and formatted for each reader."""
    return Text(
        G0_REASON,
        {"directorate": directorate, "total": str(total), "currency": currency,
         "score": "" if score is None else str(score)},
    )  # fmt: skip


def _number(value: str, decimals: int) -> str:
    """A stored decimal (as text, so that the parameters stay JSON), in the reader's format."""
    return number_format(Decimal(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)


@wording(G0_TITLE)
def _g0_title(*, request: int, code: str, title: str) -> str:
    text = _("G0 decision: %(code)s %(title)s") % {"code": code, "title": title}
    return Truncator(text).chars(TITLE_MAX)


@wording(G0_REASON)
def _g0_reason(*, directorate: str, total: str, currency: str, score: str) -> str:
    cost = _("Project request of %(directorate)s; estimated cost %(total)s %(currency)s") % {
        "directorate": directorate,
        "total": _number(total, 0),
        "currency": currency,
    }
    scored = _("score %(score)s / 100") % {"score": _number(score, 1)} if score else _("not scored")
    return Truncator(_("%(cost)s; %(score)s") % {"cost": cost, "score": scored}).chars(REASON_MAX)
