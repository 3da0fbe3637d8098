"""What the API's serializers share: people, and references to objects by their code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pmo.models import Directorate, User
from portfolio.models import Portfolio, Project


class PersonSerializer(serializers.Serializer):
    """Someone named in a record: their login (what the API takes to name them) and their name."""

    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user: User) -> str:
        return str(user)


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


def request_user(field: serializers.Field) -> User:
    return field.context["request"].user


NUL = "\x00"


class LookupField(serializers.SlugRelatedField):
    """A related object named by a text: one with a NUL character is no name (PostgreSQL refuses it
    in a query; the database error would be a 500)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and NUL in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class PersonField(LookupField):
    """A person named by their login; only active users may be given a record."""

    default_error_messages = {
        "does_not_exist": _("No active user has the login “{value}”."),
        "invalid": _("Give a login."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


class VisibleProjectField(LookupField):
    """A project named by its code, among those the user may see: another one answers as if it did
    not exist (a confidential project's code is itself confidential)."""

    default_error_messages = {
        "does_not_exist": _("No project has the code “{value}”."),
        "invalid": _("Give a project code."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="code", queryset=Project.objects.all(), **kwargs)

    def get_queryset(self):
        return Project.objects.visible_to(request_user(self))


class PortfolioField(LookupField):
    default_error_messages = {
        "does_not_exist": _("No portfolio has the code “{value}”."),
        "invalid": _("Give a portfolio code."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="code", queryset=Portfolio.objects.all(), **kwargs)


class DirectorateField(LookupField):
    default_error_messages = {
        "does_not_exist": _("No directorate has the code “{value}”."),
        "invalid": _("Give a directorate code."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="code", queryset=Directorate.objects.all(), **kwargs)


@extend_schema_field({"type": "string", "nullable": True, "description": "Project code, when visible."})
class VisibleProjectCode(serializers.Field):
    """The code of the project a record is about, or null when the reader may not see that project
    (an owner reads their own action or risk about a confidential project, not its name): the
    queryset annotates `project_visible`."""

    def __init__(self, **kwargs) -> None:
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance) -> str | None:
        if instance.project_id is None or not getattr(instance, "project_visible", False):
            return None
        return instance.project.code


class VisibleSlugField(LookupField):
    """An object named by its reference or code among those the user may see (`visible_to`):
    another one answers as if it did not exist."""

    model = None
    default_error_messages = {
        "does_not_exist": _("Nothing has the reference “{value}”."),
        "invalid": _("Give a reference."),
    }

    def __init__(self, *, slug_field: str = "reference", **kwargs) -> None:
        super().__init__(slug_field=slug_field, queryset=self.model.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(request_user(self))


class VisibleMeetingField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("No meeting has the id {pk_value}.")}

    def __init__(self, **kwargs) -> None:
        from governance.models import Meeting

        self.model = Meeting
        super().__init__(queryset=Meeting.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(request_user(self)).select_related("committee")
