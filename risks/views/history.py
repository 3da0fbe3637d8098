"""The History tabs of risks and issues (pmo.history says how they read): the page's rule applies
(404 for whoever may not see the risk), and a project the reader may not see is not named."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import re_path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from pmo.history import Source, Wording, render_history
from portfolio.models import Project
from risks.models import Risk
from risks.selectors_pages import issue_for, risk_for

RISK = Wording(
    created=_("%(who)s recorded the risk"),
    changed=_("%(who)s changed"),
    deleted=_("%(who)s deleted the risk"),
)
ISSUE = Wording(
    created=_("%(who)s recorded the issue"),
    changed=_("%(who)s changed"),
    deleted=_("%(who)s deleted the issue"),
)


@login_required
@require_GET
def risk_history(request, reference: str):
    risk = risk_for(request.user, reference)
    url = reverse("risks:risk_history", args=[risk.reference])
    restricted = {Project: Project.objects.visible_to(request.user)}
    return render_history(request, [Source(risk.history.all(), wording=RISK)], url=url, restricted=restricted)


@login_required
@require_GET
def issue_history(request, reference: str):
    issue = issue_for(request.user, reference)
    url = reverse("risks:issue_history", args=[issue.reference])
    restricted = {
        Project: Project.objects.visible_to(request.user),
        Risk: Risk.objects.visible_to(request.user),
    }
    return render_history(
        request, [Source(issue.history.all(), wording=ISSUE)], url=url, restricted=restricted
    )


urlpatterns = [
    re_path(r"^(?P<reference>RSK-\d+)/history/$", risk_history, name="risk_history"),
    re_path(r"^issues/(?P<reference>ISS-\d+)/history/$", issue_history, name="issue_history"),
]
