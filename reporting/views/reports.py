"""The PDF reports' pages: the executives' Reports page (the latest of each kind, then the archive), a
report's page (its state polled by htmx until it is built), the download, and the PMO's Generate form,
Retry and Regenerate. Meeting packs and minutes are asked for from the meeting's page.

Access: reports are read through `Report.objects.visible_to` (404 otherwise); the Reports page and the
Generate form are the oversight roles' (403 otherwise); generating, retrying and regenerating are the
PMO's and administrators' (403 otherwise). Every change is a POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from governance.models import Meeting
from pmo.roles import Role
from reporting.models import Report, ReportSubscription
from reporting.models.report import READERS
from reporting.report_filters import FILTERS, ReportFilter
from reporting.report_forms import ReportRequestForm
from reporting.reports import report_regenerate, report_request, report_retry, report_send_again

PAGE_SIZE = 25
MANAGERS = (Role.PMO, Role.ADMINISTRATOR)
EVERY = {
    Report.Kind.WEEKLY: gettext_lazy("Email me this report each week"),
    Report.Kind.MONTHLY: gettext_lazy("Email me this report each month"),
    Report.Kind.QUARTERLY: gettext_lazy("Email me this report each quarter"),
}
UNSENT = gettext_lazy(
    "The report is saved, but the queue of the workers that build reports does not answer: the report "
    "waits and is sent to them as soon as the queue is back."
)


def may_manage(user) -> bool:
    """Asking for, retrying and regenerating reports."""
    return user.has_role(*MANAGERS)


def _readable(user, pk: int) -> Report:
    reports = Report.objects.visible_to(user).select_related(
        "directorate", "portfolio", "meeting__committee", "requested_by"
    )
    return get_object_or_404(reports, pk=pk)


def _managed(request, pk: int) -> Report:
    report = _readable(request.user, pk)  # an outsider learns nothing: 404 before 403
    if not may_manage(request.user):
        raise PermissionDenied
    return report


def latest_of_each_kind(user, language: str) -> list[tuple[str, str, Report | None]]:
    """For each periodic kind, the report to open first: a finished one, of the whole portfolio rather
    than a part, of the latest period, in the reader's language rather than the other, latest version."""
    preferred = (
        Report.objects.visible_to(user).done().select_related("directorate", "portfolio", "requested_by")
    )
    preferred = preferred.annotate(
        part=Case(
            When(directorate__isnull=True, portfolio__isnull=True, then=Value(0)),
            default=1,
            output_field=IntegerField(),
        ),
        foreign=Case(When(language=language, then=Value(0)), default=1, output_field=IntegerField()),
    ).order_by("part", "-period", "foreign", "-version")
    return [(kind.value, kind.label, preferred.filter(kind=kind).first()) for kind in Report.PERIODIC]


