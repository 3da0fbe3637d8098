"""Money by month out (the import's own layout); the integrator includes it in finance/urls.py."""

from django.urls import path

from finance.views import data

urlpatterns = [path("data/export.xlsx", data.data_export, name="data_export")]
