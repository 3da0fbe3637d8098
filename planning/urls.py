from django.urls import path

from planning import views

app_name = "planning"
urlpatterns = [
    path("dependencies/", views.dependency_map, name="dependency_map"),
]
