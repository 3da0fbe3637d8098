from django.urls import path

from finance.views import project

# A project's money by month (budget and forecast phasing, actuals), one fiscal year at a time.
urlpatterns: list = [
    path("projects/<str:code>/money/", project.project_money, name="project_money"),
]
