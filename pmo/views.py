from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from pmo import health
from pmo.forms import ProfileForm
from pmo.models import Directorate, User
from pmo.navigation import home_url_for
from pmo.roles import Role


@login_required
def home(request):
    """Send each user to the home page of their main role."""
    return redirect(home_url_for(request.user))


@login_required
def organisation(request):
    """Directorates and who holds which role: the administrator's home."""
    if not request.user.has_role(Role.ADMINISTRATOR, Role.PMO):
        raise PermissionDenied
    role_counts = dict(
        Group.objects.filter(name__in=Role.values)
        .annotate(n=Count("user", filter=Q(user__is_active=True)))
        .values_list("name", "n")
    )
    roles = [{"role": role, "count": role_counts.get(role.value, 0)} for role in Role]
    directorates = Directorate.objects.select_related("parent").annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
        project_count=Count("projects", distinct=True),
    )
    return render(
        request,
        "pmo/organisation.html",
        {
            "roles": roles,
            "directorates": directorates,
            "user_count": User.objects.filter(is_active=True).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's own settings: the language of their emails and subscribed reports, which is also the
    interface's from then on."""
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        language = user.preferred_language
        translation.activate(language)
        messages.success(request, _("Your preferences are saved."))
        response = redirect("profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
    return render(request, "pmo/profile.html", {"form": form})


@require_GET
@never_cache
def healthz(request):
    body, healthy = health.report()
    return JsonResponse(body, status=200 if healthy else 503)
