from django.urls import path, re_path

from planning.views import baselines, change_requests, dependency_map, policy, roadmap, workflow

app_name = "planning"
CR = r"^change-requests/(?P<reference>CR-\d{4}-\d+)/"

urlpatterns = [
    path("change-requests/", change_requests.change_request_list, name="change_request_list"),
    re_path(rf"{CR}$", change_requests.change_request_detail, name="change_request_detail"),
    re_path(rf"{CR}edit/$", change_requests.change_request_edit, name="change_request_edit"),
    re_path(rf"{CR}submit/$", workflow.change_request_submit, name="change_request_submit"),
    re_path(rf"{CR}decide/$", workflow.change_request_decide, name="change_request_decide"),
    re_path(rf"{CR}withdraw/$", workflow.change_request_withdraw, name="change_request_withdraw"),
    path(
        "projects/<str:code>/change-requests/new/",
        change_requests.change_request_create,
        name="change_request_create",
    ),
    path("projects/<str:code>/baselines/", baselines.baselines, name="baselines"),
    path("projects/<str:code>/baselines/take/", baselines.baseline_take, name="baseline_take"),
    path("policy/", policy.plan_policy, name="policy"),
    path("dependencies/", dependency_map.dependency_map, name="dependency_map"),
    path("roadmap/", roadmap.roadmap_page, name="roadmap"),
    path("roadmap/export.xlsx", roadmap.roadmap_export, name="roadmap_export"),
    path("milestones/export.xlsx", roadmap.milestones_export, name="milestones_export"),
]
