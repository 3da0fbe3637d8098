"""Issues: the portfolio's list, an issue's page, recording and editing one.

The same rules as risks: whoever reads the issue's project reads the issue (404 otherwise); the PMO,
administrators, its owner and its project's manager change it (403 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pmo import spreadsheets
from portfolio.access import project_for
from portfolio.visibility import project_visible
from risks import services
from risks.exports import issues_export
from risks.forms import IssueForm, apply_errors
from risks.issue_filters import IssueFilter
from risks.models import Issue
from risks.selectors_pages import issue_for, may_raise_change, may_record, open_issues_first

PAGE_SIZE = 25
ISSUE = r"^issues/(?P<reference>ISS-\d+)/"


@login_required
def issue_list(request):
    listing = Issue.objects.visible_to(request.user).for_listing()
    issues = open_issues_first(listing.annotate(project_visible=project_visible(request.user)))
    filterset = IssueFilter(request.GET, queryset=issues, request=request, user=request.user)
    found = filterset.qs if filterset.is_valid() else issues.none()
    today = timezone.localdate()
    if kind := spreadsheets.requested(request):
        # The whole filtered, sorted list, not one page.
        return issues_export(found, kind=kind, today=today)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    for issue in page.object_list:
        issue.overdue = issue.is_overdue(today)
    return render(
        request,
        "risks/issue_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "may_record": may_record(request.user),
        },
    )


@login_required
def issue_detail(request, reference: str):
    issue = issue_for(request.user, reference)
    return render(
        request,
        "risks/issue_detail.html",
        {
            "issue": issue,
            "can_edit": issue.is_editable_by(request.user),
            "may_raise_change": may_raise_change(request.user, issue),
            "overdue": issue.is_overdue(timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request):
    code = request.GET.get("project")
    project = project_for(request.user, code, edit=True) if code else None
    if project is None and not may_record(request.user):
        raise PermissionDenied
    form = IssueForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(issue=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Issue %(reference)s recorded.") % {"reference": issue.reference})
            return redirect(issue)
    return render(request, "risks/issue_form.html", {"form": form, "issue": None, "project": project})


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, reference: str):
    issue = issue_for(request.user, reference)
    if not issue.is_editable_by(request.user):
        raise PermissionDenied
    form = IssueForm(request.POST or None, instance=issue, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(issue=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Issue %(reference)s saved.") % {"reference": issue.reference})
            return redirect(issue)
    # An owner outside a confidential project edits their issue without reading which project it is.
    project = issue.project if issue.project_visible else None
    return render(request, "risks/issue_form.html", {"form": form, "issue": issue, "project": project})


urlpatterns = [
    path("issues/", issue_list, name="issue_list"),
    path("issues/new/", issue_create, name="issue_create"),
    re_path(rf"{ISSUE}$", issue_detail, name="issue_detail"),
    re_path(rf"{ISSUE}edit/$", issue_edit, name="issue_edit"),
]
