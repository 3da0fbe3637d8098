"""Capacity and demand out (the import's own layout); the integrator includes it in resources/urls.py."""

from django.urls import path

from resources.views import data

urlpatterns = [path("data/export.xlsx", data.data_export, name="data_export")]
