"""Placeholder until the risk pages land: the URL names other parts link to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import re_path

from risks.models import Risk


@login_required
def risk_detail(request, reference: str):
    risk = get_object_or_404(Risk.objects.visible_to(request.user), reference=reference)
    return HttpResponse(str(risk))


urlpatterns = [re_path(r"^(?P<reference>RSK-\d+)/$", risk_detail, name="risk_detail")]
