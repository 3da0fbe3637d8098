from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from portfolio.filters import ProjectFilter
from portfolio.models import Project
from portfolio.selectors import portfolio_totals

PAGE_SIZE = 25


@login_required
def project_list(request):
    visible = Project.objects.visible_to(request.user)
    filterset = ProjectFilter(request.GET, queryset=visible.for_listing(), request=request)
    projects = filterset.qs if filterset.is_valid() else visible.none()
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portfolio/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "sort": request.GET.get("sort", ""),
        },
    )


@login_required
def my_projects(request):
    mine = Project.objects.managed_by(request.user)
    return render(
        request,
        "portfolio/my_projects.html",
        {
            "projects": mine.for_listing().order_by("state", "forecast_end", "code"),
            "totals": portfolio_totals(mine),
        },
    )
