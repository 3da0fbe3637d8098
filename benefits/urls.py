"""The benefits app's pages; each views module brings its own patterns."""

from __future__ import annotations

app_name = "benefits"

urlpatterns: list = []
