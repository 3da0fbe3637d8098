"""Recording a dependency from the consumer's side, and the provider accepting it (portfolio.dependencies
says who may do what). An outsider to the consumer gets 404, a reader who may not change it 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portfolio import plan_services as services
from portfolio.access import project_for
from portfolio.forms.dependency import DependencyForm
from portfolio.models import Project, ProjectDependency
from portfolio.views.plan import plan_url


def _dependency_of_consumer(user, pk: int, *, edit: bool) -> ProjectDependency:
    """The dependency, if `user` sees its consumer (else 404); with `edit`, if they may change it (403)."""
    dependency = get_object_or_404(
        ProjectDependency.objects.filter(from_project__in=Project.objects.visible_to(user)).select_related(
            "from_project", "to_project"
        ),
        pk=pk,
    )
    if edit and not dependency.from_project.is_editable_by(user):
        raise PermissionDenied
    return dependency


def _form(request, project: Project, dependency: ProjectDependency | None = None) -> DependencyForm:
    """The form; on a GET with `?to_project=`, as the page asks again when the provider is chosen (htmx),
    the provider's milestones only."""
    initial = {"to_project": request.GET["to_project"]} if request.GET.get("to_project") else None
    form = DependencyForm(
        request.POST or None, instance=dependency, initial=initial, project=project, user=request.user
    )
    form.fields["to_project"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-trigger": "change",
            "hx-include": "this",
            "hx-select": "#div_id_provider_milestone",
            "hx-target": "#div_id_provider_milestone",
            "hx-swap": "outerHTML",
        }
    )
    return form


def _form_page(request, form: DependencyForm, project: Project, dependency: ProjectDependency | None):
    return render(
        request,
        "portfolio/dependency_form.html",
        {"form": form, "project": project, "dependency": dependency, "back": plan_url(project)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dependency_create(request, code):
    return _record(request, project_for(request.user, code, edit=True), None)


@login_required
@require_http_methods(["GET", "POST"])
def dependency_edit(request, pk):
    dependency = _dependency_of_consumer(request.user, pk, edit=True)
    return _record(request, dependency.from_project, dependency)


def _record(request, project: Project, dependency: ProjectDependency | None):
    """The form page of a new dependency or of `dependency`; posted and valid, saved."""
    form = _form(request, project, dependency)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, project, dependency)
    reset = dependency is not None and dependency.is_accepted and form.terms_changed()
    services.dependency_save(form=form, by=request.user)
    if dependency is None:
        messages.success(request, _("Dependency recorded: the provider's manager is asked to accept it."))
    elif reset:
        changed = _("Dependency saved: its terms changed, the provider must accept it again.")
        messages.warning(request, changed)
    else:
        messages.success(request, _("Dependency saved."))
    return redirect(plan_url(project))


@login_required
@require_http_methods(["GET", "POST"])
def dependency_delete(request, pk):
    dependency = _dependency_of_consumer(request.user, pk, edit=True)
    project = dependency.from_project
    if request.method == "POST":
        services.dependency_delete(dependency=dependency, by=request.user)
        messages.success(request, _("Dependency removed."))
        return redirect(plan_url(project))
    provider_visible = Project.objects.visible_to(request.user).filter(pk=dependency.to_project_id).exists()
    return render(
        request,
        "portfolio/dependency_delete.html",
        {
            "dependency": dependency,
            "project": project,
            "provider_visible": provider_visible,
            "back": plan_url(project),
        },
    )


@login_required
@require_POST
def dependency_accept(request, pk):
    """The provider's manager (or the PMO) accepts: the provider will meet its milestone by `needed_by`."""
    dependency = get_object_or_404(
        ProjectDependency.objects.filter(
            to_project__in=Project.objects.visible_to(request.user)
        ).select_related("to_project"),
        pk=pk,
    )
    if not dependency.to_project.is_editable_by(request.user):
        raise PermissionDenied
    if not dependency.is_accepted:
        services.dependency_accept(dependency=dependency, by=request.user)
        messages.success(request, _("Dependency accepted."))
    return redirect(plan_url(dependency.to_project))
