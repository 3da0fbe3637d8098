from django.urls import path

from resources.views import capacity, demand, heatmap, roles

# Roles, capacity, demand and the heatmap (the what-if's URLs are in urls_whatif).
urlpatterns = [
    path("", heatmap.heatmap, name="heatmap"),
    path("cell/", heatmap.cell, name="cell"),
    path("roles/", roles.roles, name="roles"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/<int:pk>/", roles.role_edit, name="role_edit"),
    path("capacity/", capacity.capacity, name="capacity"),
    path("projects/<str:code>/demand/", demand.project_demand, name="project_demand"),
]
