from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pmo import health
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


@require_GET
@never_cache
def healthz(request):
    body, healthy = health.report()
    return JsonResponse(body, status=200 if healthy else 503)
