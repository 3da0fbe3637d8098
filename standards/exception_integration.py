"""How the exception part of standards plugs into the other apps' registries and signals (none of them
depends on standards): the tolerance check after a status, a plan change or an approved change request
(portfolio.signals), the committees' agenda, live page and decisions (standards.meetings_exception), the
project page's panel."""

from __future__ import annotations

from standards.models import ExceptionReport

PANEL = "standards/_exception_panel.html"


def _after_status(sender, *, report, project, by, **kwargs):
    from standards.services_exception import exception_detect, requested_notice

    created = exception_detect(project=project, source=ExceptionReport.Source.STATUS, on=report.period)
    return requested_notice(created) if created is not None else None


def _after_plan(sender, *, project, by, source="plan", **kwargs):
    from portfolio.models import Project
    from standards.services_exception import exception_detect, requested_notice

    kind = ExceptionReport.Source.CHANGE if source == "change" else ExceptionReport.Source.PLAN
    # Read again: an approved change request's sender holds the project as it was before applying it.
    created = exception_detect(project=Project.objects.get(pk=project.pk), source=kind)
    return requested_notice(created) if created is not None else None


def project_panel(*, project, user, today) -> dict | None:
    """The open exception until it is closed. One query (none shown: nothing else); a second, whether the
    reader writes it, only while it waits for its manager."""
    from standards.services_exception import may_write

    report = (
        ExceptionReport.objects.filter(project=project, state__in=ExceptionReport.OPEN_STATES)
        .select_related("chosen_option")
        .first()
    )
    if report is None:
        return None
    writable = report.state in (ExceptionReport.State.REQUESTED, ExceptionReport.State.SUBMITTED)
    return {"report": report, "may_write": writable and may_write(user, report)}


def register() -> None:
    from portfolio.panels import register_panel
    from portfolio.signals import plan_changed, status_submitted
    from standards import meetings_exception

    status_submitted.connect(_after_status, dispatch_uid="standards.exception_after_status")
    plan_changed.connect(_after_plan, dispatch_uid="standards.exception_after_plan")
    register_panel(PANEL, project_panel, order=25)
    meetings_exception.register()
