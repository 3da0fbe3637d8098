from django.urls import path

from portfolio.views import (
    exchange_rates,
    history,
    lists,
    plan_exports,
    policy,
    project,
    status,
    status_exports,
)

app_name = "portfolio"
urlpatterns = [
    path("", lists.project_list, name="project_list"),
    path("mine/", lists.my_projects, name="my_projects"),
    path("status-history/", status_exports.portfolio_status_history, name="status_history"),
    path("status-policy/", policy.status_policy, name="status_policy"),
    path("new/", project.project_create, name="project_create"),
    path("exchange-rates/", exchange_rates.exchange_rates, name="exchange_rates"),
    path("exchange-rates/new/", exchange_rates.exchange_rate_edit, name="exchange_rate_create"),
    path("exchange-rates/import/", exchange_rates.exchange_rates_import, name="exchange_rates_import"),
    path("exchange-rates/<int:pk>/", exchange_rates.exchange_rate_edit, name="exchange_rate_edit"),
    path("exchange-rates/<int:pk>/delete/", exchange_rates.exchange_rate_delete, name="exchange_rate_delete"),
    path("projects/<str:code>/", project.project_detail, name="project_detail"),
    path("projects/<str:code>/edit/", project.project_edit, name="project_edit"),
    path("projects/<str:code>/close/", project.project_close, name="project_close"),
    path("projects/<str:code>/status/", status.status_update, name="status_update"),
    path("projects/<str:code>/history/", history.project_history, name="project_history"),
    path(
        "projects/<str:code>/status-history/",
        status_exports.project_status_history,
        name="project_status_history",
    ),
    path(
        "projects/<str:code>/plan/export.xlsx", plan_exports.project_plan_export, name="project_plan_export"
    ),
]
