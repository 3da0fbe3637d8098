"""The demand app's pages; each views module brings its own patterns."""

from __future__ import annotations

from demand.views import g0

app_name = "demand"

urlpatterns: list = [*g0.urlpatterns]
