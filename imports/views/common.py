"""What every import page does first: only the PMO and administrators import, each their own imports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.mapping import Mapping, MappingError
from imports.models import Import
from imports.parsing import ParseError
from imports.tables import Table
from pmo.roles import Role

STEPS = (
    (1, gettext_lazy("Upload")),
    (2, gettext_lazy("Columns")),
    (3, gettext_lazy("Values")),
    (4, gettext_lazy("Dry run")),
    (5, gettext_lazy("Commit")),
)


class StepUnavailable(Exception):
    """The import cannot show this step (committed, or its file is gone): go where it can be seen."""

    def __init__(self, response) -> None:
        self.response = response


def require_importer(user) -> None:
    if not user.has_role(Role.PMO, Role.ADMINISTRATOR):
        raise PermissionDenied


def import_for(request, pk: int) -> Import:
    """The import, for its author (or an administrator); 404 for anyone else, 403 for other roles."""
    require_importer(request.user)
    return get_object_or_404(Import.objects.visible_to(request.user).select_related("saved_mapping"), pk=pk)


def open_step(request, pk: int) -> tuple[Import, Table]:
    """An import still in progress and its table; StepUnavailable when it is committed or its file is gone."""
    upload = import_for(request, pk)
    if upload.is_committed:
        messages.info(request, _("This import is committed: here is its summary."))
        raise StepUnavailable(redirect(upload.get_absolute_url()))
    if not upload.has_file:
        messages.warning(request, _("The file of this import was deleted after a day. Upload it again."))
        raise StepUnavailable(redirect(upload.get_absolute_url()))
    if upload.state == Import.State.COMMITTING:
        messages.info(request, _("This import is being committed: here is where it is."))
        raise StepUnavailable(redirect(upload.get_absolute_url()))
    try:
        table = upload.table()
    except ParseError as error:
        messages.error(request, str(error.message))
        raise StepUnavailable(redirect(upload.get_absolute_url())) from None
    except OSError:
        messages.warning(request, _("The file of this import cannot be read any more. Upload it again."))
        raise StepUnavailable(redirect(upload.get_absolute_url())) from None
    return upload, table


def mapping_of(request, upload: Import) -> Mapping | None:
    """The import's mapping as saved by the columns step; None (with a message) when it needs fixing there."""
    try:
        return Mapping.from_dict(upload.mapping or {})
    except MappingError as error:
        for problem in error.problems:
            messages.error(request, problem)
        return None


def steps_context(current: int, upload: Import | None = None) -> dict:
    return {"steps": STEPS, "current_step": current, "upload": upload}
