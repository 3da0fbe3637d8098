"""Placeholder until the register lands: the URL names other parts link to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def register(request):
    return HttpResponse("")


@login_required
def heatmap(request):
    return HttpResponse("")


urlpatterns = [path("", register, name="register"), path("heatmap/", heatmap, name="heatmap")]
