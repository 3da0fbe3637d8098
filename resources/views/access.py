"""Who may use the what-if and the scenarios: the PMO and administrators (everyone else: 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from pmo.models import Role


def may_plan_scenarios(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PMO, Role.ADMINISTRATOR)


def require_planner(user) -> None:
    if not may_plan_scenarios(user):
        raise PermissionDenied
