"""Filters of the change-request list. The project choices hold only the projects the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planning.models import ChangeRequest
from pmo.filters import StableOrderingFilter
from pmo.models import Directorate
from portfolio.models import Project

OPEN = "open_states"


class ChangeRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(OPEN, _("Open (draft or pending)")), *ChangeRequest.State.choices],
        empty_label=_("All states"),
        method="filter_state",
    )
    route = django_filters.ChoiceFilter(
        label=_("Decided by"), choices=ChangeRequest.Route.choices, empty_label=_("All routes")
    )
    directorate = django_filters.ModelChoiceFilter(
        label=_("Directorate"),
        queryset=Directorate.objects.none(),
        empty_label=_("All directorates"),
        field_name="project__directorate",
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.none(), empty_label=_("All projects")
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("project__code", "project"),
            ("state", "state"),
            ("route", "route"),
            ("raised_at", "raised"),
            ("decided_at", "decided"),
        ),
    )

    class Meta:
        model = ChangeRequest
        fields = ["q", "state", "route", "directorate", "project"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["project"].queryset = (
            Project.objects.visible_to(user).filter(change_requests__isnull=False).distinct().order_by("code")
        )
        self.filters["directorate"].queryset = Directorate.objects.order_by("code")

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_state(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(state=value)
