"""Forms of the risk and issue pages.

The rules live in the models (`Risk.clean`, `Issue.clean`) and the services, which call
`full_clean` in their transaction; these forms only shape the input and say clearly what is wrong
with it. `apply_errors` puts a service's ValidationError back on the form that sent the input.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from governance.models import Committee
from pmo.models import Directorate, User
from pmo.roles import Role
from portfolio.models import Portfolio, Project
from risks.models import Impact, Issue, Probability, Risk, RiskCategory, RiskPolicy
from risks.services import default_review_date

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_AREA = forms.Textarea(attrs={"rows": 3})
SHORT_TEXT_AREA = forms.Textarea(attrs={"rows": 2})

SCALE_MESSAGES = {
    "probability": _("Probability must be between 1 and 5."),
    "impact": _("Impact must be between 1 and 5."),
    "residual_probability": _("Residual probability must be between 1 and 5."),
    "residual_impact": _("Residual impact must be between 1 and 5."),
}


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a model's or a service's ValidationError on `form`: beside the field when the form has
    it, above the form otherwise (nothing was saved: the services are transactional)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


def active_users(*keep_pks):
    """People who may own a risk, an issue or an action (and whoever owns it already)."""
    return User.objects.filter(Q(is_active=True) | Q(pk__in=[pk for pk in keep_pks if pk])).order_by(
        "last_name", "first_name", "username"
    )


def scale_field(name: str, choices, *, required: bool = True, label=None) -> forms.TypedChoiceField:
    """A 1..5 score whose wrong value says so, rather than "Select a valid choice"."""
    message = SCALE_MESSAGES[name]
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "---------"), *choices] if not required else choices,
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={"invalid_choice": message, "required": message},
    )


class AutofocusMixin:
    """Put the cursor in the first field, so a keyboard user types at once. A page with several
    forms asks for it only on the one to fill (the one with errors)."""

    # The risk page holds several forms with fields of the same name: each its own ids.
    auto_id = "id_%s"

    def __init__(self, *args, autofocus: bool = True, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id)
        super().__init__(*args, **kwargs)
        if autofocus:
            first = next((f for f in self.fields.values() if not f.widget.is_hidden), None)
            if first is not None:
                first.widget.attrs["autofocus"] = True


class HomeMixin:
    """Where a risk or an issue lives: the project it was recorded from, or for the PMO (and
    administrators) a project, a portfolio or a directorate (transverse). A project manager records
    them on the projects they manage."""

    HOME_FIELDS = ("project", "portfolio", "directorate")

    def _set_up_home(self, *, user, project: Project | None) -> None:
        if project is not None or self.instance.pk:
            # Recorded from its project, or already recorded: the home does not change here.
            for name in self.HOME_FIELDS:
                self.fields.pop(name, None)
            if project is not None:
                self.instance.project = project
            return
        self.fields["project"].queryset = (
            Project.objects.editable_by(user).select_related(None).order_by("code")
        )
        self.fields["project"].required = False
        if user.has_role(Role.PMO, Role.ADMINISTRATOR):
            self.fields["portfolio"].queryset = Portfolio.objects.order_by("code")
            self.fields["directorate"].queryset = Directorate.objects.order_by("code")
            self.fields["portfolio"].help_text = _("For a transverse risk: a portfolio or a directorate.")
        else:
            self.fields.pop("portfolio")
            self.fields.pop("directorate")
            self.fields["project"].required = True

    @property
    def home_fields(self) -> list:
        return [self[name] for name in self.HOME_FIELDS if name in self.fields]


class RiskForm(AutofocusMixin, HomeMixin, forms.ModelForm):
    probability = scale_field("probability", Probability.choices, label=_("Probability"))
    impact = scale_field("impact", Impact.choices, label=_("Impact"))
    residual_probability = scale_field(
        "residual_probability", Probability.choices, required=False, label=_("Residual probability")
    )
    residual_impact = scale_field(
        "residual_impact", Impact.choices, required=False, label=_("Residual impact")
    )

    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "project",
            "portfolio",
            "directorate",
            "description",
            "cause",
            "effect",
            "category",
            "owner",
            "probability",
            "impact",
            "proximity",
            "response",
            "mitigation_plan",
            "residual_probability",
            "residual_impact",
            "residual_reason",
            "next_review_on",
        ]
        widgets = {
            "description": TEXT_AREA,
            "cause": SHORT_TEXT_AREA,
            "effect": SHORT_TEXT_AREA,
            "mitigation_plan": TEXT_AREA,
            "residual_reason": SHORT_TEXT_AREA,
            "proximity": DATE_INPUT,
            "next_review_on": DATE_INPUT,
        }

    def __init__(
        self, *args, user, project: Project | None = None, policy: RiskPolicy | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self._set_up_home(user=user, project=project)
        category = self.instance.category_id
        self.fields["category"].queryset = RiskCategory.objects.filter(Q(is_active=True) | Q(pk=category))
        self.fields["owner"].queryset = active_users(self.instance.owner_id)
        self.fields["response"].help_text = _(
            "Threats: avoid, reduce, transfer or accept. Opportunities: exploit, enhance, share or accept."
        )
        if not self.instance.pk:
            self.initial.setdefault("owner", user.pk)
            self.initial.setdefault("next_review_on", default_review_date(policy=policy))


class ReassessForm(AutofocusMixin, forms.Form):
    """A review of the risk: its scores now (possibly unchanged), kept in its history."""

    auto_id = "reassess_%s"

    probability = scale_field("probability", Probability.choices, label=_("Probability"))
    impact = scale_field("impact", Impact.choices, label=_("Impact"))
    residual_probability = scale_field(
        "residual_probability", Probability.choices, required=False, label=_("Residual probability")
    )
    residual_impact = scale_field(
        "residual_impact", Impact.choices, required=False, label=_("Residual impact")
    )
    residual_reason = forms.CharField(
        label=_("Why the residual score is higher"),
        required=False,
        widget=SHORT_TEXT_AREA,
        help_text=_("Needed only when the residual score is above the inherent one."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=SHORT_TEXT_AREA,
        help_text=_("What changed since the last review."),
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DATE_INPUT)

    @classmethod
    def for_risk(cls, risk: Risk, *, policy: RiskPolicy, data=None, autofocus: bool = False) -> ReassessForm:
        initial = {
            "probability": risk.probability,
            "impact": risk.impact,
            "residual_probability": risk.residual_probability,
            "residual_impact": risk.residual_impact,
            "residual_reason": risk.residual_reason,
            "next_review_on": default_review_date(policy=policy),
        }
        return cls(data, initial=initial, autofocus=autofocus)


class CloseForm(AutofocusMixin, forms.Form):
    auto_id = "close_%s"
    closing_note = forms.CharField(
        label=_("Closing note"),
        max_length=4000,
        widget=SHORT_TEXT_AREA,
        error_messages={"required": _("Say why the risk is closed: the closing note is required.")},
    )

    def clean_closing_note(self) -> str:
        note = self.cleaned_data["closing_note"].strip()
        if not note:
            raise ValidationError(self.fields["closing_note"].error_messages["required"], code="required")
        return note


class OccurredForm(AutofocusMixin, forms.Form):
    """The issue the risk becomes, pre-filled from the risk."""

    auto_id = "occurred_%s"

    title = forms.CharField(label=_("Issue title"), max_length=200)
    severity = forms.ChoiceField(label=_("Severity"), choices=Issue.Severity.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)

    @classmethod
    def for_risk(cls, risk: Risk, *, policy: RiskPolicy, data=None, autofocus: bool = False) -> OccurredForm:
        initial = {"title": risk.title, "severity": policy.level_of(risk.score).value, "owner": risk.owner_id}
        form = cls(data, initial=initial, autofocus=autofocus)
        form.fields["owner"].queryset = active_users(risk.owner_id)
        return form


class EscalateForm(AutofocusMixin, forms.Form):
    auto_id = "escalate_%s"
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none())
    reason = forms.CharField(
        label=_("What the committee must decide"),
        max_length=4000,
        widget=SHORT_TEXT_AREA,
        error_messages={"required": _("Say what the committee must decide.")},
    )

    @classmethod
    def for_risk(cls, risk: Risk, *, data=None, autofocus: bool = False) -> EscalateForm:
        form = cls(data, autofocus=autofocus)
        form.fields["committee"].queryset = committees_for(risk)
        form.fields["committee"].label_from_instance = _committee_label
        return form


def committees_for(risk: Risk):
    """Active committees, those whose scope holds the risk's project (or its portfolio or directorate)
    first: the same scope as `Committee.projects_in_scope`, asked in one query for all committees."""
    committees = Committee.objects.filter(is_active=True)
    project = risk.project
    if project is not None:
        scope = Q(scope_directorate=project.directorate_id) | Exists(
            Committee.scope_projects.through.objects.filter(committee=OuterRef("pk"), project=project)
        )
        if project.portfolio_id:
            # Its portfolio, or the portfolio its programme belongs to.
            parent = Portfolio.objects.filter(pk=project.portfolio_id).values("parent")
            scope |= Q(scope_portfolio=project.portfolio_id) | Q(scope_portfolio__in=parent)
    elif risk.portfolio_id:
        scope = Q(scope_portfolio=risk.portfolio_id)
    else:
        scope = Q(scope_directorate=risk.directorate_id)
    return committees.annotate(covers=Exists(Committee.objects.filter(scope, pk=OuterRef("pk")))).order_by(
        "-covers", "name"
    )


def _committee_label(committee: Committee) -> str:
    if getattr(committee, "covers", False):
        return _("%(committee)s (covers this risk)") % {"committee": committee.name}
    return committee.name


class MitigationActionForm(AutofocusMixin, forms.Form):
    auto_id = "action_%s"
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DATE_INPUT)

    @classmethod
    def for_risk(cls, risk: Risk, *, data=None, autofocus: bool = False) -> MitigationActionForm:
        form = cls(data, initial={"owner": risk.owner_id}, autofocus=autofocus)
        form.fields["owner"].queryset = active_users(risk.owner_id)
        return form


class IssueForm(AutofocusMixin, HomeMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = [
            "title",
            "project",
            "portfolio",
            "directorate",
            "description",
            "severity",
            "owner",
            "state",
            "due_date",
            "resolution",
        ]
        widgets = {"description": TEXT_AREA, "resolution": TEXT_AREA, "due_date": DATE_INPUT}

    def __init__(self, *args, user, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_home(user=user, project=project)
        self.fields["owner"].queryset = active_users(self.instance.owner_id)
        self.fields["resolution"].help_text = _("Required to mark the issue resolved or closed.")
        if not self.instance.pk:
            self.initial.setdefault("owner", user.pk)
