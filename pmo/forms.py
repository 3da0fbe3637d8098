"""Form fields shared by the apps' forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from pmo.models import User


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id beyond what the database's integer holds is not one of the choices,
    as any other unknown id, rather than an error page: SQLite cannot bind it ("Python int too large to
    convert to SQLite INTEGER"), where PostgreSQL compares it as a numeric and finds nothing."""

    def _check_values(self, value):
        model = self.queryset.model
        field = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        if isinstance(field, models.IntegerField | models.AutoField):
            low, high = connections[self.queryset.db].ops.integer_field_range(field.get_internal_type())
            for each in value:
                try:
                    number = int(each)
                except (TypeError, ValueError):
                    continue  # not an id at all: Django's own check says so
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": each}
                    )
        return super()._check_values(value)


class ProfileForm(forms.ModelForm):
    """What a user sets about themselves: the language of what the application sends them."""

    class Meta:
        model = User
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
        self.fields["language"].choices = [
            ("", _("The site's language (%(language)s)") % {"language": site}),
            *settings.LANGUAGES,
        ]
