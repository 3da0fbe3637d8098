"""The History tabs of committees, meetings, decisions and actions (pmo.history says how they read).

Each fetches its object with the rule of the object's page (404 for whoever may not see it) and
names the projects and decisions its changes mention only to those who may see them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from governance.models import Decision
from governance.views.actions import action_for
from governance.views.committees import committee_for
from governance.views.decisions import decision_for
from governance.views.meetings import meeting_for
from pmo.history import Source, Wording, render_history
from portfolio.models import Project


def _wording(created, deleted) -> Wording:
    return Wording(created=created, changed=_("%(who)s changed"), deleted=deleted)


COMMITTEE = _wording(_("%(who)s created the committee"), _("%(who)s deleted the committee"))
MEETING = _wording(_("%(who)s planned the meeting"), _("%(who)s deleted the meeting"))
DECISION = _wording(_("%(who)s recorded the decision"), _("%(who)s deleted the decision"))
ACTION = _wording(_("%(who)s created the action"), _("%(who)s deleted the action"))
CORRECTION = Wording(
    created=_("%(who)s recorded the correction %(subject)s, which supersedes this decision"),
    changed=_("%(who)s changed the correction %(subject)s"),
    deleted=_("%(who)s deleted the correction %(subject)s"),
)


@login_required
@require_GET
def committee_history(request, code):
    committee = committee_for(request.user, code)
    url = reverse("governance:committee_history", args=[committee.code])
    return render_history(request, [Source(committee.history.all(), wording=COMMITTEE)], url=url)


@login_required
@require_GET
def meeting_history(request, pk):
    meeting = meeting_for(request.user, pk)
    url = reverse("governance:meeting_history", args=[meeting.pk])
    return render_history(request, [Source(meeting.history.all(), wording=MEETING)], url=url)


@login_required
@require_GET
def decision_history(request, reference):
    """The decision's own record, and the corrections that supersede it (each a decision of its own)."""
    decision = decision_for(request.user, reference, queryset=Decision.objects.all())
    sources = [
        Source(decision.history.all(), wording=DECISION),
        Source(
            Decision.history.filter(supersedes_id=decision.pk, history_type="+"),
            wording=CORRECTION,
            subject=lambda record: record.reference,
        ),
    ]
    url = reverse("governance:decision_history", args=[decision.reference])
    restricted = {Project: Project.objects.visible_to(request.user)}
    return render_history(request, sources, url=url, restricted=restricted)


@login_required
@require_GET
def action_history(request, reference):
    action = action_for(request.user, reference)
    url = reverse("governance:action_history", args=[action.reference])
    restricted = {
        Project: Project.objects.visible_to(request.user),
        Decision: Decision.objects.visible_to(request.user),
    }
    return render_history(
        request, [Source(action.history.all(), wording=ACTION)], url=url, restricted=restricted
    )


urlpatterns = [
    path("committees/<slug:code>/history/", committee_history, name="committee_history"),
    path("meetings/<int:pk>/history/", meeting_history, name="meeting_history"),
    path("decisions/<str:reference>/history/", decision_history, name="decision_history"),
    path("actions/<str:reference>/history/", action_history, name="action_history"),
]
