"""What governance shows on the project page: a panel and the "overdue actions" signal.

Registered in GovernanceConfig.ready() through portfolio's registries, so that
portfolio does not depend on governance (DESIGN.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Min
from django.utils.formats import date_format
from django.utils.translation import ngettext

from governance.models import Action, GateReview
from pmo.roles import Role
from portfolio.indicators import AMBER, RED, Signal, register_signal_provider
from portfolio.models import Project
from portfolio.panels import register_panel

PANEL_TEMPLATE = "governance/_project_panel.html"
LATEST_DECISIONS = 5
OPEN_ACTIONS_SHOWN = 8
# An action this late, or this many overdue, makes the signal red rather than amber.
OVERDUE_RED_DAYS = 14
OVERDUE_RED_COUNT = 3


def can_request_gate(user, project: Project) -> bool:
    """The PMO, administrators and the project's manager ask for a stage gate review."""
    return user.is_authenticated and (
        project.project_manager_id == user.pk or user.has_role(Role.PMO, Role.ADMINISTRATOR)
    )


def project_panel(*, project: Project, user, today: date) -> dict[str, Any]:
    """Three queries: the latest decisions, the open actions the user may read, the pending gate review.

    Whoever sees the project reads its decisions (the decisions' rule), so they need no filter.
    """
    decisions = list(
        project.decisions.select_related("committee", "superseded_by").order_by("-decided_on", "-reference")[
            :LATEST_DECISIONS
        ]
    )
    actions = list(
        Action.objects.visible_to(user)
        .open()
        .filter(project=project)
        .select_related("owner")
        .order_by("due_date", "reference")[: OPEN_ACTIONS_SHOWN + 1]
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    pending = (
        project.gate_reviews.filter(state=GateReview.State.PENDING)
        .select_related("committee", "from_phase", "to_phase")
        .first()
    )
    return {
        "project": project,
        "decisions": decisions,
        "actions": actions[:OPEN_ACTIONS_SHOWN],
        "more_actions": len(actions) > OPEN_ACTIONS_SHOWN,
        "pending_gate": pending,
        # The tracker is the PMO's page (secretaries reach theirs from their committees).
        "can_open_tracker": user.has_role(Role.PMO, Role.ADMINISTRATOR),
        "can_request_gate": can_request_gate(user, project)
        and pending is None
        and project.phase_id is not None,
    }


def overdue_actions_signal(*, project: Project, user, today: date) -> list[Signal]:
    """One query: the open actions of the project, past their due date, that the user may read."""
    overdue = (
        Action.objects.visible_to(user)
        .overdue(today)
        .filter(project=project)
        .aggregate(count=Count("pk"), oldest=Min("due_date"))
    )
    count = overdue["count"]
    if not count:
        return []
    days = (today - overdue["oldest"]).days
    message = ngettext(
        "%(count)d overdue action, due since %(date)s.",
        "%(count)d overdue actions, the oldest due since %(date)s.",
        count,
    ) % {"count": count, "date": date_format(overdue["oldest"], "SHORT_DATE_FORMAT")}
    level = RED if count >= OVERDUE_RED_COUNT or days > OVERDUE_RED_DAYS else AMBER
    return [Signal("overdue_actions", level, message)]


def register() -> None:
    register_panel(PANEL_TEMPLATE, project_panel, order=10)
    register_signal_provider("governance.overdue_actions", overdue_actions_signal)
