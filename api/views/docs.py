"""The OpenAPI schema and its documentation page, for signed-in users.

The schema is JSON by default (`?format=yaml` for YAML), so that its errors are JSON as well. The
documentation is Swagger UI from drf-spectacular-sidecar, served by the app (no CDN), in the split
form: the page loads its set-up script from the app too, so it runs under a Content Security Policy
without 'unsafe-inline' (our template of the page, `templates/drf_spectacular/swagger_ui.html`, has
no inline style either).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


schema = SchemaView.as_view()
# A browser page: who is not signed in goes to the sign-in page, as everywhere else in the app.
docs = login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))
