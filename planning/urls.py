from django.urls import path  # noqa: F401  (the planning pages join as they land)

app_name = "planning"
urlpatterns: list = []
