"""The OpenAPI schema says what every operation may answer, errors included: schemathesis (bin/api-check)
holds each response to it, and integrators read from it what an error looks like."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ERROR = {
    "type": "object",
    "description": "`detail` for an error about the request as a whole; otherwise each field sent "
    "with its messages (`non_field_errors` for those about several fields).",
    "properties": {"detail": {"type": "string"}},
    # A field's messages are a list; a list of objects' (a status's milestones) one entry per object.
    "additionalProperties": {},
}

ANSWERS = {
    "400": _("What was sent is refused: each field with its messages."),
    "401": _("No credentials, or a token that does not exist."),
    "403": _("Signed in, but not allowed to do this (or a session request without its CSRF token)."),
    "404": _("No such object, or one the user may not see."),
    "503": _("The database is unavailable: try again in a moment."),
}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: the error answers of every operation, with one schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in ANSWERS.items():
                if code == "404" and method == "get" and "{" not in path:
                    description = _("No such page of the list.")
                responses.setdefault(code, {"description": str(description), "content": content})
    return result
