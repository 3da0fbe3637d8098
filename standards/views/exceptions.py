"""Exception reports' pages: the list (PMO, executives; a PM their projects'), the report (whoever may see
its project), the PM's writing page, the PMO's close and withdraw, and the committee's choice posted from
the live meeting's card. A confidential project's report does not exist for who may not see the project
(404); a reader who tries to write gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import services as governance
from governance.models import AgendaItem, Decision, Meeting
from governance.services import GovernanceError
from pmo import spreadsheets
from pmo.roles import Role
from pmo.spreadsheets import DATE_FORMAT, MONEY_FORMAT, Column
from standards.forms_exception import (
    ClosingForm,
    DecideForm,
    ExceptionFilterForm,
    ExceptionReportForm,
    OptionFormSet,
    RecoveryActionFormSet,
    option_choices,
)
from standards.meetings_exception import EXCEPTION_TITLE, decision_title
from standards.models import ExceptionReport
from standards.services_exception import (
    ExceptionError,
    exception_close,
    exception_for,
    exception_save,
    exceptions_visible_to,
    may_manage,
    may_write,
    readers_of,
)


def _listing(user):
    """PMO, executives and administrators: every report they may see; a PM: their projects'."""
    reports = exceptions_visible_to(user)
    if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
        pass
    elif user.has_role(Role.PROJECT_MANAGER):
        reports = reports.filter(project__project_manager=user)
    else:
        raise PermissionDenied
    return reports.select_related("project__directorate", "project__project_manager", "committee").order_by(
        "-detected_on", "-pk"
    )


@login_required
@require_GET
def exception_list(request):
    form = ExceptionFilterForm(request.GET or None)
    reports = form.filter(_listing(request.user))
    return render(request, "standards/exception_list.html", {"form": form, "reports": list(reports)})


COLUMNS = [
    Column(gettext_lazy("Reference"), 14),
    Column(gettext_lazy("Project code"), 11),
    Column(gettext_lazy("Project name"), 35),
    Column(gettext_lazy("Directorate"), 20),
    Column(gettext_lazy("State"), 20),
    Column(gettext_lazy("Detected on"), 11, DATE_FORMAT),
    Column(gettext_lazy("Detected from"), 18),
    Column(gettext_lazy("Budget"), 16, MONEY_FORMAT),
    Column(gettext_lazy("Forecast cost"), 16, MONEY_FORMAT),
    Column(gettext_lazy("Slip (days)"), 9, "0"),
    Column(gettext_lazy("Scope growth (%)"), 9, "0.0"),
    Column(gettext_lazy("Committee"), 20),
    Column(gettext_lazy("Submitted on"), 11, DATE_FORMAT),
]


@login_required
@require_GET
def exception_export(request):
    form = ExceptionFilterForm(request.GET or None)
    rows = (
        [
            r.reference, r.project.code, r.project.name, str(r.project.directorate or ""),
            r.get_state_display(), r.detected_on, r.get_source_display(), r.budget, r.forecast_cost,
            r.slip_days, r.scope_growth_percent, str(r.committee or ""), r.submitted_on,
        ]
        for r in form.filter(_listing(request.user))
    )  # fmt: skip
    return spreadsheets.csv_response(COLUMNS, rows, filename="exception-reports")


@login_required
@require_GET
def exception_detail(request, reference):
    report = exception_for(request.user, reference)
    return render(
        request,
        "standards/exception_detail.html",
        {
            "report": report,
            "project": report.project,
            "options": list(
                report.options.prefetch_related("recovery_actions__owner", "recovery_actions__action")
            ),
            "common_actions": list(
                report.recovery_actions.filter(option__isnull=True).select_related("owner", "action")
            ),
            "chosen_actions": list(
                report.recovery_actions.filter(action__isnull=False).select_related("action", "owner")
            ),
            "may_write": report.state in (ExceptionReport.State.REQUESTED, ExceptionReport.State.SUBMITTED)
            and may_write(request.user, report),
            "may_manage": may_manage(request.user),
            "closing_form": ClosingForm(),
        },
    )


