"""Filters of the portfolio's issue list.

The choice lists hold only what the user may see: owners of the issues they may read, and those
issues' projects that the user may open (an owner's issue about a confidential project does not put
the project's name in the list), so a filter never reveals a confidential project's name.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo.filters import StableOrderingFilter
from pmo.models import Directorate, User
from portfolio.models import Project
from risks.models import Issue

OPEN = "open_states"


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(OPEN, _("Open or in progress")), *Issue.State.choices],
        empty_label=_("All states"),
        method="filter_state",
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Issue.Severity.choices, empty_label=_("All severities")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.none(), empty_label=_("All owners")
    )
    directorate = django_filters.ModelChoiceFilter(
        label=_("Directorate"),
        queryset=Directorate.objects.none(),
        empty_label=_("All directorates"),
        method="filter_directorate",
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.none(), empty_label=_("All projects")
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("severity_rank", "severity"),
            ("state", "state"),
            ("owner__last_name", "owner"),
            ("due_date", "due"),
            ("project__code", "project"),
        ),
    )

    class Meta:
        model = Issue
        fields = ["q", "state", "severity", "owner", "directorate", "project"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = self.queryset.values("pk")
        self.filters["owner"].queryset = (
            User.objects.filter(issues__in=scope).distinct().order_by("last_name", "first_name")
        )
        self.filters["project"].queryset = (
            Project.objects.visible_to(user).filter(issues__in=scope).distinct().order_by("code")
        )
        self.filters["directorate"].queryset = Directorate.objects.order_by("code")

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_state(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(state=value)

    def filter_directorate(self, queryset, name, value):
        return queryset.filter(
            Q(directorate=value) | Q(project__directorate=value) | Q(portfolio__directorate=value)
        )
