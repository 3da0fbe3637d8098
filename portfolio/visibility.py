"""Naming a project on something its reader may hold without seeing the project.

An owner reads their own risk, issue or action about a confidential project (it is theirs), but not
which project it is: pages and exports show "Confidential project" instead of its code and name. The
answer comes from the one read rule, `Project.objects.visible_to`, as an annotation, so a list asks
it in the same query as its rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portfolio.access import project_visible
from portfolio.models import Project

__all__ = ["HIDDEN_PROJECT", "mark_project_visible", "project_label", "project_visible"]

HIDDEN_PROJECT = _("Confidential project")


def mark_project_visible(things: list, user) -> None:
    """Sets `project_visible` on records already read (an email's list), in one query."""
    seen = set(
        Project.objects.visible_to(user)
        .filter(pk__in={thing.project_id for thing in things if thing.project_id is not None})
        .values_list("pk", flat=True)
    )
    for thing in things:
        thing.project_visible = thing.project_id in seen


def project_label(thing) -> str:
    """ "CODE name" of the project `thing` is about when its reader may see it (the queryset annotated
    `project_visible`), the placeholder otherwise; "" when it is about no project."""
    if thing.project_id is None:
        return ""
    if getattr(thing, "project_visible", False):
        return f"{thing.project.code} {thing.project.name}"
    return str(HIDDEN_PROJECT)
