"""The read-only figures: the financial view (finance.selectors.financial_view) and the allocation
(resources.allocation.allocation), as the pages show them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.filters import EARLIEST_AS_AT

MONEY = {"max_digits": 20, "decimal_places": 2}
LATEST_YEAR = 2200


class FinancialViewQuery(serializers.Serializer):
    fiscal_year = serializers.IntegerField(
        required=False, min_value=EARLIEST_AS_AT.year, max_value=LATEST_YEAR, help_text=_("Default: today's.")
    )
    as_at = serializers.DateField(required=False, help_text=_("Default: today."))
    directorate = serializers.CharField(required=False, max_length=20, help_text=_("Directorate code"))
    portfolio = serializers.CharField(required=False, max_length=50, help_text=_("Portfolio code"))

    def validate_as_at(self, value):
        if value < EARLIEST_AS_AT:
            raise serializers.ValidationError(_("Not before %(day)s.") % {"day": EARLIEST_AS_AT.isoformat()})
        if value.year >= LATEST_YEAR:
            raise serializers.ValidationError(_("Not after %(day)s.") % {"day": f"{LATEST_YEAR - 1}-12-31"})
        return value


class AmountsSerializer(serializers.Serializer):
    budget = serializers.DecimalField(**MONEY)
    actual = serializers.DecimalField(**MONEY, allow_null=True)
    forecast = serializers.DecimalField(**MONEY)
    variance = serializers.SerializerMethodField()

    def get_variance(self, amounts) -> str:
        return str(amounts.forecast - amounts.budget)


class LineSerializer(serializers.Serializer):
    label = serializers.CharField()
    projects = serializers.IntegerField()
    amounts = AmountsSerializer()


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    amounts = AmountsSerializer()


class ProjectMoneySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    currency = serializers.CharField()
    directorate = serializers.CharField(source="directorate_code")
    portfolio = serializers.CharField(source="portfolio_code")
    reforecast = serializers.BooleanField(help_text=_("Whether it has a forecast for a later month."))
    total = AmountsSerializer(help_text=_("In the project's currency."))
    converted_total = AmountsSerializer(
        allow_null=True, help_text=_("In the reporting currency; null: no rate.")
    )
    rate_date = serializers.DateField(allow_null=True)


class FinancialViewSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(source="fiscal_year.year")
    start = serializers.DateField(source="fiscal_year.start")
    as_at = serializers.DateField(source="on")
    currency = serializers.CharField()
    total = AmountsSerializer()
    by_directorate = LineSerializer(many=True)
    by_portfolio = LineSerializer(many=True)
    by_category = LineSerializer(many=True)
    monthly = MonthSerializer(many=True)
    cumulative = MonthSerializer(many=True)
    projects = ProjectMoneySerializer(many=True)
    not_converted = serializers.ListField(
        child=serializers.CharField(), help_text=_("Codes of projects left out of the totals: no rate.")
    )


class AllocationQuery(serializers.Serializer):
    start = serializers.RegexField(
        r"^(19\d{2}|2[01]\d{2})-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_("YYYY-MM; default: this month."),
    )
    months = serializers.IntegerField(required=False, min_value=1, max_value=36, default=12)
    directorate = serializers.CharField(required=False, max_length=20, help_text=_("Directorate code"))
    role = serializers.CharField(required=False, max_length=20, help_text=_("Role code"))


class ProjectFteSerializer(serializers.Serializer):
    code = serializers.CharField()
    fte = serializers.DecimalField(max_digits=12, decimal_places=2)


class CellSerializer(serializers.Serializer):
    directorate = serializers.CharField()
    role = serializers.CharField()
    month = serializers.DateField()
    capacity = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    demand = serializers.DecimalField(max_digits=12, decimal_places=2)
    load = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    level = serializers.ChoiceField(choices=["over", "near", "fine", "empty"])
    projects = ProjectFteSerializer(many=True, help_text=_("The projects the reader may see."))
    other_fte = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text=_("The demand of projects the reader may not see (never named)."),
    )


class AllocationSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.DateField())
    cells = CellSerializer(many=True)
