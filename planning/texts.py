"""How planning words the texts it writes into agenda items (see pmo.texts): a broken dependency."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import AgendaItem
from pmo.texts import Text, day, wording

DEPENDENCY_TITLE = "planning.dependency_title"
DEPENDENCY_REASON = "planning.dependency_reason"
TITLE_MAX = AgendaItem._meta.get_field("title").max_length
REASON_MAX = AgendaItem._meta.get_field("reason").max_length


def dependency_title(dependency) -> Text:
    """Names both projects; `dependency` (its id) is how the agenda knows the item is about it."""
    return Text(
        DEPENDENCY_TITLE,
        {
            "dependency": dependency.pk,
            "consumer": f"{dependency.from_project.code} {dependency.from_project.name}",
            "provider": f"{dependency.to_project.code} {dependency.to_project.name}",
        },
    )


def dependency_reason(dependency) -> Text:
    milestone = dependency.provider_milestone
    return Text(
        DEPENDENCY_REASON,
        {
            "days": (milestone.expected_date - dependency.needed_by).days,
            "milestone": milestone.name,
            "expected": milestone.expected_date.isoformat(),
            "needed": dependency.needed_by.isoformat(),
            "met": milestone.actual_date is not None,
        },
    )


@wording(DEPENDENCY_TITLE)
def _dependency_title(*, dependency: int, consumer: str, provider: str) -> str:
    text = _("Broken dependency: %(consumer)s needs %(provider)s") % {
        "consumer": consumer,
        "provider": provider,
    }
    return Truncator(text).chars(TITLE_MAX)


@wording(DEPENDENCY_REASON)
def _dependency_reason(*, days: int, milestone: str, expected: str, needed: str, met: bool) -> str:
    late = ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}
    if met:
        text = _("%(late)s: milestone %(milestone)s met on %(expected)s, needed by %(needed)s.")
    else:
        text = _("%(late)s: milestone %(milestone)s expected %(expected)s, needed by %(needed)s.")
    text %= {"late": late, "milestone": milestone, "expected": day(expected), "needed": day(needed)}
    return Truncator(text).chars(REASON_MAX)
