"""Planning and preparing a meeting (its agenda, its invitations), and its minutes once closed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import services
from governance.confidential import Veil
from governance.forms.meetings import AgendaItemForm, MeetingForm
from governance.invitations import ics_filename, meeting_calendar, send_invitations
from governance.models import Meeting
from governance.selectors import agenda_items, agenda_proposals, attendance_lines, minutes_data
from governance.services import GovernanceError
from governance.views.committees import committee_for
from portfolio.models import Project


def meeting_for(user, pk: int, *, manage: bool = False) -> Meeting:
    """The meeting if `user` may see it (404 otherwise); with `manage`, 403 unless they run it."""
    meetings = Meeting.objects.visible_to(user).select_related(
        "committee__secretary", "committee__chair", "created_by"
    )
    meeting = get_object_or_404(meetings, pk=pk)
    if manage and not meeting.committee.is_managed_by(user):
        raise PermissionDenied
    return meeting


# --- Planning --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, code):
    committee = committee_for(request.user, code)
    if not committee.is_managed_by(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_plan(committee=committee, by=request.user, **form.cleaned_data)
        messages.success(request, _("Meeting planned. Prepare its agenda below."))
        return redirect(meeting)
    context = {"form": form, "committee": committee, "meeting": None}
    return render(request, "governance/meeting_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.state != Meeting.State.PLANNED:
        messages.error(request, _("Only a planned meeting can be changed."))
        return redirect(meeting)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Meeting saved."))
        return redirect(meeting)
    context = {"form": form, "committee": meeting.committee, "meeting": meeting}
    return render(request, "governance/meeting_form.html", context)


# --- The meeting's page: preparation before, minutes after -----------------------------------------------


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = meeting_for(request.user, pk)
    can_manage = meeting.committee.is_managed_by(request.user)
    context = {"meeting": meeting, "committee": meeting.committee, "can_manage": can_manage}
    if meeting.is_closed:
        context.update(minutes_data(meeting, veil=Veil.for_reader(request.user)))
    else:
        context.update(_agenda_context(request, meeting, can_manage=can_manage))
        context["attendances"] = attendance_lines(meeting)
    return render(request, "governance/meeting_detail.html", context)


def _scope_projects(meeting: Meeting, user):
    return meeting.committee.projects_in_scope().filter(pk__in=Project.objects.visible_to(user).values("pk"))


def _agenda_context(
    request,
    meeting: Meeting,
    *,
    can_manage: bool,
    form: AgendaItemForm | None = None,
    focus: str = "",
    error: str = "",
) -> dict:
    veil = Veil.for_reader(request.user)
    items = agenda_items(meeting, veil=veil)
    total = sum(item.planned_minutes for item in items)
    context = {
        "meeting": meeting,
        "items": items,
        "total_minutes": total,
        "over_time": total > meeting.planned_minutes,
        "can_edit_agenda": can_manage and not meeting.is_closed,
        "focus": focus,
        "error": error,
    }
    if context["can_edit_agenda"]:
        context["proposals"] = agenda_proposals(meeting, today=timezone.localdate(), items=items, veil=veil)
        context["form"] = form or AgendaItemForm(projects=_scope_projects(meeting, request.user))
    return context


def _agenda_panel(request, meeting: Meeting, **kwargs):
    """The agenda panel for htmx, or back to the page for a plain form post."""
    if not request.htmx:
        return redirect(meeting)
    context = _agenda_context(request, meeting, can_manage=True, **kwargs)
    return render(request, "governance/_agenda.html", context)


def _agenda_meeting(request, pk: int) -> Meeting:
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.is_closed:
        raise PermissionDenied(_("The meeting is closed; its agenda can no longer change."))
    return meeting


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = _agenda_meeting(request, pk)
    form = AgendaItemForm(request.POST, projects=_scope_projects(meeting, request.user))
    if not form.is_valid():
        if request.htmx:
            return _agenda_panel(request, meeting, form=form, focus="id_title")
        messages.error(request, _("The item was not added: check its title and duration."))
        return redirect(meeting)
    services.agenda_add(meeting=meeting, **form.cleaned_data)
    return _agenda_panel(request, meeting, focus="id_title")


@login_required
@require_POST
def agenda_accept(request, pk):
    """Put one proposal (`key`) or all of them (`key=all`) on the agenda."""
    meeting = _agenda_meeting(request, pk)
    key = request.POST.get("key", "")
    proposals = agenda_proposals(meeting, today=timezone.localdate(), veil=Veil.for_reader(request.user))
    chosen = proposals if key == "all" else [p for p in proposals if p.key == key]
    if not chosen and not request.htmx:
        messages.warning(request, _("This proposal is no longer current: the agenda was not changed."))
    for proposal in chosen:
        services.agenda_accept(meeting=meeting, proposal=proposal)
    return _agenda_panel(request, meeting, focus="proposals")


@login_required
@require_POST
def agenda_withdraw(request, pk):
    """Withdraw an item an earlier meeting did not discuss (proposal `key`), saying why: it is no
    longer proposed, and that meeting's minutes say so."""
    meeting = _agenda_meeting(request, pk)
    key = request.POST.get("key", "")
    proposals = agenda_proposals(meeting, today=timezone.localdate(), veil=Veil.for_reader(request.user))
    chosen = next((p for p in proposals if p.key == key and p.carried_from is not None), None)
    error = ""
    if chosen is None:
        error = _("This proposal is no longer current: nothing was withdrawn.")
    else:
        try:
            services.agenda_withdraw(
                item=chosen.carried_from, reason=request.POST.get("reason", ""), by=request.user
            )
        except GovernanceError as refused:
            error = str(refused)
    if error and not request.htmx:
        messages.error(request, error)
    return _agenda_panel(request, meeting, focus="proposals", error=error)


