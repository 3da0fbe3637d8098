"""The scoring criteria: the current version and its history (everyone who scores or reads the ranking),
the PMO's draft and its publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from demand.models import CriteriaSet
from demand.scoring_access import can_manage_criteria, can_read_ranking
from demand.scoring_forms import CriteriaFormSet, PublishForm
from demand.scoring_services import NothingToPublish, criteria_draft, criteria_publish


def _weights(criteria) -> list[tuple]:
    """Each criterion with its weight as a percentage of the version's total."""
    total = sum(c.weight for c in criteria) or 1
    return [(c, round(c.weight * 100 / total, 1)) for c in criteria]


@login_required
@require_GET
def criteria(request):
    if not can_read_ranking(request.user):
        raise PermissionDenied
    versions = list(
        CriteriaSet.objects.annotate(criteria_count=Count("criteria"), total=Sum("criteria__weight"))
        .select_related("created_by")
        .order_by("-number")
    )
    published = [v for v in versions if v.is_published]
    current = published[0] if published else None
    draft = next((v for v in versions if not v.is_published), None)
    shown = current
    if request.GET.get("version"):
        try:
            number = int(request.GET["version"])
        except ValueError:
            raise Http404 from None
        shown = next((v for v in versions if v.number == number), None)
        if shown is None or (not shown.is_published and not can_manage_criteria(request.user)):
            raise Http404
    rows = _weights(list(shown.criteria.all())) if shown else []
    return render(
        request,
        "demand/criteria.html",
        {
            "shown": shown,
            "current": current,
            "draft": draft,
            "rows": rows,
            "total": sum(c.weight for c, _share in rows),
            "versions": published,
            "can_manage": can_manage_criteria(request.user),
        },
    )


@login_required
def criteria_edit(request):
    """The draft's formset. With no draft yet, the page offers to start one (a POST: a page read never
    writes), a copy of the current version."""
    if not can_manage_criteria(request.user):
        raise PermissionDenied
    draft = CriteriaSet.objects.draft()
    if request.method == "POST" and (draft is None or "start" in request.POST):
        criteria_draft(by=request.user)
        return redirect("demand:criteria_edit")
    formset = None
    if draft is not None:
        formset = CriteriaFormSet(request.POST or None, instance=draft, prefix="criteria")
        if request.method == "POST" and formset.is_valid():
            formset.save()
            messages.success(request, _("The draft is saved. Publish it when it is ready."))
            return redirect("demand:criteria_edit")
    base = draft or CriteriaSet.objects.current()
    criteria = list(base.criteria.all()) if base else []
    return render(
        request,
        "demand/criteria_edit.html",
        {
            "draft": draft,
            "current": None if draft else base,
            "formset": formset,
            "rows": _weights(criteria),
            "total": sum(c.weight for c in criteria),
            "publish_form": PublishForm(),
        },
    )


@login_required
@require_POST
def criteria_publish_view(request):
    if not can_manage_criteria(request.user):
        raise PermissionDenied
    draft = get_object_or_404(CriteriaSet.objects.filter(published_at__isnull=True))
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what changed before publishing."))
        return redirect("demand:criteria_edit")
    try:
        criteria_publish(draft=draft, note=form.cleaned_data["note"])
    except NothingToPublish:
        messages.error(request, _("A version needs at least one criterion."))
        return redirect("demand:criteria_edit")
    messages.success(
        request,
        _("Version %(number)s is published: scores are now given with it.") % {"number": draft.number},
    )
    return redirect("demand:criteria")


urlpatterns = [
    path("criteria/", criteria, name="criteria"),
    path("criteria/edit/", criteria_edit, name="criteria_edit"),
    path("criteria/publish/", criteria_publish_view, name="criteria_publish"),
]
