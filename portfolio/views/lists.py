from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.roles import Role
from portfolio.assurance import with_review
from portfolio.exports import csv_response, xlsx_response
from portfolio.filters import ProjectFilter
from portfolio.models import Project, ReviewState, StatusPolicy, StatusReport
from portfolio.models.status import current_period
from portfolio.selectors import portfolio_totals, with_assessed, with_current_rag

PAGE_SIZE = 25


@login_required
def project_list(request):
    period = current_period()
    policy = StatusPolicy.current()
    visible = Project.objects.visible_to(request.user)
    today = timezone.localdate()
    listing = with_current_rag(visible.for_listing(), period=period, stale_before=policy.stale_before(today))
    listing = with_assessed(listing, on=today)  # delivery confidence (issue 21)
    filterset = ProjectFilter(request.GET, queryset=listing, request=request)
    projects = filterset.qs if filterset.is_valid() else visible.none()
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        # The whole filtered, sorted list, not one page.
        filename = f"{_('projects')}-{today:%Y-%m-%d}"
        if export == "csv":
            return csv_response(projects, filename=filename)
        return xlsx_response(projects, filename=filename, title=_("Projects"))
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portfolio/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "period": period,
            "can_create": request.user.has_role(Role.PMO, Role.ADMINISTRATOR),
        },
    )


@login_required
def my_projects(request):
    mine = Project.objects.managed_by(request.user)
    projects = list(
        with_current_rag(mine.for_listing(), period=current_period()).order_by(
            "-update_due", "state", "forecast_end", "code"
        )
    )
    # The PMO's review of each latest status (one query): a challenged one waits for the manager's answer.
    reviews = {r.pk: r for r in with_review(StatusReport.objects.filter(pk__in=mine.values("last_report")))}
    for project in projects:
        project.review = reviews.get(project.last_report_id)
    return render(
        request,
        "portfolio/my_projects.html",
        {
            "projects": projects,
            "totals": portfolio_totals(mine),
            "due": sum(project.update_due for project in projects),
            "challenged": sum(
                project.review is not None and project.review.review_state == ReviewState.CHALLENGED
                for project in projects
            ),
        },
    )
