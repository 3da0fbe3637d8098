"""The standards app's pages; each views module brings its own patterns."""

from __future__ import annotations

from standards.views import compliance, deliverables, documents, exceptions, methodologies

app_name = "standards"

urlpatterns: list = [
    *methodologies.urlpatterns,
    *deliverables.urlpatterns,
    *compliance.urlpatterns,
    *documents.urlpatterns,
    *exceptions.urlpatterns,
]
