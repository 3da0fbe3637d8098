"""The benefits app's pages; each views module brings its own patterns."""

from __future__ import annotations

from benefits.views import benefits, closure, lessons

app_name = "benefits"

urlpatterns: list = [*benefits.urlpatterns, *lessons.urlpatterns, *closure.urlpatterns]
