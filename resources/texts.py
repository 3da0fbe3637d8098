"""How resources words the texts it writes into agenda items (see pmo.texts), in each reader's language: a
scenario's title and its before / after figures; an over-allocated directorate x role, its months and the
projects behind it (as the committee may show them: "a confidential project" otherwise)."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import AgendaItem
from pmo.texts import Text, wording

TITLE_MAX = AgendaItem._meta.get_field("title").max_length
REASON_MAX = AgendaItem._meta.get_field("reason").max_length

SCENARIO_TITLE = "resources.scenario_title"
SCENARIO_REASON = "resources.scenario_reason"
OVER_TITLE = "resources.over_allocation_title"
OVER_REASON = "resources.over_allocation_reason"


def scenario_title(scenario) -> Text:
    """`scenario` (its id) is how the agenda and the decision receiver know the item is about it."""
    return Text(SCENARIO_TITLE, {"scenario": scenario.pk, "name": scenario.name})


def scenario_reason(*, changes: int, over_before: int, over_after: int, forecast_before: str,
                    forecast_after: str, currency: str, year: str) -> Text:  # fmt: skip
    """Counts and totals only: never a project's name (the agenda's readers may not see it)."""
    return Text(
        SCENARIO_REASON,
        {
            "changes": changes,
            "over_before": over_before,
            "over_after": over_after,
            "forecast_before": forecast_before,
            "forecast_after": forecast_after,
            "currency": currency,
            "year": year,
        },
    )


def over_title(*, directorate_id: int, role_id: int, directorate: str, role: str, role_en: str) -> Text:
    return Text(
        OVER_TITLE,
        {"directorate_id": directorate_id, "role_id": role_id, "directorate": directorate, "role": role,
         "role_en": role_en},
    )  # fmt: skip


def over_reason(*, months: list[tuple[date, int | None]], projects: list[str]) -> Text:
    """`months`: (month, load in % or None when there is no capacity); `projects`: "CODE name" or "" for a
    project the committee may not name."""
    return Text(
        OVER_REASON,
        {"months": [[month.isoformat(), load] for month, load in months], "projects": projects},
    )


def month_label(month: date) -> str:
    return date_format(month, "M Y")


def load_label(load: int | None) -> str:
    return f"{load} %" if load is not None else _("no capacity")


@wording(SCENARIO_TITLE)
def _scenario_title(*, scenario: int, name: str) -> str:
    return Truncator(_("What-if scenario: %(name)s") % {"name": name}).chars(TITLE_MAX)


@wording(SCENARIO_REASON)
def _scenario_reason(
    *, changes, over_before, over_after, forecast_before, forecast_after, currency, year
) -> str:
    moved = ngettext("%(count)d project moved", "%(count)d projects moved", changes) % {"count": changes}
    over = _("over-allocated cells %(before)d → %(after)d") % {"before": over_before, "after": over_after}
    money = _("forecast %(year)s %(before)s → %(after)s %(currency)s") % {
        "year": year, "before": forecast_before, "after": forecast_after, "currency": currency,
    }  # fmt: skip
    return Truncator(f"{moved}; {over}; {money}").chars(REASON_MAX)


@wording(OVER_TITLE)
def _over_title(*, directorate_id, role_id, directorate: str, role: str, role_en: str) -> str:
    from django.utils.translation import get_language

    label = role_en if get_language() == "en" else role
    text = _("Over-allocation: %(directorate)s / %(role)s") % {"directorate": directorate, "role": label}
    return Truncator(text).chars(TITLE_MAX)


@wording(OVER_REASON)
def _over_reason(*, months: list, projects: list[str]) -> str:
    hidden = _("a confidential project")
    cells = ", ".join(f"{month_label(date.fromisoformat(m))} ({load_label(load)})" for m, load in months)
    names = ", ".join(name or hidden for name in projects)
    text = _("Over-allocated in %(months)s; demand from %(projects)s") % {"months": cells, "projects": names}
    return Truncator(text).chars(REASON_MAX)
