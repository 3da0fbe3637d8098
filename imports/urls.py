from django.urls import path

from imports.views import pages, steps

app_name = "imports"
urlpatterns = [
    path("", pages.start, name="start"),
    path("<int:pk>/", pages.detail, name="step"),
    path("<int:pk>/progress/", pages.progress, name="progress"),
    path("<int:pk>/columns/", steps.columns, name="columns"),
    path("<int:pk>/values/", steps.values, name="values"),
    path("<int:pk>/dry-run/", steps.dry_run, name="dry_run"),
    path("<int:pk>/commit/", steps.commit, name="commit"),
    path("mappings/<int:pk>.json", pages.mapping_json, name="mapping_json"),
]
