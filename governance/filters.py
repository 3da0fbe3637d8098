"""Filters of the decision log and the action tracker.

The choice lists hold only what the user may see: the committees they read,
the projects they may see that have decisions (or actions), so a filter never
reveals a confidential project's name.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import Action, Committee, Decision
from pmo.filters import StableOrderingFilter
from pmo.models import User
from portfolio.models import Project

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YearFilter(django_filters.NumberFilter):
    """A year: a whole number of the calendar (a decimal or a year past 9999 has no dates to look up)."""

    field_class = forms.IntegerField


class DecisionFilter(django_filters.FilterSet):
    """Filters the decision log; `request.user` decides the committees and projects offered."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"), queryset=Committee.objects.none(), empty_label=_("All committees")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Decision.Outcome.choices, empty_label=_("All outcomes")
    )
    implementation = django_filters.ChoiceFilter(
        label=_("Implementation"), choices=Decision.Implementation.choices, empty_label=_("Any stage")
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.none(), empty_label=_("All projects")
    )
    year = YearFilter(
        label=_("Year"), field_name="decided_on", lookup_expr="year", min_value=1, max_value=9999
    )
    decided_after = django_filters.DateFilter(
        label=_("From"), field_name="decided_on", lookup_expr="gte", widget=DATE_INPUT
    )
    decided_before = django_filters.DateFilter(
        label=_("To"), field_name="decided_on", lookup_expr="lte", widget=DATE_INPUT
    )
    hide_superseded = django_filters.BooleanFilter(
        label=_("Hide superseded decisions"), method="filter_superseded", widget=forms.CheckboxInput
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("reference", "reference"),
            ("decided_on", "date"),
            ("committee__name", "committee"),
            ("outcome", "outcome"),
            ("implementation", "implementation"),
        ),
    )

    class Meta:
        model = Decision
        fields = ["q", "committee", "outcome", "implementation", "project", "year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["committee"].queryset = Committee.objects.visible_to(user)
        self.filters["project"].queryset = (
            Project.objects.visible_to(user).filter(decisions__isnull=False).distinct().order_by("code")
        )

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_superseded(self, queryset, name, value):
        return queryset.filter(superseded_by__isnull=True) if value else queryset


class ActionFilter(django_filters.FilterSet):
    """Filters the action tracker; `today` decides what is overdue."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"), queryset=Committee.objects.none(), empty_label=_("All committees")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.none(), empty_label=_("All owners")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Action.State.choices, empty_label=_("All states")
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origin"), choices=Action.Origin.choices, empty_label=_("All origins")
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.none(), empty_label=_("All projects")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    due_after = django_filters.DateFilter(
        label=_("Due from"), field_name="due_date", lookup_expr="gte", widget=DATE_INPUT
    )
    due_before = django_filters.DateFilter(
        label=_("Due by"), field_name="due_date", lookup_expr="lte", widget=DATE_INPUT
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("reference", "reference"),
            ("due_date", "due"),
            ("owner__last_name", "owner"),
            ("committee__name", "committee"),
            ("state", "state"),
            ("project__code", "project"),
        ),
    )

    class Meta:
        model = Action
        fields = ["q", "committee", "owner", "state", "origin", "project"]

    def __init__(self, *args, committees, today: date, **kwargs):
        """`committees`: those whose actions the user follows (all of them for the PMO)."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.filters["committee"].queryset = committees
        scope = self.queryset.values("pk")
        self.filters["owner"].queryset = (
            User.objects.filter(actions__in=scope).distinct().order_by("last_name", "first_name")
        )
        self.filters["project"].queryset = (
            Project.objects.filter(actions__in=scope).distinct().order_by("code")
        )

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value else queryset
