"""The demand app's pages; each views module brings its own patterns."""

from __future__ import annotations

from demand.views import attachments, requests

app_name = "demand"

urlpatterns: list = [*requests.urlpatterns, *attachments.urlpatterns]
