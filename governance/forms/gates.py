from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from governance.models import Committee
from pmo.roles import Role
from portfolio.models import Project


def committees_covering(project: Project) -> QuerySet[Committee]:
    """Active committees whose scope includes `project` (listed, its portfolio or programme's portfolio,
    its directorate): the same scope as Committee.projects_in_scope, read from the project's side."""
    scope = Q(scope_projects=project) | Q(scope_directorate=project.directorate_id)
    if project.portfolio_id:
        scope |= Q(scope_portfolio=project.portfolio_id)
        if project.portfolio.parent_id:
            scope |= Q(scope_portfolio=project.portfolio.parent_id)
    return Committee.objects.filter(scope, is_active=True).distinct()


def committees_for_gate(project: Project, user) -> QuerySet[Committee]:
    """The committees `user` may ask: those covering the project; the PMO may ask any active committee."""
    if user.has_role(Role.PMO, Role.ADMINISTRATOR):
        return Committee.objects.filter(is_active=True)
    return committees_covering(project)


class GateRequestForm(forms.Form):
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.none(),
        empty_label=None,
        help_text=_("The committee that will review the gate at one of its meetings."),
    )

    def __init__(self, *args, project: Project, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        committees = committees_for_gate(project, user).order_by("name")
        self.fields["committee"].queryset = committees
        if not self.is_bound:
            # The committee that oversees the project first, when there is one.
            covering = committees_covering(project).order_by("name").first()
            self.initial.setdefault("committee", covering)
        self.no_committee = not committees.exists()
