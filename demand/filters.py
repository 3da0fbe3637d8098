from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from demand.models import ProjectRequest
from pmo.filters import StableOrderingFilter
from pmo.models import Directorate

MINE = "1"  # `mine=1`: the requests the reader submitted


class RequestFilter(django_filters.FilterSet):
    """Filters the request list; the queryset comes through `selectors.for_listing`."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ProjectRequest.State.choices, empty_label=_("All states")
    )
    directorate = django_filters.ModelChoiceFilter(
        label=_("Directorate"), queryset=Directorate.objects.all(), empty_label=_("All directorates")
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Urgency"), choices=ProjectRequest.Urgency.choices, empty_label=_("Any urgency")
    )
    mine = django_filters.ChoiceFilter(
        label=_("Requester"),
        choices=[(MINE, _("My requests"))],
        empty_label=_("Anyone"),
        method="filter_mine",
    )
    sort = StableOrderingFilter(
        tie_breaker="code",
        label=_("Sort by"),
        nulls_last=("desired_start",),
        fields=(
            ("code", "code"),
            ("title", "title"),
            ("directorate__name", "directorate"),
            ("state", "state"),
            ("urgency", "urgency"),
            ("created_at", "submitted"),
            ("desired_start", "start"),
            ("total_cost", "cost"),
        ),
    )

    class Meta:
        model = ProjectRequest
        fields = ["q", "state", "directorate", "urgency", "mine"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))

    def filter_mine(self, queryset, name, value):
        return queryset.filter(requested_by=self.request.user)
