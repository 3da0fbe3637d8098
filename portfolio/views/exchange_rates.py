"""The PMO's exchange rates: the list, a rate added or corrected, and a CSV previewed before it is saved.

Totals across projects convert each amount at these rates (`portfolio.exchange`); the PMO and the
administrators keep them, nobody else sees this page (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pmo.money import reporting_currency
from portfolio.access import can_edit_rates
from portfolio.exchange import Rates
from portfolio.forms.exchange_rate import ExchangeRateForm, RateImportForm
from portfolio.models import ExchangeRate, Project
from portfolio.rate_import import read_rates, save_rates


def _require_editor(user) -> None:
    if not can_edit_rates(user):
        raise PermissionDenied


def _page(request, *, import_form: RateImportForm | None = None, preview=None, status: int = 200):
    today = timezone.localdate()
    reporting = reporting_currency()
    rates = ExchangeRate.objects.filter(reporting_currency=reporting)
    in_force = Rates(currency=reporting)
    # The currencies the projects use, and whether today's totals can convert them.
    used = sorted(set(Project.objects.order_by().values_list("currency", flat=True).distinct()) - {reporting})
    currencies = [(currency, in_force.rate(currency, on=today)) for currency in used]
    return render(
        request,
        "portfolio/exchange_rates.html",
        {
            "rates": rates,
            "other_rates": ExchangeRate.objects.exclude(reporting_currency=reporting).count(),
            "reporting": reporting,
            "currencies": currencies,
            "today": today,
            "import_form": import_form or RateImportForm(),
            "preview": preview,
        },
        status=status,
    )


@login_required
@require_GET
def exchange_rates(request):
    _require_editor(request.user)
    return _page(request)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_rate_edit(request, pk: int | None = None):
    _require_editor(request.user)
    rate = get_object_or_404(ExchangeRate, pk=pk) if pk is not None else None
    form = ExchangeRateForm(request.POST or None, instance=rate)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Rate saved: %(rate)s.") % {"rate": saved})
        return redirect("portfolio:exchange_rates")
    return render(request, "portfolio/exchange_rate_form.html", {"form": form, "rate": rate})


@login_required
@require_POST
def exchange_rate_delete(request, pk: int):
    _require_editor(request.user)
    rate = get_object_or_404(ExchangeRate, pk=pk)
    rate.delete()
    messages.success(request, _("Rate deleted: %(rate)s.") % {"rate": rate})
    return redirect("portfolio:exchange_rates")


@login_required
@require_POST
def exchange_rates_import(request):
    """First post: the preview (nothing saved). Second post, with `confirm` and the same text: saved, all
    rows or, when any row is wrong, none."""
    _require_editor(request.user)
    form = RateImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_form=form, status=400)
    content = form.cleaned_data["content"]
    preview = read_rates(content)
    if preview.errors or "confirm" not in request.POST:
        # The text stays in the form, so a correction loses nothing already typed or uploaded.
        kept = RateImportForm(initial={"content": content})
        return _page(request, import_form=kept, preview=preview, status=400 if preview.errors else 200)
    changed = save_rates(preview)
    messages.success(request, _("%(count)s rates saved from the file.") % {"count": changed})
    return redirect("portfolio:exchange_rates")
