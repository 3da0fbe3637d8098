"""What other apps add to meetings, without governance depending on them (DESIGN.md).

The risks app, in its `AppConfig.ready()`, registers:

- an **agenda source**: `(meeting, *, today, items) -> list[Proposal]`, the items it proposes for
  the meeting's agenda (risks escalated to the committee); `items` is the agenda as it stands;
- a **live extra**: `(item, *, user, today) -> dict | None`, drawn with its template under the
  current item of the live page (a project's top risks, an escalated risk's card). None: nothing.

An app whose agenda source proposes its subject again after a meeting that did not discuss it (planning's
change requests) names those items (`register_items_taken_back`: a `Q` on `AgendaItem`), so that
governance does not carry them over too.

Each function owns its queries: a fixed number, whatever the number of rows (pages pin their count).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

AgendaSource = Callable[..., list]
LiveExtra = Callable[..., dict[str, Any] | None]

_agenda_sources: dict[str, AgendaSource] = {}


@dataclass(frozen=True)
class _Extra:
    template_name: str
    context: LiveExtra
    order: int


_live_extras: dict[str, _Extra] = {}
_taken_back: dict[str, Callable[[], Any]] = {}


def register_agenda_source(name: str, source: AgendaSource) -> None:
    """Add (or replace: `ready()` may run twice) the agenda source called `name`."""
    _agenda_sources[name] = source


def register_live_extra(template_name: str, context_function: LiveExtra, order: int = 100) -> None:
    _live_extras[template_name] = _Extra(template_name, context_function, order)


def register_items_taken_back(name: str, condition: Callable[[], Any]) -> None:
    """`condition()`: a `Q` on `AgendaItem` matching the items the app's own agenda source proposes again."""
    _taken_back[name] = condition


def items_taken_back():
    """The `Q` of every item an app proposes again itself, or None when no app does."""
    conditions = [condition() for _name, condition in sorted(_taken_back.items())]
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def extra_proposals(meeting, *, today, items) -> list:
    return [
        proposal
        for _name, source in sorted(_agenda_sources.items())
        for proposal in source(meeting, today=today, items=items)
    ]


def live_extras(item, *, user, today) -> list[dict[str, Any]]:
    extras = []
    for extra in sorted(_live_extras.values(), key=lambda e: (e.order, e.template_name)):
        context = extra.context(item, user=user, today=today)
        if context is not None:
            extras.append({"template": extra.template_name, "context": context})
    return extras


# --- Gate criteria checked automatically --------------------------------------------------------------------


@dataclass(frozen=True)
class GateCheckRule:
    """A criterion another app can check on the project itself (benefits: an approved benefit profile;
    standards: a deliverable approved). `check(project)` answers True (met), False (not met) or None
    (cannot tell); `explain(project)` says why, in the reader's language."""

    key: str
    label: Any  # a lazy translation
    check: Callable[[Any], bool | None]
    explain: Callable[[Any], str] | None = None


_gate_checks: dict[str, GateCheckRule] = {}


def register_gate_check(rule: GateCheckRule) -> None:
    _gate_checks[rule.key] = rule


def gate_check_choices() -> list[tuple[str, Any]]:
    """For the criterion's form: blank (judged by the committee) and each registered check."""
    return [("", "—"), *((key, rule.label) for key, rule in sorted(_gate_checks.items()))]


def gate_check(key: str) -> GateCheckRule | None:
    return _gate_checks.get(key)


# --- Whom a gate criterion applies to ----------------------------------------------------------------

# `scopes(project)` -> the scope keys the project is in (standards: {"methodology:<code>"}), and
# `choices()` -> [(key, label)] for the criterion's form. A criterion with a blank scope applies to all.
_criterion_scopes: dict[str, tuple[Callable[[Any], set[str]], Callable[[], list[tuple[str, Any]]]]] = {}


def register_criterion_scopes(
    name: str, scopes: Callable[[Any], set[str]], choices: Callable[[], list[tuple[str, Any]]]
) -> None:
    _criterion_scopes[name] = (scopes, choices)


def criterion_scopes(project) -> set[str]:
    keys: set[str] = set()
    for _name, (scopes, _choices) in sorted(_criterion_scopes.items()):
        keys |= set(scopes(project))
    return keys


def criterion_scope_choices() -> list[tuple[str, Any]]:
    """For the criterion's form: blank (every project) and each registered scope."""
    from django.utils.translation import gettext as _

    return [
        ("", _("Every project")),
        *(choice for _name, (_scopes, choices) in sorted(_criterion_scopes.items()) for choice in choices()),
    ]


# --- What other apps show beside a gate's checklist -------------------------------------------------------

GateExtra = Callable[..., dict[str, Any] | None]
_gate_extras: dict[str, _Extra] = {}


def register_gate_extra(template_name: str, context_function: GateExtra, order: int = 100) -> None:
    """`context_function(project, *, user, phase, review)` -> a context for `template_name`, drawn beside
    the checklist of the gate request and gate review pages (benefits: lessons from similar projects, the
    link to record a lesson of this review); None: nothing. `review` is None on the request page."""
    _gate_extras[template_name] = _Extra(template_name, context_function, order)


def gate_extras(project, *, user, phase, review=None) -> list[dict[str, Any]]:
    extras = []
    for extra in sorted(_gate_extras.values(), key=lambda e: (e.order, e.template_name)):
        context = extra.context(project, user=user, phase=phase, review=review)
        if context is not None:
            extras.append({"template": extra.template_name, "context": context})
    return extras


def automatic_result(key: str, project) -> bool | None:
    """The registered check `key` on `project`: True (met), False (not met), None (no such check, or it
    cannot tell). A criterion judged by the committee (blank key) answers None without a query."""
    rule = gate_check(key) if key else None
    return rule.check(project) if rule is not None else None


def mark_automatic(criteria, project, *, criterion_of=lambda item: item) -> None:
    """Set `automatic` (True / False / None) on each item (a criterion, or a check: `criterion_of` gives
    its criterion), for the pages and the live form to show "checked automatically: met / not met". One
    query per registered check used, none for criteria the committee judges."""
    results: dict[str, bool | None] = {}
    for item in criteria:
        key = criterion_of(item).automatic_check
        if key and key not in results:
            results[key] = automatic_result(key, project)
        item.automatic = results.get(key) if key else None
        item.automatic_key = key


# --- What other apps show on a committee's page ----------------------------------------------------------

CommitteeExtra = Callable[..., dict[str, Any] | None]
_committee_extras: dict[str, _Extra] = {}


def register_committee_extra(template_name: str, context_function: CommitteeExtra, order: int = 100) -> None:
    """`context_function(committee, *, user)` -> a context for `template_name`, drawn on the committee's
    page under its mandate (standards: its terms of reference); None: nothing."""
    _committee_extras[template_name] = _Extra(template_name, context_function, order)


def committee_extras(committee, *, user) -> list[dict[str, Any]]:
    extras = []
    for extra in sorted(_committee_extras.values(), key=lambda e: (e.order, e.template_name)):
        context = extra.context(committee, user=user)
        if context is not None:
            extras.append({"template": extra.template_name, "context": context})
    return extras
