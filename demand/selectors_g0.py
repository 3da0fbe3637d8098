"""What the request's page shows of its G0: where it is (or will be) decided, and what was decided."""

from __future__ import annotations

from django.utils import timezone

from demand import texts
from demand.models import ProjectRequest


def g0_panel(project_request: ProjectRequest, *, user) -> dict:
    """The committee, the meeting (the latest item about the request, else the committee's next meeting
    still to be held), the decision and the project as `user` may read them. At most six queries."""
    from governance.models import AgendaItem, Committee, Decision, Meeting
    from portfolio.models import Project

    committee, committee_readable = None, False
    if project_request.committee_id:
        committee = Committee.objects.filter(pk=project_request.committee_id).first()
        readable = Committee.objects.visible_to(user).filter(pk=project_request.committee_id)
        committee_readable = readable.exists()
    item = (
        AgendaItem.objects.filter(title_key=texts.G0_TITLE, title_params__request=project_request.pk)
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at", "-pk")
        .first()
    )
    meeting = item.meeting if item is not None else None
    if meeting is None and committee is not None and project_request.state == ProjectRequest.State.PROPOSED:
        meeting = (
            Meeting.objects.filter(
                committee=committee, state=Meeting.State.PLANNED, starts_at__gte=timezone.now()
            )
            .order_by("starts_at")
            .first()
        )
    decision = None
    if project_request.decision_id:
        decision = Decision.objects.visible_to(user).filter(pk=project_request.decision_id).first()
    project = None
    if project_request.project_id:
        project = Project.objects.visible_to(user).filter(pk=project_request.project_id).first()
    return {
        "committee": committee,
        "committee_readable": committee_readable,
        "meeting": meeting,
        "on_agenda": item is not None and item.meeting_id == getattr(meeting, "pk", None),
        "decision": decision,
        "project": project,
    }
