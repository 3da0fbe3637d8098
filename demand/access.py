"""Who may bring a request, qualify it, withdraw it (reading and editing: `ProjectRequest.objects.visible_to`
and `editable_by`, the one rule each)."""

from __future__ import annotations

from demand.models import ProjectRequest
from pmo.roles import Role


def can_submit(user) -> bool:
    """Anyone signed in, active, holding a role, in a directorate (their requests are their directorate's);
    the PMO and administrators submit for any directorate, so they need none."""
    if not (user.is_authenticated and user.is_active and user.roles):
        return False
    return bool(user.directorate_id) or user.has_role(Role.PMO, Role.ADMINISTRATOR)


def can_qualify(user) -> bool:
    """The PMO (and administrators) qualify requests: complete, or incomplete with a comment."""
    return user.is_authenticated and user.has_role(Role.PMO, Role.ADMINISTRATOR)


def can_withdraw(user, project_request: ProjectRequest) -> bool:
    """The requester, or the PMO, withdraws an open request before the committee's decision."""
    if not project_request.is_open:
        return False
    return project_request.requested_by_id == user.pk or can_qualify(user)


def can_choose_directorate(user) -> bool:
    return user.has_role(Role.PMO, Role.ADMINISTRATOR)
