"""The planning demo's audit trail (see pmo.demo, `seed_history`): each change request created when its
project manager raised it, as it was then (submitted, or proposed to its committee), and the decision
on the approved ones, by whoever took it."""

from __future__ import annotations

import copy

from django.utils.translation import gettext_noop

from planning.models import ChangeRequest
from pmo import audit
from pmo.demo import DemoContext


def seed_history(ctx: DemoContext) -> None:
    rows = []
    for request in ChangeRequest.objects.order_by("pk"):
        if request.state != ChangeRequest.State.APPROVED:
            rows.append((request, "+", request.raised_at, request.raised_by_id, ""))
            continue
        raised = copy.copy(request)
        raised.state = (
            ChangeRequest.State.PROPOSED
            if request.route == ChangeRequest.Route.COMMITTEE
            else ChangeRequest.State.SUBMITTED
        )
        raised.decided_by_id = raised.decided_at = None
        raised.decision_note = ""
        rows += [
            (raised, "+", request.raised_at, request.raised_by_id, ""),
            (
                request,
                "~",
                request.decided_at,
                request.decided_by_id,
                gettext_noop("change request approved"),
            ),
        ]
    ctx.history_records += audit.record(ChangeRequest, rows)
