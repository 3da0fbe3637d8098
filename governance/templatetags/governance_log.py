"""What the decision log and the action lists ask of a row, with the model's own rules."""

from __future__ import annotations

from datetime import date, timedelta

from django import template

from governance.models import Action
from portfolio.models.status import period_of

register = template.Library()


@register.filter
def overdue_on(action: Action, today: date) -> bool:
    """Overdue is derived (open or in progress, and due before today), never stored."""
    return action.is_overdue(today)


@register.filter
def due_this_week(action: Action, today: date) -> bool:
    """Open, not overdue, and due by the end of this reporting week (Sunday)."""
    return action.is_open and today <= action.due_date <= period_of(today) + timedelta(days=6)


OUTCOME_STYLES = {
    "approved": "text-bg-success",
    "conditional": "text-bg-info",
    "deferred": "text-bg-warning",
    "rejected": "text-bg-danger",
}
IMPLEMENTATION_STYLES = {
    "not_started": "bg-light text-body border",
    "in_progress": "bg-primary-subtle text-primary-emphasis",
    "implemented": "bg-success-subtle text-success-emphasis",
    "not_applicable": "bg-secondary-subtle text-secondary-emphasis",
}
ACTION_STATE_STYLES = {
    "open": "bg-light text-body border",
    "in_progress": "bg-primary-subtle text-primary-emphasis",
    "done": "bg-success-subtle text-success-emphasis",
    "cancelled": "bg-secondary-subtle text-secondary-emphasis",
}


@register.simple_tag
def outcome_class(outcome: str) -> str:
    return OUTCOME_STYLES.get(outcome, "text-bg-light")


@register.simple_tag
def implementation_class(implementation: str) -> str:
    return IMPLEMENTATION_STYLES.get(implementation, "bg-light text-body")


@register.simple_tag
def action_state_class(state: str) -> str:
    return ACTION_STATE_STYLES.get(state, "bg-light text-body")
