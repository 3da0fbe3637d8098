"""How planning words the texts it writes into agenda items (see pmo.texts), in each reader's language: a
change request's title and why the committee must decide it; a broken dependency's, naming both projects."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from governance.models import AgendaItem
from pmo.texts import Text, day, wording

TITLE_MAX = AgendaItem._meta.get_field("title").max_length
REASON_MAX = AgendaItem._meta.get_field("reason").max_length

CHANGE_REQUEST_TITLE = "planning.change_request_title"
CHANGE_REQUEST_REASON = "planning.change_request_reason"


def change_request_title(*, reference: str, title: str) -> Text:
    return Text(CHANGE_REQUEST_TITLE, {"reference": reference, "title": title})


def change_request_reason(
    *, slip_days: int, budget_change: str | None, budget_percent: str | None, currency: str, breaks: int
) -> Text:
    return Text(
        CHANGE_REQUEST_REASON,
        {
            "slip_days": slip_days,
            "budget_change": budget_change,
            "budget_percent": budget_percent,
            "currency": currency,
            "breaks": breaks,
        },
    )


@wording(CHANGE_REQUEST_TITLE)
def _title(*, reference: str, title: str) -> str:
    words = _("%(reference)s %(title)s (change request)") % {"reference": reference, "title": title}
    return Truncator(words).chars(TITLE_MAX)


def signed(value: Decimal, *, places: int) -> str:
    sign = "+" if value > 0 else ""  # a negative number carries its own sign
    return sign + number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@wording(CHANGE_REQUEST_REASON)
def _reason(
    *, slip_days: int, budget_change: str | None, budget_percent: str | None, currency: str, breaks: int
) -> str:
    """The slip, the budget change (amount and share of the budget), the other projects' dependencies it
    breaks (a count: the reader may not see those projects)."""
    parts = []
    if slip_days:
        parts.append(ngettext("slips %(days)d day", "slips %(days)d days", slip_days) % {"days": slip_days})
    else:
        parts.append(_("no slip"))
    if budget_change is not None and Decimal(budget_change) != 0:
        amount = signed(Decimal(budget_change), places=0) + f" {currency}"
        if budget_percent is not None:
            parts.append(
                _("budget %(amount)s (%(percent)s %%)")
                % {"amount": amount, "percent": signed(Decimal(budget_percent), places=1)}
            )
        else:
            parts.append(_("budget %(amount)s") % {"amount": amount})
    if breaks:
        parts.append(
            ngettext(
                "breaks %(count)d dependency of another project",
                "breaks %(count)d dependencies of other projects",
                breaks,
            )
            % {"count": breaks}
        )
    words = pgettext("between the parts of a reason", "; ").join(parts)
    return Truncator(words[:1].upper() + words[1:]).chars(REASON_MAX)


DEPENDENCY_TITLE = "planning.dependency_title"
DEPENDENCY_REASON = "planning.dependency_reason"


def _named(project, named: bool) -> str:
    return f"{project.code} {project.name}" if named else ""


def dependency_title(dependency, *, in_scope: set[int]) -> Text:
    """Names both projects, except a confidential one outside the committee's scope (its members may not see
    it: "a confidential project"); `dependency` (its id) is how the agenda knows the item is about it."""
    consumer, provider = dependency.from_project, dependency.to_project
    return Text(
        DEPENDENCY_TITLE,
        {
            "dependency": dependency.pk,
            "consumer": _named(consumer, consumer.pk in in_scope or not consumer.confidential),
            "provider": _named(provider, provider.pk in in_scope or not provider.confidential),
        },
    )


def dependency_reason(dependency, *, in_scope: set[int]) -> Text:
    milestone = dependency.provider_milestone
    return Text(
        DEPENDENCY_REASON,
        {
            "days": dependency.days_late,
            "milestone": milestone.name
            if dependency.to_project_id in in_scope or not dependency.to_project.confidential
            else "",
            "expected": milestone.expected_date.isoformat(),
            "needed": dependency.needed_by.isoformat(),
            "met": milestone.actual_date is not None,
        },
    )


@wording(DEPENDENCY_TITLE)
def _dependency_title(*, dependency: int, consumer: str, provider: str) -> str:
    hidden = _("a confidential project")
    text = _("Broken dependency: %(consumer)s needs %(provider)s") % {
        "consumer": consumer or hidden,
        "provider": provider or hidden,
    }
    return Truncator(text).chars(TITLE_MAX)


@wording(DEPENDENCY_REASON)
def _dependency_reason(*, days: int, milestone: str, expected: str, needed: str, met: bool) -> str:
    late = ngettext("%(days)d day late", "%(days)d days late", days) % {"days": days}
    if met:
        text = _("%(late)s: milestone %(milestone)s met on %(expected)s, needed by %(needed)s.")
    else:
        text = _("%(late)s: milestone %(milestone)s expected %(expected)s, needed by %(needed)s.")
    milestone = milestone or _("of a confidential project")
    text %= {"late": late, "milestone": milestone, "expected": day(expected), "needed": day(needed)}
    return Truncator(text).chars(REASON_MAX)
