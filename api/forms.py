"""Writes through the interface's forms: the API checks types with its serializer fields, then hands
the values to the same Django form as the page (and the same service), so a rule is written once
and says the same thing in the browser and in JSON."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.forms.models import model_to_dict
from rest_framework import serializers
from rest_framework.settings import api_settings


def form_value(value: Any) -> Any:
    """A serializer's validated value as a form field reads it from a POST."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def form_data(values: Mapping[str, Any], *, instance: models.Model | None = None, fields=()) -> dict:
    """What the form is bound to: the instance's current values of `fields` (a partial update changes
    only what it sends), then `values`."""
    data = {}
    if instance is not None:
        data = {name: form_value(value) for name, value in model_to_dict(instance, fields=fields).items()}
    data.update({name: form_value(value) for name, value in values.items()})
    return data


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): list(messages)
        for name, messages in form.errors.items()
    }


def check(form: forms.BaseForm) -> forms.BaseForm:
    """The form, valid; otherwise a 400 with its messages per field."""
    if not form.is_valid():
        raise serializers.ValidationError(form_errors(form))
    return form
