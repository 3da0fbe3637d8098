"""Fetching a project for a user, with the one access rule applied.

Someone who may not see a project gets 404 (a confidential project does not
exist for them); someone who may see it but not change it gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portfolio.models import Project


def project_for(user, code: str, *, edit: bool = False, queryset=None) -> Project:
    projects = queryset if queryset is not None else Project.objects.all()
    project = get_object_or_404(projects.visible_to(user), code=code)
    if edit and not Project.objects.editable_by(user).filter(pk=project.pk).exists():
        raise PermissionDenied
    return project
