"""A risk's page, and what its editors do with it: record, edit, re-assess, close, reopen, mark it
occurred (it becomes an issue), escalate it to a committee, plan a mitigation action.

Whoever reads the risk's project reads the risk (`Risk.objects.visible_to`: 404 otherwise); the PMO,
administrators, its owner and its project's manager change it (`Risk.is_editable_by`: 403
otherwise). A change that fails its rules re-draws the page with the form and its message: the
services are transactional, nothing is half-saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.access import project_for
from risks import services
from risks.forms import (
    CloseForm,
    EscalateForm,
    MitigationActionForm,
    OccurredForm,
    ReassessForm,
    RiskForm,
    apply_errors,
)
from risks.models import Risk, RiskPolicy
from risks.selectors_pages import may_raise_change, may_record, project_risks_data, risk_for, risk_page_data

RISK = r"^(?P<reference>RSK-\d+)/"


def _editable(user, reference: str) -> Risk:
    risk = risk_for(user, reference)
    if not risk.is_editable_by(user):
        raise PermissionDenied
    return risk


def _refused(request, risk: Risk, error: services.RiskError):
    messages.error(request, str(error))
    return redirect(risk)


def _risk_page(request, risk: Risk, *, policy: RiskPolicy | None = None, bound=None, status: int = 200):
    """The risk's page; `bound` is the form that was just sent with errors, shown open with them."""
    policy = policy or RiskPolicy.current()
    today = timezone.localdate()
    can_edit = risk.is_editable_by(request.user)
    bound = bound or {}
    context = {
        "risk": risk,
        "policy": policy,
        "level": policy.level_of(risk.score),
        "residual_level": policy.level_of(risk.residual_score),
        "review_overdue": risk.review_overdue(today),
        "can_edit": can_edit,
        "may_raise_change": may_raise_change(request.user, risk),
        "today": today,
        "bound": next(iter(bound), ""),
        **risk_page_data(risk, policy=policy, today=today),
    }
    if can_edit and risk.is_open:
        context.update(
            reassess_form=bound.get("reassess") or ReassessForm.for_risk(risk, policy=policy),
            close_form=bound.get("close") or CloseForm(autofocus=False),
            action_form=bound.get("action") or MitigationActionForm.for_risk(risk),
            escalate_form=bound.get("escalate") or EscalateForm.for_risk(risk),
            occurred_form=bound.get("occurred") or OccurredForm.for_risk(risk, policy=policy),
        )
    return render(request, "risks/risk_detail.html", context, status=status)


