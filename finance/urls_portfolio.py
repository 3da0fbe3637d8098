from django.urls import path

from finance.views import portfolio

# The portfolio's financial view by fiscal year, and the projects behind it (?export=csv|xlsx).
urlpatterns: list = [
    path("", portfolio.view, name="view"),
    path("projects/", portfolio.projects, name="projects"),
]
