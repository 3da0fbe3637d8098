"""Exception reports: who reads them, and the writes of their life (standards.models.exception).

    detected (a breach, no open report) -> requested -> submitted -> decided -> closed
                                           requested | submitted -> withdrawn

`exception_detect` is called after a status, a plan change or an approved change request (through
portfolio's signals, see standards.exception_integration): a project whose forecast breaks its tolerance
and has no open report gets one, its manager is emailed once the transaction commits. A project has at
most one open report (a database constraint): a second breach while one is open changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from governance import services as governance
from governance.models import Committee, Decision, next_reference
from pmo.models import User
from pmo.roles import Role
from portfolio.models import Project
from standards.models import ExceptionOption, ExceptionReport, RecoveryAction
from standards.tolerances import breach_of

OVERSIGHT = (Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)


class ExceptionError(Exception):
    """A rule of the exception's life the request breaks; the message is for the user."""


# --- Reads ------------------------------------------------------------------------------------------------


def exceptions_visible_to(user) -> QuerySet[ExceptionReport]:
    """The reports of the projects `user` may see (the project's rule: docs/confidentiality.md)."""
    return ExceptionReport.objects.filter(project__in=Project.objects.visible_to(user).values("pk"))


def exception_for(user, reference: str) -> ExceptionReport:
    """The report if its project is visible to `user`, else Http404 (it does not exist for them)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        exceptions_visible_to(user).select_related(
            "project__project_manager", "project__directorate", "committee", "submitted_by",
            "chosen_option", "decision",
        ),
        reference=reference,
    )  # fmt: skip


def may_write(user, report: ExceptionReport) -> bool:
    """The PM of the project (and the PMO) writes the report while it is requested or submitted."""
    return Project.objects.editable_by(user).filter(pk=report.project_id).exists()


def may_manage(user) -> bool:
    return user.has_role(Role.PMO, Role.ADMINISTRATOR)


def readers_of(project: Project) -> QuerySet[User]:
    """The active people who may see `project` (owners of its recovery actions): everyone for an open
    project; for a confidential one its manager, sponsor, team, the oversight roles and the people of the
    committees that name it (Project.objects.visible_to, read from the project's side)."""
    users = User.objects.filter(is_active=True)
    if not project.confidential:
        return users.order_by("last_name", "first_name", "username")
    rule = (
        Q(groups__name__in=[str(role.value) for role in OVERSIGHT])
        | Q(pk=project.project_manager_id)
        | Q(pk=project.sponsor_id)
        | Q(pk__in=project.team_members.values("pk"))
        | Q(pk__in=Committee.objects.filter(scope_projects=project).values("chair"))
        | Q(pk__in=Committee.objects.filter(scope_projects=project).values("secretary"))
        | Q(pk__in=Committee.objects.filter(scope_projects=project).values("memberships__user"))
    )
    return users.filter(rule).distinct().order_by("last_name", "first_name", "username")


def committees_for(project: Project) -> QuerySet[Committee]:
    """The committees whose scope covers the project (governance's rule)."""
    from governance.forms.gates import committees_covering

    return committees_covering(project).order_by("name")


def default_committee(project: Project) -> Committee | None:
    """The project's own steering committee (planning's choice for its change requests)."""
    from planning.services import deciding_committee

    return deciding_committee(project)


# --- Detection --------------------------------------------------------------------------------------------


def exception_detect(*, project: Project, source: str, on: date | None = None) -> ExceptionReport | None:
    """A new requested report when the project's forecast breaks its tolerance and it has none open;
    None otherwise. Its manager is emailed once the transaction commits. `project` as it is now saved.
    Queries: the tolerance check (standards.tolerances.breaches: four for a classic project); on a breach,
    whether a report is open; on a new one, its reference, the committee and the report."""
    on = on or timezone.localdate()
    breach = breach_of(project, on=on)
    if breach is None or not breach.any:
        return None
    if ExceptionReport.objects.filter(project=project, state__in=ExceptionReport.OPEN_STATES).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a report created meanwhile leaves the caller's work intact
            report = ExceptionReport.objects.create(
                reference=next_reference(f"EX-{on.year}"),
                project=project,
                source=source,
                detected_on=on,
                committee=default_committee(project),
                **breach.fields(),
            )
    except IntegrityError:
        return None  # another request opened one for the project meanwhile
    transaction.on_commit(lambda: _email_requested(report.pk))
    return report


def requested_notice(report: ExceptionReport) -> str:
    """What the author of the status (or of the plan change) reads once it is saved."""
    return format_html(
        '{} <a href="{}">{}</a>',
        _("Your forecast breaks the tolerance: an exception report is requested."),
        reverse("standards:exception_edit", args=[report.reference]),
        _("Write exception report %(reference)s") % {"reference": report.reference},
    )


def _email_requested(report_pk: int) -> None:
    report = ExceptionReport.objects.select_related("project__project_manager").filter(pk=report_pk).first()
    manager = report.project.project_manager if report is not None else None
    if manager is None or not manager.email:
        return
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(manager.preferred_language):
        subject = _("Exception report requested: %(code)s %(name)s") % {
            "code": report.project.code,
            "name": report.project.name,
        }
        body = render_to_string(
            "standards/email/exception_requested.txt",
            {
                "manager": manager,
                "report": report,
                "url": site + reverse("standards:exception_edit", args=[report.reference]),
            },
        )
    send_mail(subject, body, None, [manager.email])


# --- The PM's report --------------------------------------------------------------------------------------


@transaction.atomic
def exception_save(
    *, report: ExceptionReport, fields: dict, options: list[dict], actions: list[dict], submit: bool, by
) -> ExceptionReport:
    """Save the report as written: its texts and committee, its options (replaced), its recovery actions
    (replaced; an action names its option by its position among `options`, None: whichever). `submit`
    sends it to its committee."""
    report = ExceptionReport.objects.select_for_update().get(pk=report.pk)
    if report.state not in (ExceptionReport.State.REQUESTED, ExceptionReport.State.SUBMITTED):
        raise ExceptionError(_("This exception report has been decided: it can no longer be changed."))
    for name, value in fields.items():
        setattr(report, name, value)
    report.recovery_actions.all().delete()
    report.options.all().delete()
    created = [
        ExceptionOption.objects.create(report=report, order=position, **option)
        for position, option in enumerate(options)
    ]
    for action in actions:
        position = action.pop("option_position", None)
        option = created[position] if position is not None and position < len(created) else None
        RecoveryAction.objects.create(report=report, option=option, **action)
    if submit:
        report.state = ExceptionReport.State.SUBMITTED
        report.submitted_by = by
        report.submitted_on = timezone.localdate()
    report.save()
    return report


# --- The committee's decision, the PMO's close ------------------------------------------------------------


def exception_decide(*, report: ExceptionReport, option: ExceptionOption, decision: Decision, by) -> list:
    """The committee picked `option`: the recovery actions of that option and those for any option become
    governance actions (owner, due date, project, decision, meeting), followed like any other; the report
    is decided. Called in the decision's transaction. Returns the actions created."""
    report = ExceptionReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ExceptionReport.State.SUBMITTED:
        raise ExceptionError(_("Only a submitted exception report can be decided."))
    created = []
    for recovery in report.recovery_actions.filter(Q(option=option) | Q(option__isnull=True)).order_by(
        "due_date", "pk"
    ):
        action = governance.action_create(
            title=recovery.title,
            owner=recovery.owner,
            due_date=recovery.due_date,
            by=by,
            decision=decision,
            project=report.project,
            meeting=decision.meeting,
        )
        recovery.action = action
        recovery.save(update_fields=["action"])
        created.append(action)
    report.chosen_option = option
    report.decision = decision
    report.state = ExceptionReport.State.DECIDED
    report.save(update_fields=["chosen_option", "decision", "state"])
    return created


@transaction.atomic
def exception_close(*, report: ExceptionReport, note: str, by, withdraw: bool = False) -> ExceptionReport:
    """The PMO closes a decided report (back within tolerance, or re-baselined), or withdraws one not yet
    decided (the forecast came back within tolerance)."""
    report = ExceptionReport.objects.select_for_update().get(pk=report.pk)
    if withdraw:
        if report.state not in (ExceptionReport.State.REQUESTED, ExceptionReport.State.SUBMITTED):
            raise ExceptionError(_("Only a report not yet decided can be withdrawn."))
        report.state = ExceptionReport.State.WITHDRAWN
    else:
        if report.state != ExceptionReport.State.DECIDED:
            raise ExceptionError(_("Only a decided exception report can be closed."))
        report.state = ExceptionReport.State.CLOSED
    report.closing_note = note
    report.closed_on = timezone.localdate()
    report.save(update_fields=["state", "closing_note", "closed_on"])
    return report


def open_exceptions(projects, *, on: date) -> list[ExceptionReport]:
    """The exception reports open on `on` (detected by then, not closed nor withdrawn by then) of the
    `projects` (a queryset: the report's audience's), for the monthly and quarterly reports. One query."""
    return list(
        ExceptionReport.objects.filter(project__in=projects.values("pk"), detected_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .select_related("project", "chosen_option", "committee")
        .order_by("project__code", "pk")
    )
