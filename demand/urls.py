"""The demand app's pages; each views module brings its own patterns."""

from __future__ import annotations

from demand.views import criteria, g0, ranking, scenarios, scores

app_name = "demand"

urlpatterns: list = [
    *criteria.urlpatterns,
    *scores.urlpatterns,
    *ranking.urlpatterns,
    *scenarios.urlpatterns,
    *g0.urlpatterns,
]
