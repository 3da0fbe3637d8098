"""The PMO's review of the weekly statuses: validate or challenge a period's latest revision (from the
project page or from the queue), and the queue of the latest statuses by review state.

Who reviews: the PMO and administrators (`portfolio.access.can_assess`). Someone else who
may see the project gets 403 on a review; someone who may not see it gets 404. The thread and the
states are read through `portfolio.assurance` (`thread`, `with_review`), the one place they are
computed.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pmo.models import Directorate, User
from portfolio import assurance
from portfolio.access import can_assess, project_for
from portfolio.forms.review import StatusReviewForm
from portfolio.models import Project, ReviewState, StatusReport

PAGE_SIZE = 50
# The queue's tabs, in order; "all" is every state.
ALL = "all"
TABS = [*ReviewState.values, ALL]


def thread_context(*, project: Project, report: StatusReport | None, user, form=None) -> dict:
    """What `portfolio/_status_thread.html` shows about the period of `report` (a latest revision):
    its entries, its state, and for a reviewer the form (one query: the thread)."""
    if report is None:
        return {"review": None}
    entries = assurance.thread(project_id=project.pk, period=report.period)
    reviewer = can_assess(user)
    if reviewer and form is None:
        form = StatusReviewForm(report=report)
    return {
        "review": {
            "report": report,
            "entries": entries,
            "state": ReviewState(
                assurance.review_state(entries[-1] if entries else None, latest_revision_id=report.pk)
            ),
            "form": form if reviewer else None,
            "action": reverse("portfolio:status_review", args=[project.code, report.period.isoformat()]),
        },
        "project": project,
    }


def _period(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def status_review(request, code, period):
    """Validate or challenge the latest revision of `period`. htmx: the thread again (or the queue's
    row, from the queue); otherwise back where the form was (`next`), the project page by default."""
    project = project_for(request.user, code)
    if not can_assess(request.user):
        raise PermissionDenied
    report = get_object_or_404(
        StatusReport.objects.latest_revisions().select_related("submitted_by"),
        project=project,
        period=_period(period),
    )
    form = StatusReviewForm(request.POST, report=report)
    done = form.is_valid()
    if done:
        entry = form.save(user=request.user)
    if done and not request.htmx:
        messages.success(
            request,
            _("Status of %(code)s for week %(week)s: %(verdict)s.")
            % {"code": project.code, "week": report.period_label, "verdict": entry.get_verdict_display()},
        )
    from_queue = request.POST.get("surface") == "queue"
    if request.htmx:
        if from_queue:
            row = queue_rows(StatusReport.objects.filter(pk=report.pk)).get()
            _prepare([row])
            if not done:
                row.review_form = form
            return render(
                request, "portfolio/_review_row.html", {"row": row, "here": request.POST.get("next", "")}
            )
        context = thread_context(
            project=project, report=report, user=request.user, form=None if done else form
        )
        return render(request, "portfolio/_status_thread.html", context)
    if not done:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = project.get_absolute_url()
    return redirect(target)


def queue_rows(reports):
    """The queue's rows: latest revisions with their project, directorate, submitter and review."""
    return assurance.with_review(reports).select_related("project__directorate", "submitted_by")


def _prepare(rows: list[StatusReport]) -> None:
    """Each row's review form, and the author of its latest message (all of them in one query)."""
    ids = {row.review_author for row in rows if row.review_author}
    authors = User.objects.in_bulk(ids) if ids else {}
    for row in rows:
        row.review_author_user = authors.get(row.review_author)
        row.review_form = StatusReviewForm(report=row)


@login_required
@require_GET
def review_queue(request):
    """Each active project's latest status the user may see, oldest first, by review state (the
    unreviewed by default), with the count of each state; and the follow-up reviews due."""
    if not can_assess(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    visible = Project.objects.visible_to(request.user)
    state = request.GET.get("state") or ReviewState.UNREVIEWED
    if state not in TABS:
        state = ReviewState.UNREVIEWED
    directorate = request.GET.get("directorate", "")
    latest = StatusReport.objects.filter(pk__in=visible.active().values("last_report_id"))
    if directorate.isdigit():
        latest = latest.filter(project__directorate_id=int(directorate))
    else:
        directorate = ""
    rows = queue_rows(latest)
    counts = rows.aggregate(
        **{value: Count("pk", filter=Q(review_state=value)) for value in ReviewState.values},
        **{ALL: Count("pk")},
    )
    if state != ALL:
        rows = rows.filter(review_state=state)
    page = Paginator(rows.order_by("period", "submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _prepare(page.object_list)
    filters = {"state": state, **({"directorate": directorate} if directorate else {})}
    here = f"{request.path}?{urlencode({**filters, 'page': page.number})}"
    labels = dict(ReviewState.choices) | {ALL: _("All")}
    return render(
        request,
        "portfolio/review_queue.html",
        {
            "page": page,
            "state": state,
            "tabs": [
                {
                    "value": tab,
                    "label": labels[tab],
                    "count": counts[tab],
                    "query": urlencode({**filters, "state": tab}),
                }
                for tab in TABS
            ],
            "directorates": Directorate.objects.order_by("name"),
            "directorate": directorate,
            "filters": urlencode(filters),
            "here": here,
            "follow_ups": list(assurance.follow_ups_due(today, projects=visible)),
            "today": today,
        },
    )
