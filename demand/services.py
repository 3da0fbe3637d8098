"""The writes of a request's life until its qualification: submit, update, qualify, withdraw.

Each runs in one transaction and bumps the request's `version`, so that a form opened before any of them
is stale (`request_update` refuses it with `StaleRequestError`). The code `DR-<year>-<nnn>` is the next
number of the year; two submissions racing for it are told apart by the unique constraint and the loser
takes the next one.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demand.models import ProjectRequest, RequestAttachment, RequestCapacity, RequestCost

# The fields a request's form writes (its state, code and the PMO's fields are the services').
REQUEST_FIELDS = (
    "title",
    "directorate",
    "objectives",
    "strategic_objective",
    "sponsor",
    "proposed_manager",
    "expected_benefits",
    "expected_annual_benefit",
    "main_risks",
    "urgency",
    "regulatory_deadline",
    "desired_start",
    "desired_end",
    "currency",
)
CODE_ATTEMPTS = 5

Costs = Mapping[int, Decimal]  # year -> amount
Needs = Mapping[tuple[Any, int], Decimal]  # (ResourceRole or its id, year) -> person-months


class StaleRequestError(Exception):
    """Someone saved the request after the version the writer read; `current` is what it holds now."""

    def __init__(self, current: ProjectRequest) -> None:
        super().__init__("The request was changed since it was read.")
        self.current = current


def next_code(year: int) -> str:
    prefix = f"DR-{year}-"
    codes = ProjectRequest.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def request_submit(
    *, by, values: Mapping[str, Any], costs: Costs, needs: Needs, today=None
) -> ProjectRequest:
    """A new request (state submitted) from the form's `values`, its cost by year and its people by role
    and year (zeros are not kept: blank and 0 mean the same)."""
    year = (today or timezone.localdate()).year
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                project_request = ProjectRequest(requested_by=by, code=next_code(year))
                _assign(project_request, values)
                project_request.save(force_insert=True)
                _write_grids(project_request, costs=costs, needs=needs)
                return project_request
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def request_update(
    *,
    project_request: ProjectRequest,
    version: int,
    values: Mapping[str, Any],
    costs: Costs,
    needs: Needs,
    by,
) -> ProjectRequest:
    """Save the edited request if nobody saved it since `version` was read; otherwise write nothing and raise
    StaleRequestError. An incomplete request the requester completes goes back to the PMO (submitted)."""
    with transaction.atomic():
        current = ProjectRequest.objects.select_for_update().get(pk=project_request.pk)
        if current.version != version:
            raise StaleRequestError(current)
        _assign(current, values)
        if current.state == ProjectRequest.State.INCOMPLETE:
            current.state = ProjectRequest.State.SUBMITTED
        current.version += 1
        current.save()
        _write_grids(current, costs=costs, needs=needs)
    return current


def request_qualify(*, request: ProjectRequest, complete: bool, comment: str, by) -> ProjectRequest:
    """The PMO's verdict on a submitted request: complete (qualified, a candidate for the scenarios) or
    incomplete, with the comment that tells the requester what is missing (required then)."""
    comment = (comment or "").strip()
    if not complete and not comment:
        raise ValidationError(_("Tell the requester what is missing."), code="comment_required")
    with transaction.atomic():
        current = ProjectRequest.objects.select_for_update().get(pk=request.pk)
        if current.state not in (ProjectRequest.State.SUBMITTED, ProjectRequest.State.INCOMPLETE):
            raise ValidationError(_("Only a submitted request can be qualified."), code="state")
        current.state = ProjectRequest.State.QUALIFIED if complete else ProjectRequest.State.INCOMPLETE
        current.qualification_comment = comment
        current.qualified_by = by
        current.qualified_at = timezone.now()
        current.version += 1
        current.save()
    return current


def request_withdraw(*, request: ProjectRequest, by) -> ProjectRequest:
    """The requester (or the PMO) withdraws an open request: it leaves every list of candidates."""
    with transaction.atomic():
        current = ProjectRequest.objects.select_for_update().get(pk=request.pk)
        if not current.is_open:
            raise ValidationError(_("This request is closed: it cannot be withdrawn."), code="state")
        current.state = ProjectRequest.State.WITHDRAWN
        current.version += 1
        current.save()
    return current


def attachment_add(*, request: ProjectRequest, upload, content_type: str, by) -> RequestAttachment:
    """Keep an upload already checked (`imports.attachments.checked_upload`) through Django's storage."""
    name = (upload.name or "file").rsplit("/", 1)[-1][-200:]
    attachment = RequestAttachment(
        request=request, name=name, content_type=content_type, size=upload.size, uploaded_by=by
    )
    with transaction.atomic():
        attachment.file.save(name, upload, save=False)
        attachment.save()
    return attachment


def attachment_delete(*, attachment: RequestAttachment, by) -> None:
    storage, path = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(path))


def _assign(project_request: ProjectRequest, values: Mapping[str, Any]) -> None:
    for name in REQUEST_FIELDS:
        if name in values:
            setattr(project_request, name, values[name])


def _write_grids(project_request: ProjectRequest, *, costs: Costs, needs: Needs) -> None:
    """Replace the years (and roles) the grids show; what lies outside them (an earlier year) is kept."""
    if costs:
        RequestCost.objects.filter(request=project_request, year__in=list(costs)).delete()
        RequestCost.objects.bulk_create(
            RequestCost(request=project_request, year=year, amount=amount)
            for year, amount in costs.items()
            if amount
        )
    if needs:
        role_ids = {getattr(role, "pk", role) for role, _year in needs}
        years = {year for _role, year in needs}
        RequestCapacity.objects.filter(request=project_request, role__in=role_ids, year__in=years).delete()
        RequestCapacity.objects.bulk_create(
            RequestCapacity(
                request=project_request, role_id=getattr(role, "pk", role), year=year, person_months=value
            )
            for (role, year), value in needs.items()
            if value
        )
