"""The live meeting page: what the projector shows while a committee sits, and its htmx endpoints.

Every screen following a meeting polls `live_poll` with the revision it shows; the answer is
204 while nothing changed, else the page's regions as out-of-band swaps. Writes answer the same
way (the region being worked in as the main swap, the others out of band), so the screen that
wrote is up to date at once. Forms sit in regions of their own, which `static/js/live.js` does not
let a poll replace while someone is typing in them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import services
from governance.forms.live import (
    ActionStateForm,
    AttendanceForm,
    GateDecisionForm,
    LiveActionForm,
    LiveDecisionForm,
    MinutesForm,
)
from governance.models import Action, AgendaItem, Attendance, GateReview, Meeting
from governance.selectors_live import closing_check, live_meeting_data, meeting_revision
from governance.services import GovernanceError

REGIONS = (
    "bar",
    "agenda",
    "attendance",
    "item",
    "gate",
    "minutes",
    "decisions",
    "decision_form",
    "actions",
    "action_form",
    "follow_up",
    "close",
    "poller",
)


def _meeting(user, pk: int, *, write: bool = False) -> tuple[Meeting, bool]:
    """The meeting if the user may see it (else 404), and whether they run it (a reader writing: 403)."""
    meeting = get_object_or_404(Meeting.objects.visible_to(user).select_related("committee"), pk=pk)
    manage = Meeting.objects.managed_by(user).filter(pk=pk).exists()
    if write and not manage:
        raise PermissionDenied
    return meeting, manage


def _running(meeting: Meeting) -> None:
    """Live writes are for a meeting under way."""
    if meeting.state != Meeting.State.IN_PROGRESS:
        raise GovernanceError(
            _("This meeting is closed.") if meeting.is_closed else _("Start the meeting first.")
        )


def _forms(data: dict) -> dict:
    """The recording forms for the item on the screen, for those who run the meeting while it runs."""
    if not data["manage"]:
        return {}
    current = data["current"]
    item = {"item": current.pk} if current else {}
    owners = {"owners": data["owners"], "member_ids": data["member_ids"]}
    review = data["review"]
    return {
        "decision_form": LiveDecisionForm(initial=item, prefix="decision"),
        "action_form": LiveActionForm(initial=item, prefix="action", decisions=data["decisions"], **owners),
        "gate_form": (
            GateDecisionForm(checks=data["checks"], prefix="gate", **owners)
            if review and review.state == GateReview.State.PENDING
            else None
        ),
    }


def _context(request, meeting: Meeting, manage: bool, data: dict | None = None, **bound) -> dict:
    """The page's data and forms; `bound` puts a posted form (with its errors) in place of a blank one."""
    data = data or live_meeting_data(meeting, user=request.user, manage=manage)
    return {**data, **_forms(data), **bound}


def _regions(request, context: dict, *, main: str | None = None, skip: tuple = ()) -> HttpResponse:
    """`main`'s partial first (the swap the request targets), then every other region out of band."""
    html = ""
    if main:
        html = render_to_string(f"governance/live/_{main}.html", context, request=request)
    html += render_to_string(
        "governance/live/_regions.html",
        {**context, "oob": True, "regions": [r for r in REGIONS if r != main and r not in skip]},
        request=request,
    )
    response = HttpResponse(html)
    # Answers can cross (a poll sent before a write, answered after it): live.js drops
    # one that shows an older state of the meeting than the screen already does.
    response["X-Live-Revision"] = str(context["meeting"].revision)
    return response


def _refresh_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("committee").get(pk=meeting.pk)


# --- Pages --------------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_live(request, pk: int):
    meeting, manage = _meeting(request.user, pk)
    return render(request, "governance/live/meeting_live.html", _context(request, meeting, manage))


