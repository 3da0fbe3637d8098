"""Fetching a project for a user, with the one access rule applied.

The rule itself is `Project.objects.visible_to(user)` (written out in docs/confidentiality.md);
everything here and every other surface derives from it. Someone who may not see a project gets 404
(a confidential project does not exist for them); someone who may see it but not change it gets 403.
A record they may read about a project they may not see (an action they own, a risk they own) shows
no project: `project_visible` annotates it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, OuterRef, Value
from django.shortcuts import get_object_or_404

from pmo.roles import Role
from portfolio.models import Project

OVERSIGHT = (Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)


def project_for(user, code: str, *, edit: bool = False, queryset=None) -> Project:
    projects = queryset if queryset is not None else Project.objects.all()
    project = get_object_or_404(projects.visible_to(user), code=code)
    if edit and not Project.objects.editable_by(user).filter(pk=project.pk).exists():
        raise PermissionDenied
    return project


def project_visible(user, *, field: str = "project_id"):
    """An expression: whether the project `field` points at is one `user` may see (false when none)."""
    if not user.is_authenticated:
        return Value(False, output_field=BooleanField())
    if user.has_role(*OVERSIGHT):
        return Value(True, output_field=BooleanField())
    return Exists(Project.objects.visible_to(user).filter(pk=OuterRef(field)))


RATE_EDITORS = (Role.PMO, Role.ADMINISTRATOR)


def can_edit_rates(user) -> bool:
    """The exchange rates are the PMO's (and administrators'): they alone see and change them."""
    return user.is_authenticated and user.has_role(*RATE_EDITORS)


# The PMO's own voice on a project (portfolio.assurance): one rule for who gives it.
ASSURERS = (Role.PMO, Role.ADMINISTRATOR)


def can_assess(user) -> bool:
    """The PMO (and administrators) review the weekly statuses of the projects they see and assess their
    delivery confidence; whoever sees the project reads the thread and the assessments."""
    return user.is_authenticated and user.has_role(*ASSURERS)
