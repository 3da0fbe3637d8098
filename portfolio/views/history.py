"""A project's History tab: the project's own changes, its weekly status reports (each compared with
the report before it) and its milestones' changes, in one timeline (pmo.history says how)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from pmo.history import JOIN_CHANGES, Source, Wording, quoted, render_history
from portfolio.access import project_for
from portfolio.models import Milestone, Project, StatusReport

PROJECT = Wording(
    created=_("%(who)s created the project"),
    changed=_("%(who)s changed"),
    deleted=_("%(who)s deleted the project"),
)
STATUS = Wording(
    created=_("%(who)s submitted the status of %(subject)s"),
    changed=_("%(who)s changed the status of %(subject)s"),
    deleted=_("%(who)s deleted the status of %(subject)s"),
    joiner=JOIN_CHANGES,
)
MILESTONE = Wording(
    created=_("%(who)s added the milestone %(subject)s"),
    changed=_("%(who)s changed the milestone %(subject)s"),
    deleted=_("%(who)s removed the milestone %(subject)s"),
    joiner=JOIN_CHANGES,
)
# What a week's report is compared on with the week before: the ratings and the figures (the texts
# are new every week; the project page shows them).
STATUS_FIELDS = (
    "overall_rag",
    *StatusReport.DIMENSIONS,
    "percent_complete",
    "actual_cost",
    "forecast_at_completion",
)


def _week(record) -> str:
    year, week, _day = record.period.isocalendar()
    label = f"{year}-W{week:02d}"
    if record.revision > 1:
        return _("%(week)s (revision %(revision)s)") % {"week": label, "revision": record.revision}
    return label


def project_history_sources(project: Project) -> list[Source]:
    return [
        Source(project.history.all(), wording=PROJECT, money=("budget",), currency=project.currency),
        Source(
            StatusReport.history.filter(project_id=project.pk),
            wording=STATUS,
            subject=_week,
            series="project_id",
            fields=STATUS_FIELDS,
            money=("actual_cost", "forecast_at_completion"),
            percent=("percent_complete",),
            currency=project.currency,
        ),
        Source(
            Milestone.history.filter(project_id=project.pk),
            wording=MILESTONE,
            subject=lambda record: quoted(record.name),
            fields=("name", "baseline_date", "forecast_date", "actual_date", "weight"),
        ),
    ]


@login_required
@require_GET
def project_history(request, code):
    """The tab's partial: whoever may see the project sees its history (404 for the others)."""
    project = project_for(request.user, code)
    url = reverse("portfolio:project_history", args=[project.code])
    return render_history(request, project_history_sources(project), url=url)
