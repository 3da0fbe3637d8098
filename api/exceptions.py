"""Every error of the API is JSON: a message per field for what was sent (400), `detail` otherwise.

DRF already answers its own errors, Django's Http404 and PermissionDenied this way. Added here: a
Django ValidationError (a model's `full_clean` in a service) is a 400 with the model's messages per
field, never a 500; a rule of governance or of the risk register that refuses the change is a 400
with its message, as the interface shows it above the form.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from governance.services import GovernanceError
from risks.services import RiskError

API_PREFIX = "/api/"


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


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": _("Server error: the administrators can read what happened.")}, status=500
        )
    return defaults.server_error(request)