@login_required
def risk_detail(request, reference: str):
    return _risk_page(request, risk_for(request.user, reference))


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request):
    code = request.GET.get("project")
    project = project_for(request.user, code, edit=True) if code else None
    if project is None and not may_record(request.user):
        raise PermissionDenied
    policy = RiskPolicy.current()
    form = RiskForm(request.POST or None, user=request.user, project=project, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(risk=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Risk %(reference)s recorded: score %(score)d, %(level)s.")
                % {
                    "reference": risk.reference,
                    "score": risk.score,
                    "level": policy.level_of(risk.score).label.lower(),
                },
            )
            return redirect(risk)
    return render(request, "risks/risk_form.html", {"form": form, "risk": None, "project": project})


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request, reference: str):
    risk = _editable(request.user, reference)
    form = RiskForm(request.POST or None, instance=risk, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_update(risk=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        except services.RiskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Risk %(reference)s saved.") % {"reference": risk.reference})
            return redirect(risk)
    # An owner outside a confidential project edits their risk without reading which project it is.
    project = risk.project if risk.project_visible else None
    return render(request, "risks/risk_form.html", {"form": form, "risk": risk, "project": project})


def _tool(request, risk: Risk, name: str, form, act, *, policy: RiskPolicy | None = None):
    """One of the risk page's tools: for a valid form, `act(cleaned_data)` does the change and returns
    (message, where to go); a refusal shows its message beside the field at fault, or above the page."""
    if form.is_valid():
        try:
            message, target = act(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except services.RiskError as error:
            return _refused(request, risk, error)
        else:
            messages.success(request, message)
            return redirect(target)
    return _risk_page(request, risk, policy=policy, bound={name: form})


@login_required
@require_POST
def risk_reassess(request, reference: str):
    risk = _editable(request.user, reference)
    policy = RiskPolicy.current()

    def act(data):
        assessment = services.risk_reassess(risk=risk, by=request.user, **data)
        level = policy.level_of(assessment.score).label.lower()
        return _("Risk %(reference)s re-assessed: score %(score)d, %(level)s.") % {
            "reference": risk.reference,
            "score": assessment.score,
            "level": level,
        }, risk

    form = ReassessForm.for_risk(risk, policy=policy, data=request.POST, autofocus=True)
    return _tool(request, risk, "reassess", form, act, policy=policy)


@login_required
@require_POST
def risk_close(request, reference: str):
    risk = _editable(request.user, reference)

    def act(data):
        services.risk_close(risk=risk, by=request.user, note=data["closing_note"])
        return _("Risk %(reference)s closed.") % {"reference": risk.reference}, risk

    return _tool(request, risk, "close", CloseForm(request.POST), act)


@login_required
@require_POST
def risk_reopen(request, reference: str):
    risk = _editable(request.user, reference)
    try:
        services.risk_reopen(risk=risk, by=request.user)
    except services.RiskError as error:
        return _refused(request, risk, error)
    messages.success(request, _("Risk %(reference)s reopened.") % {"reference": risk.reference})
    return redirect(risk)


@login_required
@require_POST
def risk_occurred(request, reference: str):
    risk = _editable(request.user, reference)
    policy = RiskPolicy.current()

    def act(data):
        issue = services.risk_occurred(risk=risk, by=request.user, **data)
        return _("Risk %(risk)s occurred: it is now issue %(issue)s.") % {
            "risk": risk.reference,
            "issue": issue.reference,
        }, issue

    form = OccurredForm.for_risk(risk, policy=policy, data=request.POST, autofocus=True)
    return _tool(request, risk, "occurred", form, act, policy=policy)


@login_required
@require_POST
def risk_escalate(request, reference: str):
    risk = _editable(request.user, reference)

    def act(data):
        committee = data["committee"]
        services.risk_escalate(risk=risk, committee=committee, reason=data["reason"], by=request.user)
        return _("Risk %(reference)s escalated to %(committee)s: it is proposed on its next agenda.") % {
            "reference": risk.reference,
            "committee": committee.name,
        }, risk

    form = EscalateForm.for_risk(risk, data=request.POST, autofocus=True)
    return _tool(request, risk, "escalate", form, act)


@login_required
@require_POST
def risk_action_add(request, reference: str):
    risk = _editable(request.user, reference)

    def act(data):
        action = services.mitigation_action_create(risk=risk, by=request.user, **data)
        message = _("Mitigation action %(reference)s planned.") % {"reference": action.reference}
        return message, f"{risk.get_absolute_url()}#mitigation"

    form = MitigationActionForm.for_risk(risk, data=request.POST, autofocus=True)
    return _tool(request, risk, "action", form, act)


@login_required
def project_risks(request, code: str):
    project = project_for(request.user, code)
    policy = RiskPolicy.current()
    return render(
        request,
        "risks/project_risks.html",
        {
            "project": project,
            "policy": policy,
            "may_record": may_record(request.user, project),
            "today": timezone.localdate(),
            **project_risks_data(project, user=request.user, policy=policy, today=timezone.localdate()),
        },
    )


urlpatterns = [
    path("new/", risk_create, name="risk_create"),
    path("projects/<str:code>/", project_risks, name="project_risks"),
    re_path(rf"{RISK}$", risk_detail, name="risk_detail"),
    re_path(rf"{RISK}edit/$", risk_edit, name="risk_edit"),
    re_path(rf"{RISK}reassess/$", risk_reassess, name="risk_reassess"),
    re_path(rf"{RISK}close/$", risk_close, name="risk_close"),
    re_path(rf"{RISK}reopen/$", risk_reopen, name="risk_reopen"),
    re_path(rf"{RISK}occurred/$", risk_occurred, name="risk_occurred"),
    re_path(rf"{RISK}escalate/$", risk_escalate, name="risk_escalate"),
    re_path(rf"{RISK}actions/new/$", risk_action_add, name="risk_action_add"),
]
