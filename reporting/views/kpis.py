"""KPI pages: the list of definitions, a KPI's history and measurements, the entry of manual values."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def kpi_list(request):
    return HttpResponse("KPIs")  # placeholder: built with the KPI pages


@login_required
def kpi_create(request):
    return HttpResponse("New KPI")  # placeholder


@login_required
def kpi_edit(request, code):
    return HttpResponse("Edit KPI")  # placeholder


@login_required
def kpi_detail(request, code):
    return HttpResponse("KPI")  # placeholder


urlpatterns = [
    path("kpis/", kpi_list, name="kpi_list"),
    path("kpis/new/", kpi_create, name="kpi_create"),
    path("kpis/<slug:code>/", kpi_detail, name="kpi_detail"),
    path("kpis/<slug:code>/edit/", kpi_edit, name="kpi_edit"),
]
