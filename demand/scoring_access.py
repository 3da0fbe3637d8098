"""Who manages the scoring criteria, who scores, who reads the ranking: one rule each.

The PMO (and administrators) own the criteria. A score is the PMO's or a portfolio committee's voice
(chair, secretary or member), since they are the ones who rank and decide. The ranking is read by the
oversight roles and by everyone who scores; each reader still sees only the requests and projects they
may see.
"""

from __future__ import annotations

from django.db.models import Q

from pmo.roles import Role


def can_manage_criteria(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR, Role.PMO)


def sits_on_portfolio_committee(user) -> bool:
    from governance.models import Committee

    return (
        Committee.objects.filter(kind=Committee.Kind.PORTFOLIO)
        .filter(Q(chair=user) | Q(secretary=user) | Q(memberships__user=user))
        .exists()
    )


def can_score(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.ADMINISTRATOR, Role.PMO) or sits_on_portfolio_committee(user)


def can_read_ranking(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE) or can_score(user)