@login_required
@require_POST
def agenda_move(request, pk, item):
    meeting = _agenda_meeting(request, pk)
    agenda_item = get_object_or_404(meeting.items, pk=item)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponse(status=400)
    services.agenda_move(item=agenda_item, offset=-1 if direction == "up" else 1)
    return _agenda_panel(request, meeting, focus=f"item-{agenda_item.pk}-{direction}")


@login_required
@require_POST
def agenda_remove(request, pk, item):
    meeting = _agenda_meeting(request, pk)
    agenda_item = get_object_or_404(meeting.items.select_related("meeting"), pk=item)
    try:
        services.agenda_remove(item=agenda_item)
    except GovernanceError as refused:
        if not request.htmx:
            messages.error(request, str(refused))
        return _agenda_panel(request, meeting, focus="agenda-title", error=str(refused))
    return _agenda_panel(request, meeting, focus="agenda-title")


# --- Invitations -----------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_ics(request, pk):
    meeting = meeting_for(request.user, pk)
    if not Meeting.plannable(meeting.starts_at):
        return _not_in_a_calendar(request, meeting)
    ics = meeting_calendar(
        meeting,
        url=request.build_absolute_uri(meeting.get_absolute_url()),
        items=agenda_items(meeting, veil=Veil.for_reader(request.user)),
        attendances=attendance_lines(meeting),
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(meeting)}"'
    return response


def _not_in_a_calendar(request, meeting: Meeting):
    """A meeting saved before dates were bounded (on 9999-12-31, say) cannot be written in a calendar."""
    messages.error(
        request,
        _(
            "This meeting's date cannot go in a calendar: change it to a day between %(earliest)s and "
            "%(latest)s."
        )
        % Meeting.plannable_days(),
    )
    return redirect(meeting)


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.is_closed:
        messages.error(request, _("The meeting is closed: there is no one left to invite."))
        return redirect(meeting)
    if not Meeting.plannable(meeting.starts_at):
        return _not_in_a_calendar(request, meeting)
    sent = send_invitations(meeting=meeting, url=request.build_absolute_uri(meeting.get_absolute_url()))
    if sent:
        messages.success(
            request,
            ngettext("Invitations sent to %(count)d member.", "Invitations sent to %(count)d members.", sent)
            % {"count": sent},
        )
    else:
        messages.warning(request, _("No member of this committee has an email address: nothing was sent."))
    return redirect(meeting)


urlpatterns = [
    path("committees/<slug:code>/meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/add/", agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/agenda/accept/", agenda_accept, name="agenda_accept"),
    path("meetings/<int:pk>/agenda/withdraw/", agenda_withdraw, name="agenda_withdraw"),
    path("meetings/<int:pk>/agenda/<int:item>/move/", agenda_move, name="agenda_move"),
    path("meetings/<int:pk>/agenda/<int:item>/remove/", agenda_remove, name="agenda_remove"),
    path("meetings/<int:pk>/invitation.ics", meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/invite/", meeting_invite, name="meeting_invite"),
]
