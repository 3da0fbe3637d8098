"""Each user's API token, on a page of their own: created, replaced (the old one stops working at
once) or revoked. The key is shown once, when it is made: the page never shows it again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    token = Token.objects.filter(user=request.user).first()
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            Token.objects.filter(user=request.user).delete()
            messages.success(request, _("Your API token is revoked: requests made with it are refused."))
            return redirect(reverse("api_token"))
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            token = Token.objects.create(user=request.user)
        new_key = token.key
    return render(
        request,
        "api/token.html",
        {
            "token": token,
            "new_key": new_key,
            "replaced": new_key is not None and request.POST.get("action") == "rotate",
        },
    )
