"""Actions: the PMO's tracker, everyone's own list, an action's page, and its state update.

The tracker follows every action for the PMO (and administrators), lists them
read-only for executives (the dashboard's "overdue actions" tile leads there),
and a committee's actions for its secretary; nobody else has one (403). An action is
read by those `Action.objects.visible_to` lets see it (others get 404) and its
state changed by its owner, the committee's secretary and the PMO (others 403).
Overdue is derived from the state and the due date when read, never stored.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, path, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import services
from governance.exports import actions_export
from governance.filters import ActionFilter
from governance.forms.actions import ActionStateForm
from governance.models import Action, Committee, Decision
from governance.models.decision import ActionQuerySet
from governance.templatetags.governance_log import due_this_week
from pmo.as_at import past_day
from pmo.roles import Role

PAGE_SIZE = 25
RECENTLY_CLOSED = 20


def tracker_scope(user) -> tuple:
    """The committees and the actions `user` follows in the tracker; 403 for those who follow none."""
    if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
        # Executives read every action (the permission matrix): the tracker lists them, read-only.
        return Committee.objects.all(), Action.objects.all()
    committees = Committee.objects.managed_by(user)
    if not committees.exists():
        raise PermissionDenied
    return committees, Action.objects.filter(committee__in=committees)


def action_counts(actions, *, today) -> dict[str, int]:
    """The tiles above the tracker, in one query."""
    open_states = ActionQuerySet.OPEN_STATES
    return actions.aggregate(
        open=Count("pk", filter=Q(state=Action.State.OPEN)),
        in_progress=Count("pk", filter=Q(state=Action.State.IN_PROGRESS)),
        overdue=Count(
            "pk",
            filter=Q(due_date__lt=today)
            & (Q(state__in=open_states) | Q(state=Action.State.DONE, completed_on__gt=today)),
        ),
        done_this_month=Count(
            "pk", filter=Q(state=Action.State.DONE, completed_on__gte=today.replace(day=1))
        ),
    )


def action_for(user, reference: str) -> Action:
    return get_object_or_404(Action.objects.visible_to(user).for_reader(user), reference=reference)


@login_required
def action_tracker(request):
    today = timezone.localdate()
    as_at = past_day(request.GET.get("as_at"), today=today)
    committees, scope = tracker_scope(request.user)
    listing = scope.for_reader(request.user)
    filterset = ActionFilter(
        request.GET,
        queryset=listing,
        request=request,
        committees=committees.order_by("name"),
        today=as_at or today,
    )
    actions = filterset.qs if filterset.is_valid() else listing.none()
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return actions_export(actions, kind=export, today=today)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/action_tracker.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "counts": action_counts(scope, today=as_at or today),
            "today": as_at or today,
            "as_at": as_at,
            "month_start": today.replace(day=1),
        },
    )


@login_required
def my_actions(request):
    today = timezone.localdate()
    mine = Action.objects.filter(owner=request.user).for_reader(request.user)
    open_actions = list(mine.open().order_by("due_date", "reference"))
    closed = list(
        mine.exclude(state__in=ActionQuerySet.OPEN_STATES).order_by("-updated_at")[:RECENTLY_CLOSED]
    )
    return render(
        request,
        "governance/my_actions.html",
        {
            "open_actions": open_actions,
            "closed_actions": closed,
            "counts": my_action_counts(open_actions, today=today),
            "states": Action.State.choices,
            "today": today,
        },
    )


def my_action_counts(open_actions: list[Action], *, today) -> dict[str, int]:
    """The counters above My actions, from the user's open actions: open, overdue, due this week."""
    return {
        "open": len(open_actions),
        "overdue": sum(action.is_overdue(today) for action in open_actions),
        "due_soon": sum(due_this_week(action, today) for action in open_actions),
    }


@login_required
def action_detail(request, reference):
    action = action_for(request.user, reference)
    return _detail_page(request, action, ActionStateForm(action=action))


def _detail_page(request, action: Action, form: ActionStateForm, *, status: int = 200):
    user = request.user
    return render(
        request,
        "governance/action_detail.html",
        {
            "action": action,
            "form": form if action.is_editable_by(user) else None,
            "decision_visible": action.decision_id is not None
            and Decision.objects.visible_to(user).filter(pk=action.decision_id).exists(),
            "project_visible": action.project_visible,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def action_update(request, reference):
    action = action_for(request.user, reference)
    if not action.is_editable_by(request.user):
        raise PermissionDenied
    form = ActionStateForm(request.POST, action=action)
    if not form.is_valid():
        if request.htmx:
            return _row(request, action, form)
        return _detail_page(request, action, form, status=400)
    services.action_set_state(
        action=action, state=form.cleaned_data["state"], by=request.user, note=form.cleaned_data["note"]
    )
    if request.htmx:
        # The counters above the list change with the row: they come along, out of band.
        today = timezone.localdate()
        mine = list(Action.objects.filter(owner=request.user).open().only("state", "due_date"))
        return _row(request, action, None, saved=True, counts=my_action_counts(mine, today=today))
    messages.success(
        request,
        _("%(reference)s is now: %(state)s.")
        % {"reference": action.reference, "state": action.get_state_display()},
    )
    return redirect(_came_from(request) or action)


def _came_from(request) -> str | None:
    """The page the update was sent from (My actions, the tracker), when `next` names one of the app's
    pages; anything else (another site, a path that is no page, a NUL character) is ignored."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or "\x00" in target:
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    try:
        resolve(urlsplit(target).path)
    except Resolver404:
        return None
    return target


def _row(
    request, action: Action, form: ActionStateForm | None, *, saved: bool = False, counts: dict | None = None
):
    """The row of My actions, swapped in place by htmx (200 even with errors, so that htmx shows them);
    after a change, with the page's counters swapped out of band."""
    return render(
        request,
        "governance/_my_action_row.html",
        {
            "action": action,
            "form": form,
            "saved": saved,
            "counts": counts,
            "states": Action.State.choices,
            "today": timezone.localdate(),
        },
    )


urlpatterns = [
    path("actions/", action_tracker, name="action_tracker"),
    path("actions/mine/", my_actions, name="my_actions"),
    path("actions/<str:reference>/", action_detail, name="action_detail"),
    path("actions/<str:reference>/update/", action_update, name="action_update"),
]
