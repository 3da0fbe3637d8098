"""The money by month's Excel export (finance.data_export): open to every signed-in user, who gets the
projects they may see; `?fy=YEAR` names the fiscal year (default: today's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from finance.data_export import money_export
from pmo.months import FiscalYear

MIN_YEAR, MAX_YEAR = 1900, 2200


def fiscal_year_of(request) -> FiscalYear:
    """?fy=YEAR, or today's fiscal year when it is missing or not a year."""
    text = request.GET.get("fy", "")
    if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return FiscalYear.named(int(text))
    return FiscalYear.of(timezone.localdate())


@login_required
@require_GET
def data_export(request):
    return money_export(request.user, fiscal_year_of(request))