@login_required
@require_POST
def meeting_start(request, pk: int):
    meeting, _manage = _meeting(request.user, pk, write=True)
    try:
        services.meeting_start(meeting=meeting, by=request.user)
    except GovernanceError as error:
        messages.error(request, str(error))
    return redirect("governance:meeting_live", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_close(request, pk: int):
    """Closing asks first when items were not discussed or gates not decided: the page lists them, and
    the meeting closes only on a confirmation that saw the same list (`acknowledged`)."""
    meeting, _manage = _meeting(request.user, pk, write=True)
    if meeting.state != Meeting.State.IN_PROGRESS:
        messages.error(request, _("Only a meeting in progress can be closed."))
        return redirect("governance:meeting_live", pk=meeting.pk)
    check = closing_check(meeting, user=request.user)
    if request.method == "GET" or (check and request.POST.get("acknowledged") != check.key):
        context = {"meeting": meeting, "committee": meeting.committee, "closing": check}
        return render(request, "governance/meeting_close.html", context)
    try:
        services.meeting_close(meeting=meeting, by=request.user)
    except GovernanceError as error:
        messages.error(request, str(error))
        return redirect("governance:meeting_live", pk=meeting.pk)
    messages.success(request, _("The meeting is closed; its minutes are being prepared."))
    return redirect(meeting)


@login_required
@require_GET
def live_poll(request, pk: int):
    revision = meeting_revision(pk, user=request.user)
    if revision is None:
        raise Http404
    if str(revision) == request.GET.get("rev"):
        return HttpResponse(status=204)
    meeting, manage = _meeting(request.user, pk)
    return _regions(request, _context(request, meeting, manage))


# --- Writes during the meeting ------------------------------------------------------------------------


def _refused(error: GovernanceError) -> HttpResponse:
    """A rule the request breaks; live.js shows the text in the page's alert line."""
    return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def live_show_item(request, pk: int, item: int):
    meeting, manage = _meeting(request.user, pk, write=True)
    shown = get_object_or_404(AgendaItem, pk=item, meeting=meeting)
    try:
        _running(meeting)
        services.meeting_show_item(meeting=meeting, item=shown)
    except GovernanceError as error:
        return _refused(error)
    return _regions(request, _context(request, _refresh_meeting(meeting), manage))


@login_required
@require_POST
def live_attendance(request, pk: int, attendance: int):
    meeting, manage = _meeting(request.user, pk, write=True)
    line = get_object_or_404(Attendance.objects.select_related("meeting"), pk=attendance, meeting=meeting)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown attendance."), status=400)
    try:
        _running(meeting)
        services.attendance_set(attendance=line, **form.cleaned_data)
    except GovernanceError as error:
        return _refused(error)
    return _regions(request, _context(request, _refresh_meeting(meeting), manage), main="attendance")


def _posted_item(meeting: Meeting, form) -> AgendaItem | None:
    """The item the form was opened for (not necessarily the one on the screen now)."""
    pk = form.cleaned_data.get("item")
    return (
        get_object_or_404(AgendaItem.objects.select_related("project"), pk=pk, meeting=meeting)
        if pk
        else None
    )


@login_required
@require_POST
def live_decision(request, pk: int):
    meeting, manage = _meeting(request.user, pk, write=True)
    form = LiveDecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        item = _posted_item(meeting, form)
        fields = {k: v for k, v in form.cleaned_data.items() if k != "item"}
        try:
            _running(meeting)
            services.decision_record(
                committee=meeting.committee, meeting=meeting, agenda_item=item, by=request.user, **fields
            )
        except GovernanceError as error:
            form.add_error(None, str(error))
    if form.is_valid():
        context = _context(request, _refresh_meeting(meeting), manage)
    else:
        context = _context(request, meeting, manage, decision_form=form)
    return _regions(request, context, main="decision_form")


@login_required
@require_POST
def live_action(request, pk: int):
    meeting, manage = _meeting(request.user, pk, write=True)
    try:
        _running(meeting)
    except GovernanceError as error:
        return _refused(error)
    data = live_meeting_data(meeting, user=request.user, manage=True)
    form = LiveActionForm(
        request.POST,
        prefix="action",
        owners=data["owners"],
        member_ids=data["member_ids"],
        decisions=data["decisions"],
    )
    if form.is_valid():
        item = _posted_item(meeting, form)
        fields = {k: v for k, v in form.cleaned_data.items() if k != "item"}
        try:
            services.action_create(
                meeting=meeting,
                agenda_item=item,
                project=item.project if item else None,
                by=request.user,
                **fields,
            )
        except GovernanceError as error:
            form.add_error(None, str(error))
    if form.is_valid():
        context = _context(request, _refresh_meeting(meeting), manage)
    else:
        context = _context(request, meeting, manage, data=data, action_form=form)
    return _regions(request, context, main="action_form")


@login_required
@require_POST
def live_minutes(request, pk: int, item: int):
    meeting, manage = _meeting(request.user, pk, write=True)
    noted = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item, meeting=meeting)
    form = MinutesForm(request.POST)
    form.is_valid()
    try:
        _running(meeting)
        services.agenda_item_minutes(item=noted, minutes=form.cleaned_data.get("minutes", ""))
    except GovernanceError as error:
        return _refused(error)
    context = _context(request, _refresh_meeting(meeting), manage)
    return _regions(request, {**context, "saved": True}, main="minutes_status", skip=("minutes",))


