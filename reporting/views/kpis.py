"""KPI pages: the list of definitions, a KPI's history and measurements, the entry of manual values.

The PMO, executives and administrators read every KPI; a project manager reads the manual per-project
KPIs and enters their values for the projects they manage (`Kpi.objects.visible_to`, 404 otherwise;
`Kpi.may_enter`, 403 otherwise). The PMO and administrators define KPIs and recompute computed ones
(`Kpi.manageable_by`, 403 otherwise). A KPI is deactivated, never deleted: its history stays.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from pmo import spreadsheets
from pmo.roles import Role
from reporting import kpi_pages, services
from reporting.exports import measurements_export
from reporting.kpi_charts import history_figure
from reporting.kpi_filters import KpiFilter
from reporting.kpi_forms import KpiForm, MeasurementForm, registry, replaced
from reporting.kpis import COMPUTED
from reporting.models import OVERSIGHT, Kpi
from reporting.periods import Period

LIST_PAGE_SIZE = 50
MEASUREMENTS_PAGE_SIZE = 25


def _readable(user, code: str) -> Kpi:
    return get_object_or_404(Kpi.objects.visible_to(user), code=code)


@login_required
def kpi_list(request):
    if not request.user.has_role(*OVERSIGHT, Role.PROJECT_MANAGER):
        raise PermissionDenied
    kpis = kpi_pages.with_latest_value(Kpi.objects.visible_to(request.user))
    filterset = KpiFilter(request.GET, queryset=kpis, request=request)
    found = filterset.qs if filterset.is_valid() else kpis.none()
    if kind := spreadsheets.requested(request):
        # The measurements of every KPI listed (all pages), those of projects the reader may not see aside.
        return measurements_export(kpi_pages.measurements_of(found, request.user), kind=kind, name="")
    page = Paginator(found, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    for kpi in page.object_list:
        kpi.latest_rag = kpi.rag_of(kpi.latest_value)
        kpi.latest_label = Period(kpi.frequency, kpi.latest_period).label if kpi.latest_period else ""
    return render(
        request,
        "reporting/kpi_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "filtered": any(request.GET.get(name) for name in ("source", "frequency", "state")),
            "may_manage": Kpi.manageable_by(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_create(request):
    if not Kpi.manageable_by(request.user):
        raise PermissionDenied
    return _definition(request, Kpi())


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request, code):
    if not Kpi.manageable_by(request.user):
        raise PermissionDenied
    return _definition(request, get_object_or_404(Kpi, code=code))


def _definition(request, kpi: Kpi):
    form = KpiForm(request.POST or None, instance=kpi)
    if request.method == "POST" and form.is_valid():
        created = kpi.pk is None
        kpi = form.save()
        if created:
            messages.success(request, _("KPI %(code)s created.") % {"code": kpi.code})
        else:
            messages.success(request, _("KPI %(code)s saved.") % {"code": kpi.code})
        if form.adjusted:
            messages.info(
                request,
                _("Unit and direction follow the function %(function)s: %(unit)s, %(direction)s.")
                % {
                    "function": COMPUTED[kpi.function].label,
                    "unit": kpi.get_unit_display().lower(),
                    "direction": kpi.get_direction_display().lower(),
                },
            )
        return redirect(kpi)
    return render(
        request,
        "reporting/kpi_form.html",
        {"form": form, "kpi": kpi if kpi.pk else None, "registry": registry()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_detail(request, code):
    kpi = _readable(request.user, code)
    today = timezone.localdate()
    may_enter = kpi.may_enter(request.user)
    form = None
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        form = MeasurementForm(request.POST, kpi=kpi, user=request.user, today=today)
        if form.is_valid():
            try:
                measurement = _enter(request, kpi, form)
            except ValidationError as error:
                form.add_error("value", error)
            else:
                scope = (
                    f"d{measurement.directorate_id}"
                    if measurement.directorate_id
                    else f"p{measurement.project_id}"
                    if measurement.project_id
                    else kpi_pages.PORTFOLIO
                )
                return redirect(f"{kpi.get_absolute_url()}?{urlencode({'scope': scope})}#measurements")
    elif may_enter:
        form = MeasurementForm(kpi=kpi, user=request.user, today=today)
    return _page(request, kpi, form=form)


def _enter(request, kpi: Kpi, form: MeasurementForm):
    data = form.cleaned_data
    period = data["period"]
    previous = form.existing
    replaced_text = replaced(previous, kpi) if previous is not None else ""
    measurement, _old = services.measurement_enter(
        kpi=kpi,
        period=period,
        value=data["value"],
        by=request.user,
        directorate=data.get("directorate"),
        project=data.get("project"),
        comment=data["comment"].strip(),
    )
    values = {
        "period": period.label,
        "value": kpi_pages.format_value(measurement.value, kpi.unit),
        "scope": measurement.scope_object or _("the whole portfolio"),
    }
    if previous is None:
        messages.success(request, _("%(value)s recorded for %(period)s (%(scope)s).") % values)
    else:
        messages.success(
            request,
            _("%(value)s recorded for %(period)s (%(scope)s): it replaces %(replaced)s.")
            % {**values, "replaced": replaced_text},
        )
    return measurement


def _page(request, kpi: Kpi, *, form: MeasurementForm | None):
    if form is not None and form.errors:
        # The cursor (and the browser's scroll) goes to the first field to correct.
        first = next((name for name in form.fields if name in form.errors), None)
        if first is not None:
            form.fields[first].widget.attrs["autofocus"] = True
    measurements = kpi_pages.measurements_for(kpi, request.user)
    options = kpi_pages.scope_options(kpi, measurements)
    scope = kpi_pages.chosen_scope(kpi, options, request.GET.get("scope"))
    if request.method == "GET" and (kind := spreadsheets.requested(request)):
        # The table's measurements: the scope chosen on the page, every page of them.
        rows = kpi_pages.measurement_table(scope, measurements) if scope else measurements.none()
        for_export = rows.select_related("kpi")
        return measurements_export(for_export, kind=kind, name=kpi.code)
    figure, page, latest = None, None, None
    if scope is not None:
        series, band = kpi_pages.history(scope, options, measurements)
        figure = history_figure(kpi, series, band)
        if len(series) == 1 and series[0].points:
            period, value = series[0].points[-1]
            latest = {"value": value, "label": Period(kpi.frequency, period).label, "rag": kpi.rag_of(value)}
        page = Paginator(kpi_pages.measurement_table(scope, measurements), MEASUREMENTS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        for measurement in page.object_list:
            measurement.kpi = kpi  # the page's KPI: no query per row for its frequency
            measurement.rag = kpi.rag_of(measurement.value)
    return render(
        request,
        "reporting/kpi_detail.html",
        {
            "kpi": kpi,
            "computed": COMPUTED.get(kpi.function) if kpi.is_computed else None,
            "options": options,
            "scope": scope,
            "figure": figure,
            "page": page,
            "latest": latest,
            "form": form,
            "may_manage": Kpi.manageable_by(request.user),
            "judged": kpi.amber_threshold is not None or kpi.red_threshold is not None,
            "last_period": kpi.period_of(timezone.localdate()).previous(),
        },
    )


@login_required
@require_POST
def kpi_recompute(request, code):
    """Compute and store again the last complete period of a computed KPI (what the beat task does)."""
    if not Kpi.manageable_by(request.user):
        raise PermissionDenied
    kpi = get_object_or_404(Kpi, code=code, source=Kpi.Source.COMPUTED)
    today = timezone.localdate()
    period = kpi.period_of(today).previous()
    stored = services.record_computed([kpi], lambda _kpi: period, today=today)
    if stored:
        message = ngettext(
            "%(code)s recomputed for %(period)s: %(count)d value stored.",
            "%(code)s recomputed for %(period)s: %(count)d values stored.",
            stored,
        )
        messages.success(request, message % {"code": kpi.code, "period": period.label, "count": stored})
    else:
        messages.warning(
            request,
            _("%(code)s has no value for %(period)s: the figure is undefined then (n/a), nothing was stored.")
            % {"code": kpi.code, "period": period.label},
        )
    return redirect(reverse("reporting:kpi_detail", args=[kpi.code]))


urlpatterns = [
    path("kpis/", kpi_list, name="kpi_list"),
    path("kpis/new/", kpi_create, name="kpi_create"),
    path("kpis/<slug:code>/", kpi_detail, name="kpi_detail"),
    path("kpis/<slug:code>/edit/", kpi_edit, name="kpi_edit"),
    path("kpis/<slug:code>/recompute/", kpi_recompute, name="kpi_recompute"),
]
