"""Filters and sorting of the reports' archive."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pmo.filters import StableOrderingFilter
from pmo.models import Directorate
from portfolio.models import Portfolio
from reporting.forms import DATE_INPUT
from reporting.models import Report

FILTERS = ("kind", "directorate", "portfolio", "start", "end", "language")


class ReportFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period window ends before it starts."))
        return data


class ReportFilter(django_filters.FilterSet):
    """Kind, scope, period window and language; the latest asked for first unless sorted otherwise,
    the newest row breaking ties."""

    kind = django_filters.ChoiceFilter(
        label=_("Report"), choices=Report.Kind.choices, empty_label=_("All reports")
    )
    directorate = django_filters.ModelChoiceFilter(
        label=_("Directorate"),
        queryset=Directorate.objects.order_by("name"),
        empty_label=_("All directorates"),
    )
    portfolio = django_filters.ModelChoiceFilter(
        label=_("Portfolio"), queryset=Portfolio.objects.order_by("name"), empty_label=_("All portfolios")
    )
    # A period is named by its first day: "from" keeps the periods starting on or after it, "to" those
    # starting on or before it (a meeting's pack or minutes has no period: a window leaves them out).
    start = django_filters.DateFilter(
        label=_("Period from"), field_name="period", lookup_expr="gte", widget=DATE_INPUT
    )
    end = django_filters.DateFilter(
        label=_("Period to"), field_name="period", lookup_expr="lte", widget=DATE_INPUT
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, empty_label=pgettext_lazy("languages", "Both")
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        tie_breaker="-pk",
        nulls_last=("period", "pages", "size"),
        fields=(
            ("requested_at", "requested"),
            ("kind", "kind"),
            ("period", "period"),
            ("state", "state"),
            ("pages", "pages"),
            ("size", "size"),
            ("version", "version"),
        ),
    )

    class Meta:
        model = Report
        form = ReportFilterForm
        fields = ["kind", "directorate", "portfolio", "language"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("sort"):
            data["sort"] = "-requested"
        super().__init__(data, *args, **kwargs)
