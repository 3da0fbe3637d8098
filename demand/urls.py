"""The demand app's pages; each views module brings its own patterns."""

from __future__ import annotations

from demand.views import attachments, criteria, g0, ranking, requests, scenarios, scores

app_name = "demand"

urlpatterns: list = [
    *requests.urlpatterns,
    *attachments.urlpatterns,
    *criteria.urlpatterns,
    *scores.urlpatterns,
    *ranking.urlpatterns,
    *scenarios.urlpatterns,
    *g0.urlpatterns,
]
