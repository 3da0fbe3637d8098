from django.urls import path

from portfolio.views import (
    confidence,
    dependencies,
    exchange_rates,
    history,
    lists,
    milestones,
    plan,
    plan_exports,
    policy,
    project,
    release_plan,
    review,
    status,
    status_exports,
)

app_name = "portfolio"
urlpatterns = [
    path("", lists.project_list, name="project_list"),
    path("mine/", lists.my_projects, name="my_projects"),
    path("status-history/", status_exports.portfolio_status_history, name="status_history"),
    path("reviews/", review.review_queue, name="review_queue"),
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
    path("projects/<str:code>/status/<str:period>/review/", review.status_review, name="status_review"),
    path("projects/<str:code>/plan/", plan.project_plan, name="project_plan"),
    path("projects/<str:code>/release-plan/", release_plan.release_plan, name="release_plan"),
    path("projects/<str:code>/plan/phases/", plan.plan_phases, name="plan_phases"),
    path("projects/<str:code>/plan/milestones/new/", milestones.milestone_create, name="milestone_create"),
    path(
        "projects/<str:code>/plan/milestones/<int:pk>/edit/", milestones.milestone_edit, name="milestone_edit"
    ),
    path(
        "projects/<str:code>/plan/milestones/<int:pk>/move/", milestones.milestone_move, name="milestone_move"
    ),
    path(
        "projects/<str:code>/plan/milestones/<int:pk>/delete/",
        milestones.milestone_delete,
        name="milestone_delete",
    ),
    path("projects/<str:code>/history/", history.project_history, name="project_history"),
    path("projects/<str:code>/dependencies/new/", dependencies.dependency_create, name="dependency_create"),
    path("dependencies/<int:pk>/edit/", dependencies.dependency_edit, name="dependency_edit"),
    path("dependencies/<int:pk>/delete/", dependencies.dependency_delete, name="dependency_delete"),
    path("dependencies/<int:pk>/accept/", dependencies.dependency_accept, name="dependency_accept"),
    path(
        "projects/<str:code>/status-history/",
        status_exports.project_status_history,
        name="project_status_history",
    ),
    # Delivery confidence (issue 21).
    path("projects/<str:code>/confidence/", confidence.project_confidence, name="project_confidence"),
    path(
        "projects/<str:code>/plan/export.xlsx", plan_exports.project_plan_export, name="project_plan_export"
    ),
]
