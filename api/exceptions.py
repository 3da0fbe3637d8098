"""Every error of the API is JSON: a message per field for what was sent (400), `detail` otherwise.

DRF already answers its own errors, Django's Http404 and PermissionDenied this way. Added here: a
Django ValidationError (a model's `full_clean` in a service) is a 400 with the model's messages per
field, never a 500; a rule of governance or of the risk register that refuses the change is a 400
with its message, as the interface shows it above the form.

The database unreachable is not a fault of the application: /healthz answers 503, and so does every
page (a static page: nothing that needs the database) and every API call (JSON), with Retry-After.
"""

from __future__ import annotations

import sys

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from governance.services import GovernanceError
from risks.services import RiskError

API_PREFIX = "/api/"
# The database cannot be reached, or dropped the connection: worth trying again in a moment.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as the API's field -> messages (the non-field ones under
    `non_field_errors`, as DRF names them)."""
    if hasattr(error, "error_dict"):
        errors = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): [
                message for item in items for message in item.messages
            ]
            for field, items in error.error_dict.items()
        }
    else:
        errors = {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}
    return errors


def exception_handler(exc, context):
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable_json()
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(field_errors(exc))
    elif isinstance(exc, GovernanceError | RiskError):
        exc = serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
    return drf_exception_handler(exc, context)


def page_not_found(request, exception):
    """A URL under /api/ that matches no endpoint answers JSON, as the endpoints do."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def database_unavailable_json() -> JsonResponse:
    response = JsonResponse({"detail": _("The database is unavailable: try again in a moment.")}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_unavailable_page() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """Django's handler500, for any exception no view answered (one in a middleware included)."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        api = request.path.startswith(API_PREFIX)
        return database_unavailable_json() if api else database_unavailable_page()
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": _("Server error: the administrators can read what happened.")}, status=500
        )
    return defaults.server_error(request)
