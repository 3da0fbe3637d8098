"""Who reads and who changes the portfolio scenarios: one rule for every page, export and partial.

The PMO and administrators create, compute, force and archive them; executives and the people of a
portfolio committee (chair, secretary, members), who decide the portfolio, read them; anyone else gets
403 (the scenarios exist, the page says so, but they are not theirs to read). Inside a scenario, a
confidential project is named only to who may see it (`Project.objects.visible_to`): to the others it is
"a confidential project", still counted in the totals, since the totals are the committee's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from demand.models import PortfolioScenario
from pmo.roles import Role
from portfolio.models import Project

MANAGERS = (Role.PMO, Role.ADMINISTRATOR)


def can_change_scenarios(user) -> bool:
    return user.is_authenticated and user.has_role(*MANAGERS)


def can_read_scenarios(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_role(*MANAGERS, Role.EXECUTIVE):
        return True
    from governance.models import Committee

    return (
        Committee.objects.filter(kind=Committee.Kind.PORTFOLIO)
        .filter(Q(chair=user) | Q(secretary=user) | Q(memberships__user=user))
        .exists()
    )


def require_reader(user) -> None:
    if not can_read_scenarios(user):
        raise PermissionDenied


def scenario_for(user, pk: int, *, edit: bool = False) -> PortfolioScenario:
    """The scenario `pk` for `user`: 403 to who may not read (or, with `edit`, change) scenarios."""
    if not (can_change_scenarios(user) if edit else can_read_scenarios(user)):
        raise PermissionDenied
    return get_object_or_404(PortfolioScenario.objects.select_related("criteria_set"), pk=pk)


def hidden_project_ids(user) -> set[int]:
    """The confidential projects `user` may not see: named "a confidential project" to them. One query."""
    return set(Project.objects.hidden_from(user).values_list("pk", flat=True))
