"""The audit trail in the admin: read, never altered.

`HistoryAdmin` gives a model admin its History button (django-simple-history's list of an object's
versions) without the revert that comes with it: `SIMPLE_HISTORY_REVERT_DISABLED` only hides the
button, the version page would still save a POST, so it is refused here, for everyone, superusers
included. `register_history` lists each model's historical records, read-only: no one adds, changes
or deletes a historical row in the admin (the decision log's history above all).
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model


class HistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A POST here reverts the object to that version: the trail is a record, not an undo.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True


class HistoricalRecordAdmin(admin.ModelAdmin):
    """Every version of every object of a model: who, when, what kind of change, why."""

    list_display = ["history_date", "history_type", "history_user", "__str__", "history_change_reason"]
    list_filter = ["history_type"]
    list_select_related = ["history_user"]
    date_hierarchy = "history_date"
    ordering = ["-history_date", "-history_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def register_history(*model_classes: type[models.Model], site: admin.AdminSite = admin.site) -> None:
    for model in model_classes:
        site.register(get_history_model_for_model(model), HistoricalRecordAdmin)