@login_required
@require_POST
def live_action_state(request, pk: int, action: int):
    meeting, manage = _meeting(request.user, pk, write=True)
    followed = get_object_or_404(
        Action.objects.select_related("committee").filter(Q(meeting=meeting) | Q(follow_up_meeting=meeting)),
        pk=action,
    )
    form = ActionStateForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown state."), status=400)
    try:
        _running(meeting)
        services.action_set_state(action=followed, state=form.cleaned_data["state"], by=request.user)
    except GovernanceError as error:
        return _refused(error)
    return _regions(request, _context(request, _refresh_meeting(meeting), manage))


@login_required
@require_POST
def live_gate(request, pk: int, item: int):
    meeting, manage = _meeting(request.user, pk, write=True)
    gate_item = get_object_or_404(
        AgendaItem.objects.select_related("gate_review"), pk=item, meeting=meeting, gate_review__isnull=False
    )
    review = gate_item.gate_review
    try:
        _running(meeting)
    except GovernanceError as error:
        return _refused(error)
    data = live_meeting_data(meeting, user=request.user, manage=True)
    form = GateDecisionForm(
        request.POST,
        prefix="gate",
        checks=list(review.checks.select_related("criterion")),
        owners=data["owners"],
        member_ids=data["member_ids"],
    )
    if form.is_valid():
        try:
            services.gate_review_decide(
                review=review,
                outcome=form.cleaned_data["outcome"],
                checks=form.cleaned_data["checks"],
                conditions=form.cleaned_data["conditions"],
                rationale=form.cleaned_data["rationale"],
                meeting=meeting,
                agenda_item=gate_item,
                by=request.user,
            )
        except GovernanceError as error:
            form.add_error(None, str(error))
    if form.is_valid():
        context = _context(request, _refresh_meeting(meeting), manage)
    else:
        context = _context(request, meeting, manage, data=data, gate_form=form)
        context.update(review=review, gate_item=gate_item)
    return _regions(request, context, main="gate")


urlpatterns = [
    path("meetings/<int:pk>/live/", meeting_live, name="meeting_live"),
    path("meetings/<int:pk>/start/", meeting_start, name="meeting_start"),
    path("meetings/<int:pk>/close/", meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/live/poll/", live_poll, name="live_poll"),
    path("meetings/<int:pk>/live/items/<int:item>/show/", live_show_item, name="live_show_item"),
    path("meetings/<int:pk>/live/items/<int:item>/minutes/", live_minutes, name="live_minutes"),
    path("meetings/<int:pk>/live/items/<int:item>/gate/", live_gate, name="live_gate"),
    path("meetings/<int:pk>/live/attendance/<int:attendance>/", live_attendance, name="live_attendance"),
    path("meetings/<int:pk>/live/decisions/", live_decision, name="live_decision"),
    path("meetings/<int:pk>/live/actions/", live_action, name="live_action"),
    path("meetings/<int:pk>/live/actions/<int:action>/state/", live_action_state, name="live_action_state"),
]
