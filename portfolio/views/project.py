from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from pmo import audit
from pmo.roles import Role
from portfolio.access import project_for
from portfolio.forms.project import CloseProjectForm, ProjectForm
from portfolio.models import Project
from portfolio.panels import closure_page, project_panels
from portfolio.selectors import project_page_data
from portfolio.signals import notices, plan_changed
from portfolio.views.review import thread_context

LIVE_STATES = (Project.State.ACTIVE, Project.State.ON_HOLD)
# The fields whose change other apps hear of (portfolio.signals.plan_changed): the forecast, its yardsticks.
PLAN_FIELDS = ("forecast_end", "baseline_end", "budget")


def _require_pmo(user) -> None:
    """Creating, editing and closing projects is the PMO's (and administrators') job."""
    if not user.has_role(Role.PMO, Role.ADMINISTRATOR):
        raise PermissionDenied


@login_required
def project_detail(request, code):
    project = project_for(
        request.user,
        code,
        queryset=Project.objects.for_listing().select_related("last_report__submitted_by", "release_plan"),
    )
    is_pmo = request.user.has_role(Role.PMO, Role.ADMINISTRATOR)
    today = timezone.localdate()
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "can_update_status": is_pmo or project.is_editable_by(request.user),
            "can_manage": is_pmo,
            "can_close": is_pmo and project.state in LIVE_STATES,
            "closure_url": closure_page(project),
            **project_page_data(project, user=request.user, today=today),
            # The PMO's review of the latest status: its thread, its state, the reviewer's form.
            **thread_context(project=project, report=project.last_report, user=request.user),
            # What other apps (governance, risks) show about the project: see portfolio.panels.
            "panels": project_panels(project, user=request.user, today=today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    _require_pmo(request.user)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = form.save()
        messages.success(request, _("Project %(code)s created.") % {"code": project.code})
        return redirect(project)
    return render(request, "portfolio/project_form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, code):
    project = project_for(request.user, code)
    _require_pmo(request.user)
    if request.method != "POST":
        return _edit_page(request, project, ProjectForm(instance=project))

    form = ProjectForm(request.POST, instance=project)
    if not form.is_valid():
        # Validating put the typed values on the instance: the page shows the project as it is stored
        # (a refused code has no link).
        project.refresh_from_db()
        return _edit_page(request, project, form)
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if form.cleaned_data["version"] != current.version:
            # Someone saved in between: keep their work, show the sheet as it now is.
            changed = form.changed_since_loaded(current)
            return _edit_page(request, current, ProjectForm(instance=current), changed=changed)
        edited = form.save(commit=False)
        edited.version = current.version + 1
        # Only the sheet's own fields: the status service keeps last_report up to date meanwhile.
        own = [name for name in form._meta.fields if not Project._meta.get_field(name).many_to_many]
        edited.save(update_fields=[*own, "version", "updated_at"])
        form.save_m2m()
        told = []
        if any(getattr(current, name) != getattr(edited, name) for name in PLAN_FIELDS):
            told = notices(plan_changed.send(sender=Project, project=edited, by=request.user, source="plan"))
    messages.success(request, _("Project %(code)s saved.") % {"code": edited.code})
    for notice in told:
        messages.warning(request, notice)
    return redirect(edited)


def _edit_page(request, project, form, *, changed: list[str] | None = None):
    """The edit sheet; `changed` (possibly empty) says the save was refused as stale."""
    return render(
        request,
        "portfolio/project_form.html",
        {"form": form, "project": project, "stale": changed is not None, "changed": changed or []},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_close(request, code):
    project = project_for(request.user, code)
    _require_pmo(request.user)
    if project.state not in LIVE_STATES:
        messages.error(
            request,
            _("Only an active or on-hold project can be closed; this one is %(state)s.")
            % {"state": project.get_state_display().lower()},
        )
        return redirect(project)
    closure_url = closure_page(project)
    # With a closure report to write for a project that delivered, this page is mostly for cancelling one.
    initial = {"final_state": Project.State.CANCELLED} if closure_url else None
    form = CloseProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        project.state = form.cleaned_data["final_state"]
        project.version += 1
        audit.note(project, reason=gettext_noop("project closed"))
        project.save(update_fields=["state", "version", "updated_at"])
        text = _("Project %(code)s is now %(state)s.") % {
            "code": project.code,
            "state": project.get_state_display().lower(),
        }
        if note := form.cleaned_data["note"]:
            text = _("%(message)s Note: %(note)s") % {"message": text, "note": note}
        messages.success(request, text)
        return redirect(project)
    return render(
        request,
        "portfolio/project_close.html",
        {"form": form, "project": project, "closure_url": closure_url},
    )
