"""The `as_at` day a list carries when the dashboard's tile it was opened from shows a past date."""

from __future__ import annotations

from datetime import date


def past_day(value: str | None, *, today: date) -> date | None:
    """`value` as a day before `today`; None for anything else (the list is then today's)."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if day < today else None
