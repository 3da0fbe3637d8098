"""How benefits words the texts it writes into agenda items (see pmo.texts), in each reader's language:
benefits at risk on a project, named as the committee may show it ("a confidential project" otherwise)."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import AgendaItem
from pmo.texts import Text, wording

TITLE_MAX = AgendaItem._meta.get_field("title").max_length
REASON_MAX = AgendaItem._meta.get_field("reason").max_length

AT_RISK_TITLE = "benefits.at_risk_title"
AT_RISK_REASON = "benefits.at_risk_reason"


def at_risk_title(*, project_id: int, label: str) -> Text:
    """`label`: "CODE name", or "" for a project the committee may not name."""
    return Text(AT_RISK_TITLE, {"project": project_id, "label": label})


def at_risk_reason(*, count: int, not_measured: int) -> Text:
    return Text(AT_RISK_REASON, {"count": count, "not_measured": not_measured})


@wording(AT_RISK_TITLE)
def _at_risk_title(*, project: int, label: str) -> str:
    name = label or _("a confidential project")
    return Truncator(_("Benefits at risk: %(project)s") % {"project": name}).chars(TITLE_MAX)


@wording(AT_RISK_REASON)
def _at_risk_reason(*, count: int, not_measured: int) -> str:
    text = ngettext(
        "%(count)d approved benefit under 80 %% of its plan or not measured",
        "%(count)d approved benefits under 80 %% of their plan or not measured",
        count,
    ) % {"count": count}
    if not_measured:
        text += "; " + ngettext("%(count)d not measured yet", "%(count)d not measured yet", not_measured) % {
            "count": not_measured
        }
    return Truncator(text).chars(REASON_MAX)
