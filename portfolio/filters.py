import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo.filters import StableOrderingFilter
from pmo.models import Directorate, User
from portfolio.models import Phase, Portfolio, Project, Rag
from portfolio.models.assurance import Confidence
from portfolio.selectors import LATE

NO_STATUS = "none"
RAG_CHOICES = [*Rag.choices, (NO_STATUS, _("No status"))]
# The signals beside the latest rating (the values the dashboard's counts link with).
NOT_REPORTED, STALE = "not_reported", "stale"
SIGNAL_CHOICES = [(NOT_REPORTED, _("Not reported this period")), (STALE, _("Stale rating"))]
NOT_ASSESSED = "none"
CONFIDENCE_CHOICES = [*Confidence.choices, (NOT_ASSESSED, _("Not assessed"))]
DISAGREEING = "1"  # `disagreement=1`: the declared RAG and the assessed confidence disagree


class ProjectFilter(django_filters.FilterSet):
    """Filters the project list; the queryset must come through `selectors.with_current_rag`."""

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
        # A semi-join, not a join made DISTINCT over every column of the users (1,000 projects' worth).
        queryset=User.objects.filter(pk__in=Project.objects.order_by().values("project_manager_id")).only(
            "pk", "first_name", "last_name", "username"
        ),
        empty_label=_("All managers"),
    )
    rag = django_filters.ChoiceFilter(
        label=_("Latest RAG"), choices=RAG_CHOICES, empty_label=_("Any RAG"), method="filter_rag"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SIGNAL_CHOICES, empty_label=_("Any status"), method="filter_signal"
    )
    phase = django_filters.ModelChoiceFilter(
        label=_("Phase"), queryset=Phase.objects.all(), empty_label=_("All phases")
    )
    methodology = django_filters.ChoiceFilter(
        label=_("Methodology"), choices=Project.Methodology.choices, empty_label=_("All methodologies")
    )
    late = django_filters.BooleanFilter(label=_("Forecast late"), method="filter_late")
    # Delivery confidence (issue 21): the queryset comes through `selectors.with_assessed` too.
    confidence = django_filters.ChoiceFilter(
        label=_("Assessed confidence"),
        choices=CONFIDENCE_CHOICES,
        empty_label=_("Any confidence"),
        method="filter_confidence",
    )
    disagreement = django_filters.ChoiceFilter(
        label=_("Disagreement"),
        choices=[(DISAGREEING, _("Declared and assessed disagree"))],
        empty_label=_("Agreeing or not"),
        method="filter_disagreement",
    )
    sort = StableOrderingFilter(
        tie_breaker="code",
        label=_("Sort by"),
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("directorate__name", "directorate"),
            ("project_manager__last_name", "manager"),
            ("state", "state"),
            ("latest_rank", "rag"),
            ("confidence_rank", "confidence"),
            ("last_report__percent_complete", "complete"),
            ("phase__order", "phase"),
            ("forecast_end", "end"),
            ("budget", "budget"),
        ),
    )

    class Meta:
        model = Project
        fields = [
            "q",
            "directorate",
            "portfolio",
            "state",
            "project_manager",
            "rag",
            "status",
            "phase",
            "methodology",
            "late",
            "confidence",
            "disagreement",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def filter_late(self, queryset, name, value):
        return queryset.filter(LATE) if value else queryset.exclude(LATE)

    def filter_rag(self, queryset, name, value):
        return queryset.filter(latest_rag="" if value == NO_STATUS else value)

    def filter_signal(self, queryset, name, value):
        """Not reported this period: an active project that owes this period's status; stale: an active
        project whose latest rating is older than the cadence allows."""
        return queryset.filter(update_due=True) if value == NOT_REPORTED else queryset.filter(stale=True)

    def filter_confidence(self, queryset, name, value):
        return (
            queryset.filter(confidence__isnull=True)
            if value == NOT_ASSESSED
            else queryset.filter(confidence=value)
        )

    def filter_disagreement(self, queryset, name, value):
        return queryset.filter(disagreement=True)
