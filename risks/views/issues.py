"""Placeholder until the issue pages land: the URL names other parts link to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import re_path

from risks.models import Issue


@login_required
def issue_detail(request, reference: str):
    issue = get_object_or_404(Issue.objects.visible_to(request.user), reference=reference)
    return HttpResponse(str(issue))


urlpatterns = [re_path(r"^issues/(?P<reference>ISS-\d+)/$", issue_detail, name="issue_detail")]
