"""Filters of the portfolio risk register and of its heatmap.

The choice lists hold only what the user may see: the owners and projects of the risks they read,
so a filter never reveals a confidential project's name. The heatmap uses the filters that say
which risks to map (`RiskScopeFilter`); the register adds the rest, including the cell a heatmap
link points at (probability, impact and basis).
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pmo.filters import StableOrderingFilter
from pmo.models import Directorate, User
from portfolio.models import Project
from risks.models import Impact, Probability, Risk, RiskCategory, RiskLevel
from risks.selectors import BASES, INHERENT, RESIDUAL, filter_by_cell

ALL = "all"
BASIS_CHOICES = [(INHERENT, _("Inherent score")), (RESIDUAL, _("Residual score"))]
STATE_CHOICES = [*Risk.State.choices, (ALL, pgettext_lazy("risk states", "All states"))]
ESCALATED_CHOICES = [
    ("yes", _("Escalated to a committee")),
    ("awaiting", _("Awaiting a committee's decision")),
    ("no", _("Not escalated")),
]


class RiskScopeFilter(django_filters.FilterSet):
    """Which risks: by home (directorate, project), category, owner, kind. `user` decides the
    choices offered; the queryset is what the user may see."""

    directorate = django_filters.ModelChoiceFilter(
        label=_("Directorate"),
        queryset=Directorate.objects.none(),
        empty_label=_("All directorates"),
        method="filter_directorate",
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.none(), empty_label=_("All projects")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=RiskCategory.objects.none(), empty_label=_("All categories")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.none(), empty_label=_("All owners")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Risk.Kind.choices,
        empty_label=pgettext_lazy("risk kinds", "All kinds"),
    )

    class Meta:
        model = Risk
        fields = ["directorate", "project", "category", "owner", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Semi-joins on the visible risks rather than a join made DISTINCT over every column of the
        # projects and users (25 ms of the register's database time at 3,000 risks); only what a
        # choice's label prints.
        visible = Risk.objects.visible_to(user).order_by()
        self.filters["directorate"].queryset = Directorate.objects.filter(is_active=True).order_by("name")
        self.filters["project"].queryset = (
            Project.objects.visible_to(user)
            .filter(pk__in=visible.values("project_id"))
            .only("pk", "code", "name")
            .order_by("code")
        )
        self.filters["category"].queryset = RiskCategory.objects.all()
        self.filters["owner"].queryset = (
            User.objects.filter(pk__in=visible.values("owner_id"))
            .only("pk", "first_name", "last_name", "username")
            .order_by("last_name", "first_name")
        )

    def filter_directorate(self, queryset, name, value):
        return queryset.in_directorate(value)


class RiskHeatmapFilter(RiskScopeFilter):
    basis = django_filters.ChoiceFilter(
        label=_("Score"), choices=BASIS_CHOICES, empty_label=None, method="keep"
    )

    class Meta(RiskScopeFilter.Meta):
        fields = [*RiskScopeFilter.Meta.fields, "basis"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_with_defaults(data, basis=INHERENT), *args, **kwargs)

    def keep(self, queryset, name, value):
        return queryset  # the basis chooses the map, it narrows nothing

    def chosen_basis(self) -> str:
        value = self.form.cleaned_data.get("basis") if self.is_valid() else None
        return value if value in BASES else INHERENT

    def link_params(self) -> dict[str, str]:
        """The scope filters as the register's query string: a cell's link keeps them."""
        if not self.is_valid():
            return {}
        return {
            name: self.data.get(name, "")
            for name in RiskScopeFilter.Meta.fields
            if self.form.cleaned_data.get(name) not in (None, "")
        }


class RiskFilter(RiskScopeFilter):
    """The register's filters. State defaults to open; `today` decides which reviews are overdue."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=RiskLevel.choices, empty_label=_("All levels"), field_name="level"
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATE_CHOICES, empty_label=None, method="filter_state"
    )
    escalated = django_filters.ChoiceFilter(
        label=_("Escalation"),
        choices=ESCALATED_CHOICES,
        empty_label=pgettext_lazy("escalation", "Any"),
        method="filter_escalated",
    )
    review_overdue = django_filters.BooleanFilter(
        label=_("Review overdue only"), method="filter_review_overdue", widget=forms.CheckboxInput
    )
    basis = django_filters.ChoiceFilter(
        label=_("Heatmap score"), choices=BASIS_CHOICES, empty_label=None, method="keep"
    )
    probability = django_filters.ChoiceFilter(
        label=_("Probability"),
        choices=Probability.choices,
        empty_label=pgettext_lazy("probability", "Any"),
        method="filter_cell",
    )
    impact = django_filters.ChoiceFilter(
        label=_("Impact"),
        choices=Impact.choices,
        empty_label=pgettext_lazy("impact", "Any"),
        method="filter_cell",
    )
    sort = StableOrderingFilter(
        # Empty dates, residual scores and projects (transverse risks) last.
        nulls_last=("proximity", "next_review_on", "residual_score", "project__code"),
        label=_("Sort by"),
        fields=(
            ("reference", "reference"),
            ("score", "score"),
            ("residual_score", "residual"),
            ("level_rank", "level"),
            ("proximity", "proximity"),
            ("next_review_on", "review"),
            ("owner__last_name", "owner"),
            ("project__code", "project"),
        ),
    )

    class Meta(RiskScopeFilter.Meta):
        fields = [
            "q",
            "level",
            *RiskScopeFilter.Meta.fields,
            "state",
            "escalated",
            "review_overdue",
            "basis",
            "probability",
            "impact",
        ]

    def __init__(self, data=None, *args, today: date, **kwargs):
        super().__init__(_with_defaults(data, state=Risk.State.OPEN.value, basis=INHERENT), *args, **kwargs)
        self.today = today

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_state(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(state=value)

    def filter_escalated(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(escalated=True)
        if value == "awaiting":
            return queryset.filter(awaiting_decision=True)
        return queryset.filter(escalated=False)

    def filter_review_overdue(self, queryset, name, value):
        return queryset.review_overdue(self.today) if value else queryset

    def keep(self, queryset, name, value):
        return queryset  # read by filter_cell: the basis decides which scoring a cell filter uses

    def filter_cell(self, queryset, name, value):
        basis = self.form.cleaned_data.get("basis") or INHERENT
        return filter_by_cell(
            queryset, basis=basis, **{"probability": None, "impact": None, name: int(value)}
        )


def _with_defaults(data, **defaults):
    """The request's filters, with `defaults` for those it does not give (an unbound form is bound,
    so that the register opens on the open risks)."""
    data = data.copy() if data is not None else {}
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    return data
