from django.urls import path

from portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("mine/", views.my_projects, name="my_projects"),
]