def _initial(report: ExceptionReport) -> tuple[list[dict], list[dict]]:
    options = list(report.options.order_by("order", "pk"))
    positions = {option.pk: number for number, option in enumerate(options)}
    option_rows = [
        {
            "title": o.title,
            "description": o.description,
            "cost_effect": o.cost_effect,
            "schedule_effect_days": o.schedule_effect_days,
            "recommended": o.recommended,
        }
        for o in options
    ]
    action_rows = [
        {"title": a.title, "owner": a.owner_id, "due_date": a.due_date, "option": positions.get(a.option_id)}
        for a in report.recovery_actions.order_by("due_date", "pk")
    ]
    return option_rows, action_rows


def _blank_rows(rows: list[dict], *, least: int) -> list[dict]:
    """The rows, then blank ones: at least `least` in all, and one more to add."""
    return rows + [{}] * max(least - len(rows), 1)


@login_required
@require_http_methods(["GET", "POST"])
def exception_edit(request, reference):
    report = exception_for(request.user, reference)
    if not may_write(request.user, report):
        raise PermissionDenied
    project = report.project
    if report.state not in (ExceptionReport.State.REQUESTED, ExceptionReport.State.SUBMITTED):
        messages.info(request, _("This exception report has been decided: it can no longer be changed."))
        return redirect("standards:exception_detail", reference=report.reference)
    owners = readers_of(project)
    if request.method == "POST":
        form = ExceptionReportForm(request.POST, instance=report, project=project)
        option_set = OptionFormSet(request.POST, prefix="option")
        count = option_set.total_form_count() if option_set.management_form.is_valid() else 0
        titles = [request.POST.get(f"option-{n}-title", "") for n in range(count)]
        action_set = RecoveryActionFormSet(
            request.POST,
            prefix="action",
            form_kwargs={"owners": owners, "option_choices": option_choices(count, titles)},
        )
        submit = "submit" in request.POST
        valid = all([form.is_valid(), option_set.is_valid(), action_set.is_valid()])
        if valid and submit:
            valid = _ready_to_submit(form, option_set)
        if valid:
            positions = option_set.positions()
            actions = []
            for row in action_set.forms:
                if row.is_blank:
                    continue
                number = row.cleaned_data["option"]
                if number is not None and positions.get(number) is None:
                    row.add_error("option", _("This option is blank."))
                    valid = False
                    continue
                actions.append(
                    {
                        "title": row.cleaned_data["title"],
                        "owner": row.cleaned_data["owner"],
                        "due_date": row.cleaned_data["due_date"],
                        "option_position": positions.get(number) if number is not None else None,
                    }
                )
        if valid:
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                exception_save(
                    report=report,
                    fields=fields,
                    options=option_set.options(),
                    actions=actions,
                    submit=submit,
                    by=request.user,
                )
            except ExceptionError as error:
                messages.error(request, str(error))
                return redirect("standards:exception_detail", reference=report.reference)
            if submit:
                messages.success(
                    request,
                    _("Exception report %(reference)s submitted to %(committee)s.")
                    % {"reference": report.reference, "committee": fields["committee"]},
                )
                return redirect("standards:exception_detail", reference=report.reference)
            messages.success(request, _("Draft saved."))
            return redirect("standards:exception_edit", reference=report.reference)
    else:
        from standards.services_exception import default_committee

        initial = {} if report.committee_id else {"committee": default_committee(project)}
        form = ExceptionReportForm(instance=report, project=project, initial=initial)
        option_rows, action_rows = _initial(report)
        option_rows = _blank_rows(option_rows, least=2)
        option_set = OptionFormSet(prefix="option", initial=option_rows)
        titles = [row.get("title", "") for row in option_rows]
        action_set = RecoveryActionFormSet(
            prefix="action",
            initial=_blank_rows(action_rows, least=2),
            form_kwargs={"owners": owners, "option_choices": option_choices(len(option_rows), titles)},
        )
    return render(
        request,
        "standards/exception_form.html",
        {
            "report": report,
            "project": project,
            "form": form,
            "option_set": option_set,
            "action_set": action_set,
        },
    )


