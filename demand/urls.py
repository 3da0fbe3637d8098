"""The demand app's pages; each views module brings its own patterns."""

from __future__ import annotations

from demand.views import scenarios

app_name = "demand"

urlpatterns: list = []
urlpatterns += scenarios.urlpatterns
