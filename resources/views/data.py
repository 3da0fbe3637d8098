"""Capacity and demand's Excel export (resources.exports): open to every signed-in user, who gets the
demand of the projects they may see (and capacity if they hold an oversight role); `?fy=YEAR` names the
fiscal year (default: today's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from pmo.months import FiscalYear
from resources.exports import people_export


def fiscal_year_of(request) -> FiscalYear:
    """?fy=YEAR, or today's fiscal year when it is missing or not a year."""
    text = request.GET.get("fy", "")
    if text.isdigit() and 1900 <= int(text) <= 2200:
        return FiscalYear.named(int(text))
    return FiscalYear.of(timezone.localdate())


@login_required
@require_GET
def data_export(request):
    year = fiscal_year_of(request)
    return people_export(request.user, year.start, 12)