def _ready_to_submit(form, option_set) -> bool:
    """What the committee needs: the cause, the recommendation, its committee, options, one recommended."""
    ready = True
    for name in ("cause", "recommendation", "committee"):
        if not form.cleaned_data.get(name):
            form.add_error(name, _("Needed to submit the report."))
            ready = False
    options = option_set.options()
    if not options:
        option_set.forms[0].add_error("title", _("Set out at least one option."))
        ready = False
    elif sum(1 for o in options if o["recommended"]) != 1:
        option_set.forms[0].add_error("recommended", _("Recommend exactly one option."))
        ready = False
    return ready


@login_required
@require_POST
def exception_close_view(request, reference, withdraw: bool = False):
    report = exception_for(request.user, reference)
    if not may_manage(request.user):
        raise PermissionDenied
    form = ClosingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a closing note."))
    else:
        try:
            exception_close(report=report, note=form.cleaned_data["note"], by=request.user, withdraw=withdraw)
        except ExceptionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                (
                    _("Exception report %(reference)s withdrawn.")
                    if withdraw
                    else _("Exception report %(reference)s closed.")
                )
                % {"reference": report.reference},
            )
    return redirect("standards:exception_detail", reference=report.reference)


@login_required
@require_POST
def exception_decide_view(request, reference):
    """The committee's choice, posted from the live card: records the decision on the item (governance's
    service, in the running meeting); its `decision_recorded` receiver creates the recovery actions in the
    same transaction. Answers 204 to htmx (the live page's poll shows the result), 409 with the reason."""
    report = exception_for(request.user, reference)
    if not Meeting.objects.managed_by(request.user).exists():
        raise PermissionDenied  # only who runs a meeting records its decisions
    form = DecideForm(request.POST, report=report)
    if not form.is_valid():
        return HttpResponse(
            _("Choose one of the options."), status=400, content_type="text/plain; charset=utf-8"
        )
    item = (
        AgendaItem.objects.select_related("meeting__committee")
        .filter(
            pk=form.cleaned_data["item"], title_key=EXCEPTION_TITLE, title_params__reference=report.reference
        )
        .first()
    )
    if item is None:
        raise Http404
    meeting = item.meeting
    if not Meeting.objects.managed_by(request.user).filter(pk=meeting.pk).exists():
        raise PermissionDenied
    option = form.cleaned_data["option"]
    try:
        if meeting.state != Meeting.State.IN_PROGRESS:
            raise GovernanceError(_("Start the meeting first."))
        if report.state != ExceptionReport.State.SUBMITTED:
            raise GovernanceError(_("Only a submitted exception report can be decided."))
        title = decision_title(report, option)
        with transaction.atomic():
            governance.decision_record(
                committee=meeting.committee,
                meeting=meeting,
                agenda_item=item,
                by=request.user,
                title=str(title),
                title_text=title,
                outcome=Decision.Outcome.APPROVED,
                project=report.project,
                description=option.description,
                options_considered="\n".join(f"- {o.title}" for o in report.options.all()),
            )
    except (GovernanceError, ExceptionError) as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return redirect(reverse("governance:meeting_live", args=[meeting.pk]))


urlpatterns = [
    path("exceptions/", exception_list, name="exception_list"),
    path("exceptions/export/", exception_export, name="exception_export"),
    path("exceptions/<str:reference>/", exception_detail, name="exception_detail"),
    path("exceptions/<str:reference>/edit/", exception_edit, name="exception_edit"),
    path("exceptions/<str:reference>/close/", exception_close_view, name="exception_close"),
    path(
        "exceptions/<str:reference>/withdraw/",
        exception_close_view,
        {"withdraw": True},
        name="exception_withdraw",
    ),
    path("exceptions/<str:reference>/decide/", exception_decide_view, name="exception_decide"),
]