@login_required
def reports(request):
    if not request.user.has_role(*READERS):
        raise PermissionDenied
    language = request.LANGUAGE_CODE
    visible = Report.objects.visible_to(request.user).select_related(
        "directorate", "portfolio", "meeting__committee", "requested_by"
    )
    filterset = ReportFilter(request.GET, queryset=visible, request=request)
    found = filterset.qs if filterset.is_valid() else visible.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    subscribed = set(ReportSubscription.objects.filter(user=request.user).values_list("kind", flat=True))
    latest = [
        {
            "kind": kind,
            "label": label,
            "report": report,
            "subscribed": kind in subscribed,
            "every": EVERY[kind],
        }
        for kind, label, report in latest_of_each_kind(request.user, language)
    ]
    return render(
        request,
        "reporting/reports.html",
        {
            "latest": latest,
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "filtered": any(request.GET.get(name) for name in FILTERS),
            "may_manage": may_manage(request.user),
            "may_subscribe": bool(request.user.email),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_generate(request):
    if not may_manage(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    language = request.LANGUAGE_CODE
    if request.method == "GET":
        kind = request.GET.get("kind")
        form = ReportRequestForm(initial={"kind": kind} if kind else {}, today=today, language=language)
        return render(request, "reporting/report_form.html", {"form": form})
    form = ReportRequestForm(request.POST, today=today, language=language)
    if not form.is_valid():
        return render(request, "reporting/report_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    report, created = report_request(
        kind=data["kind"],
        period=data["period"],
        directorate=data["directorate"],
        portfolio=data["portfolio"],
        language=data["language"],
        by=request.user,
    )
    if created:
        _asked(request, report, _("The report is asked for: it is built in the background."))
    elif data["new_version"]:
        report = report_regenerate(report, by=request.user)
        _asked(
            request,
            report,
            _("Version %(version)d is asked for: it is built in the background.")
            % {"version": report.version},
        )
    else:
        messages.info(
            request,
            _(
                "This report already exists: here it is. To build it again from today's data, ask for it "
                "with “Generate a new version”."
            ),
        )
    return redirect(report)


def _asked(request, report: Report, done: str) -> None:
    """Say that a report is asked for, or, when the workers' queue did not answer, that it waits."""
    report.refresh_from_db(fields=["state", "sent"])
    if report.is_unsent:
        messages.warning(request, UNSENT)
    else:
        messages.success(request, done)


def _state_context(request, report: Report) -> dict:
    summary, _sep, detail = report.error.partition("\n\n")
    return {
        "report": report,
        "may_manage": may_manage(request.user),
        "error_summary": summary,
        "error_detail": detail,
    }


@login_required
def report_detail(request, pk: int):
    report = _readable(request.user, pk)
    versions = (
        Report.objects.visible_to(request.user)
        .filter(key=report.key)
        .exclude(pk=report.pk)
        .select_related("requested_by")
        .order_by("-version")
    )
    return render(
        request, "reporting/report_detail.html", {**_state_context(request, report), "versions": versions}
    )


@never_cache
@login_required
def report_state(request, pk: int):
    """The state partial, which htmx fetches every 2 s until the report is done or has failed (the
    partial of a finished report has no trigger: polling stops)."""
    report = _readable(request.user, pk)
    return render(request, "reporting/_report_state.html", _state_context(request, report))


@login_required
def report_download(request, pk: int):
    report = _readable(request.user, pk)
    if report.state != Report.State.DONE or not report.file:
        raise Http404(_("This report has no PDF yet."))
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The PDF of this report is missing from the storage.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=report.filename(), content_type="application/pdf"
    )


@login_required
@require_POST
def report_retry_view(request, pk: int):
    report = _managed(request, pk)
    if report.is_unsent:
        # Sent now, or by a worker that reconnected meanwhile.
        if report_send_again(report) or not report.is_unsent:
            messages.success(request, _("The report is sent to the workers."))
        else:
            messages.warning(request, UNSENT)
    elif report_retry(report):
        _asked(request, report, _("The report is asked for again."))
    else:
        messages.info(request, _("This report has not failed: there is nothing to retry."))
    return redirect(report)


@login_required
@require_POST
def report_regenerate_view(request, pk: int):
    report = _managed(request, pk)
    if report.is_stalled:
        messages.info(request, _("No worker is building this report: Retry sends it to them again."))
        return redirect(report)
    if not report.is_finished:
        messages.info(
            request, _("This report is still being built: a new version can be asked for once it is.")
        )
        return redirect(report)
    new = report_regenerate(report, by=request.user)
    _asked(
        request,
        new,
        _("Version %(version)d is asked for: it is built in the background.") % {"version": new.version},
    )
    return redirect(new)


@login_required
@require_POST
def report_meeting(request, pk: int):
    """A meeting's pack or minutes, asked for from the meeting's page by whoever may see the meeting."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    kind = request.POST.get("kind")
    if kind not in Report.FOR_MEETING:
        messages.error(request, _("Choose the meeting pack or the minutes."))
        return redirect(meeting)
    if kind == Report.Kind.MINUTES and not meeting.is_closed:
        messages.error(request, _("The minutes can be produced once the meeting is closed."))
        return redirect(meeting)
    report, _created = report_request(
        kind=kind, meeting=meeting, language=request.LANGUAGE_CODE, by=request.user
    )
    return redirect(report)


@login_required
@require_POST
def report_subscribe(request):
    """Toggle the email with a link to each new whole-portfolio report of a kind, in the reader's language."""
    if not request.user.has_role(*READERS):
        raise PermissionDenied
    kind = request.POST.get("kind")
    if kind not in Report.PERIODIC:
        raise Http404
    label = Report.Kind(kind).label
    if request.POST.get("subscribe") == "1":
        ReportSubscription.objects.update_or_create(
            user=request.user,
            kind=kind,
            defaults={"language": request.user.language or request.LANGUAGE_CODE},
        )
        messages.success(
            request,
            _("You will receive an email with a link to each new %(report)s at %(email)s.")
            % {"report": label.lower(), "email": request.user.email},
        )
    else:
        ReportSubscription.objects.filter(user=request.user, kind=kind).delete()
        messages.success(
            request, _("You will no longer receive the %(report)s by email.") % {"report": label.lower()}
        )
    return redirect(reverse("reporting:reports"))


urlpatterns = [
    path("reports/", reports, name="reports"),
    path("reports/new/", report_generate, name="report_generate"),
    path("reports/subscriptions/", report_subscribe, name="report_subscribe"),
    path("reports/meeting/<int:pk>/", report_meeting, name="report_meeting"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/state/", report_state, name="report_state"),
    path("reports/<int:pk>/download/", report_download, name="report_download"),
    path("reports/<int:pk>/retry/", report_retry_view, name="report_retry"),
    path("reports/<int:pk>/regenerate/", report_regenerate_view, name="report_regenerate"),
]
