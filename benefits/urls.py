"""The benefits app's pages; each views module brings its own patterns."""

from __future__ import annotations

from benefits.views import closure, lessons

app_name = "benefits"

urlpatterns: list = [*lessons.urlpatterns, *closure.urlpatterns]
