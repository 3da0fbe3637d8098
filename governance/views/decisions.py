"""The decision log: the list, a decision's page, and what its managers may do with it.

A decision is read by whoever may see its project (or, for a decision about no
project, its committee); the PMO and the committee's secretary manage it. Once
its meeting is closed a decision is frozen: it is corrected by a new decision
that supersedes it, never edited. Following its implementation is not an edit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance import services
from governance.exports import decisions_export
from governance.filters import DecisionFilter
from governance.forms.decisions import CorrectionForm, DecisionForm, ImplementationForm
from governance.models import Decision
from pmo.as_at import past_day
from portfolio.models import Project

PAGE_SIZE = 25


def decision_for(user, reference: str, *, queryset=None) -> Decision:
    """The decision if `user` may read it; 404 otherwise (a confidential project's decisions do not
    exist for those who cannot see the project)."""
    decisions = queryset if queryset is not None else Decision.objects.for_listing()
    return get_object_or_404(decisions.visible_to(user), reference=reference)


def _require_manager(user, decision: Decision) -> None:
    if not decision.committee.is_managed_by(user):
        raise PermissionDenied


def supersession_chain(decision: Decision, *, user) -> tuple[list[Decision], list[Decision]]:
    """The decisions this one corrects (nearest first) and those that correct it (nearest first),
    as far as `user` may read them. Chains are short: one query per link."""
    visible = Decision.objects.visible_to(user).only(
        "pk", "reference", "title", "title_key", "title_params", "decided_on", "supersedes"
    )
    earlier: list[Decision] = []
    current = decision
    while current.supersedes_id and len(earlier) < 50:
        current = visible.filter(pk=current.supersedes_id).first()
        if current is None:
            break
        earlier.append(current)
    later: list[Decision] = []
    current = decision
    while len(later) < 50:
        current = visible.filter(supersedes=current.pk).first()
        if current is None:
            break
        later.append(current)
    return earlier, later


@login_required
def decision_list(request):
    decisions = Decision.objects.visible_to(request.user).for_listing()
    filterset = DecisionFilter(request.GET, queryset=decisions, request=request, user=request.user)
    found = filterset.qs if filterset.is_valid() else decisions.none()
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        # The whole filtered, sorted log, not one page.
        return decisions_export(found, kind=export)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/decision_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            # Opened from a dashboard tile as at a past date: its window's decisions, with that date said.
            "as_at": past_day(request.GET.get("as_at"), today=timezone.localdate()),
        },
    )


@login_required
def decision_detail(request, reference):
    decision = decision_for(
        request.user,
        reference,
        queryset=Decision.objects.for_listing().select_related(
            "recorded_by", "agenda_item", "gate_review__from_phase", "gate_review__to_phase"
        ),
    )
    earlier, later = supersession_chain(decision, user=request.user)
    can_manage = decision.committee.is_managed_by(request.user)
    return render(
        request,
        "governance/decision_detail.html",
        {
            "decision": decision,
            "actions": decision.actions.select_related("owner").order_by("due_date", "reference"),
            "earlier": earlier,
            "later": later,
            "project_visible": decision.project_id is not None
            and Project.objects.visible_to(request.user).filter(pk=decision.project_id).exists(),
            "can_manage": can_manage,
            "implementation_form": ImplementationForm(
                initial={"implementation": decision.implementation, "implemented_on": decision.implemented_on}
            )
            if can_manage
            else None,
            "today": timezone.localdate(),
        },
    )


def _frozen(request, decision: Decision):
    messages.warning(
        request,
        _(
            "%(reference)s is frozen: its meeting is closed and it is part of the record. "
            "Record a correction instead."
        )
        % {"reference": decision.reference},
    )
    return redirect(decision)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, reference):
    decision = decision_for(request.user, reference)
    _require_manager(request.user, decision)
    if decision.is_frozen:
        return _frozen(request, decision)
    form = DecisionForm(request.POST or None, instance=decision, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_DECISION_FIELDS}
        try:
            services.decision_update(decision=decision, **fields)
        except services.FrozenDecisionError:
            return _frozen(request, decision)
        messages.success(request, _("Decision %(reference)s saved.") % {"reference": decision.reference})
        return redirect(decision)
    return render(
        request, "governance/decision_form.html", {"decision": decision, "form": form, "correction": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_supersede(request, reference):
    decision = decision_for(request.user, reference)
    _require_manager(request.user, decision)
    if decision.is_superseded:
        messages.info(
            request,
            _("%(reference)s has already been corrected by %(other)s.")
            % {"reference": decision.reference, "other": decision.superseded_by.reference},
        )
        return redirect(decision.superseded_by)
    if request.method == "POST":
        form = CorrectionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                correction = services.decision_supersede(
                    decision=decision, by=request.user, **form.cleaned_data
                )
            except services.GovernanceError as error:
                messages.error(request, str(error))
                return redirect(decision)
            messages.success(
                request,
                _("Correction %(new)s recorded; it supersedes %(old)s.")
                % {"new": correction.reference, "old": decision.reference},
            )
            return redirect(correction)
    else:
        form = CorrectionForm.copying(decision, user=request.user)
    return render(
        request, "governance/decision_form.html", {"decision": decision, "form": form, "correction": True}
    )


@login_required
@require_POST
def decision_implementation(request, reference):
    decision = decision_for(request.user, reference)
    _require_manager(request.user, decision)
    form = ImplementationForm(request.POST)
    if form.is_valid():
        services.decision_set_implementation(
            decision=decision,
            implementation=form.cleaned_data["implementation"],
            on=form.cleaned_data["implemented_on"],
        )
        messages.success(
            request,
            _("Implementation of %(reference)s: %(state)s.")
            % {"reference": decision.reference, "state": decision.get_implementation_display()},
        )
    else:
        messages.error(request, _("The implementation status was not understood; nothing was changed."))
    return redirect(decision)


urlpatterns = [
    path("decisions/", decision_list, name="decision_list"),
    path("decisions/<str:reference>/", decision_detail, name="decision_detail"),
    path("decisions/<str:reference>/edit/", decision_edit, name="decision_edit"),
    path("decisions/<str:reference>/correct/", decision_supersede, name="decision_supersede"),
    path(
        "decisions/<str:reference>/implementation/", decision_implementation, name="decision_implementation"
    ),
]
