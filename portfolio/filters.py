import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo.models import Directorate, User
from portfolio.models import Portfolio, Project
from portfolio.selectors import LATE


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    directorate = django_filters.ModelChoiceFilter(
        label=_("Directorate"), queryset=Directorate.objects.all(), empty_label=_("All directorates")
    )
    portfolio = django_filters.ModelChoiceFilter(
        label=_("Portfolio"), queryset=Portfolio.objects.all(), empty_label=_("All portfolios")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Project.State.choices, empty_label=_("All states")
    )
    project_manager = django_filters.ModelChoiceFilter(
        label=_("Project manager"),
        queryset=User.objects.filter(managed_projects__isnull=False).distinct(),
        empty_label=_("All managers"),
    )
    late = django_filters.BooleanFilter(label=_("Forecast late"), method="filter_late")
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("directorate__name", "directorate"),
            ("project_manager__last_name", "manager"),
            ("state", "state"),
            ("forecast_end", "end"),
            ("budget", "budget"),
        ),
    )

    class Meta:
        model = Project
        fields = ["q", "directorate", "portfolio", "state", "project_manager", "late"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def filter_late(self, queryset, name, value):
        return queryset.filter(LATE) if value else queryset.exclude(LATE)
