from django.urls import path

from planning.views import roadmap

app_name = "planning"
urlpatterns = [
    path("roadmap/", roadmap.roadmap_page, name="roadmap"),
    path("roadmap/export.xlsx", roadmap.roadmap_export, name="roadmap_export"),
    path("milestones/export.xlsx", roadmap.milestones_export, name="milestones_export"),
]
