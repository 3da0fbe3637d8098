"""Risks and issues: read, recorded and changed through the risk pages' forms and services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.forms import check, form_data
from api.serializers.common import (
    DirectorateField,
    PersonField,
    PersonSerializer,
    PortfolioField,
    VisibleProjectCode,
    VisibleProjectField,
    request_user,
)
from pmo.roles import Role
from portfolio.models import Project
from risks import services
from risks.forms import IssueForm, RiskForm
from risks.models import Impact, Issue, Probability, Risk, RiskCategory, RiskLevel, RiskPolicy
from risks.selectors_pages import may_record


class RiskSerializer(serializers.ModelSerializer):
    project = VisibleProjectCode()
    portfolio = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    directorate = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    category = serializers.StringRelatedField(read_only=True, allow_null=True)
    owner = PersonSerializer(read_only=True)
    level = serializers.ChoiceField(
        choices=RiskLevel.choices, read_only=True, help_text=_("From the score and the PMO's risk policy.")
    )
    residual_level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True, allow_null=True)
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = [
            "reference",
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
            "score",
            "level",
            "proximity",
            "response",
            "mitigation_plan",
            "residual_probability",
            "residual_impact",
            "residual_score",
            "residual_level",
            "residual_reason",
            "state",
            "closing_note",
            "closed_on",
            "next_review_on",
            "review_overdue",
            "created_at",
            "updated_at",
        ]

    def get_review_overdue(self, risk: Risk) -> bool:
        return risk.review_overdue(timezone.localdate())


class IssueSerializer(serializers.ModelSerializer):
    project = VisibleProjectCode()
    portfolio = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    directorate = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    owner = PersonSerializer(read_only=True)
    risk = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = [
            "reference",
            "title",
            "project",
            "portfolio",
            "directorate",
            "description",
            "severity",
            "owner",
            "state",
            "due_date",
            "overdue",
            "resolution",
            "resolved_on",
            "risk",
            "created_at",
            "updated_at",
        ]

    def get_overdue(self, issue: Issue) -> bool:
        return issue.is_overdue(timezone.localdate())


# --- Writes ---------------------------------------------------------------------------------------

HOME_FIELDS = ("project", "portfolio", "directorate")


class HomeWriteMixin:
    """Where a new risk or issue lives, as on the pages: a project the user may change (403 for one
    they may only read), or for the PMO and administrators a portfolio or a directorate."""

    def home(self, attrs: dict) -> Project | None:
        user = request_user(self)
        project = attrs.get("project")
        if project is not None and not project.is_editable_by(user):
            raise PermissionDenied
        if project is None and not may_record(user):
            raise PermissionDenied
        transverse = any(attrs.get(name) is not None for name in ("portfolio", "directorate"))
        if project is None and transverse and not user.has_role(Role.PMO, Role.ADMINISTRATOR):
            raise PermissionDenied(_("Only the PMO records transverse risks and issues."))
        return project

    def home_values(self, attrs: dict, project: Project | None) -> dict:
        """The home fields the form has: none when the project is given, else those sent."""
        if project is not None:
            return {}
        return {name: attrs[name] for name in HOME_FIELDS if attrs.get(name) is not None}


def _scale(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Probability.choices, **kwargs)


class RiskWriteSerializer(HomeWriteMixin, serializers.Serializer):
    """Recording or changing a risk, validated by the risk page's form and the model's rules: scores
    from 1 to 5, both residual scores or neither, a reason when the residual score is above the
    inherent one, a response that fits a threat or an opportunity."""

    kind = serializers.ChoiceField(choices=Risk.Kind.choices, required=False)
    title = serializers.CharField(max_length=200)
    project = VisibleProjectField(required=False, allow_null=True)
    portfolio = PortfolioField(required=False, allow_null=True, help_text=_("A transverse risk's (PMO)."))
    directorate = DirectorateField(required=False, allow_null=True, help_text=_("A transverse risk's (PMO)."))
    description = serializers.CharField(required=False, allow_blank=True)
    cause = serializers.CharField(required=False, allow_blank=True)
    effect = serializers.CharField(required=False, allow_blank=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=RiskCategory.objects.filter(is_active=True), required=False, allow_null=True
    )
    owner = PersonField(required=False, help_text=_("Their login; the user recording the risk if omitted."))
    probability = _scale()
    impact = serializers.ChoiceField(choices=Impact.choices)
    proximity = serializers.DateField(required=False, allow_null=True)
    response = serializers.ChoiceField(choices=Risk.Response.choices, required=False, allow_blank=True)
    mitigation_plan = serializers.CharField(required=False, allow_blank=True)
    residual_probability = _scale(required=False, allow_null=True)
    residual_impact = serializers.ChoiceField(choices=Impact.choices, required=False, allow_null=True)
    residual_reason = serializers.CharField(required=False, allow_blank=True)
    next_review_on = serializers.DateField(
        required=False, help_text=_("By default, the policy's review interval.")
    )

    def validate(self, attrs: dict) -> dict:
        user = request_user(self)
        if self.instance is None:
            project = self.home(attrs)
            values = {k: v for k, v in attrs.items() if k not in HOME_FIELDS}
            values.setdefault("owner", user)
            values.setdefault("kind", Risk.Kind.THREAT)
            policy = RiskPolicy.current()
            values.setdefault("next_review_on", services.default_review_date(policy=policy))
            data = form_data({**values, **self.home_values(attrs, project)})
            form = RiskForm(data, user=user, project=project, policy=policy)
        else:
            values = {k: v for k, v in attrs.items() if k not in HOME_FIELDS}
            fields = RiskForm._meta.fields
            form = RiskForm(
                form_data(values, instance=self.instance, fields=fields), instance=self.instance, user=user
            )
        check(form)
        return {"form": form}

    def create(self, validated: dict) -> Risk:
        return services.risk_create(risk=validated["form"].save(commit=False), by=request_user(self))

    def update(self, risk: Risk, validated: dict) -> Risk:
        return services.risk_update(risk=validated["form"].save(commit=False), by=request_user(self))


class RiskUpdateSerializer(RiskWriteSerializer):
    """A risk's home does not change once recorded; every other field may be sent alone."""

    def get_fields(self):
        fields = super().get_fields()
        for name in HOME_FIELDS:
            fields.pop(name)
        for field in fields.values():
            field.required = False
        return fields


class IssueWriteSerializer(HomeWriteMixin, serializers.Serializer):
    """Recording or changing an issue, validated by the issue page's form: resolving or closing one
    needs its resolution."""

    title = serializers.CharField(max_length=200)
    project = VisibleProjectField(required=False, allow_null=True)
    portfolio = PortfolioField(required=False, allow_null=True, help_text=_("A transverse issue's (PMO)."))
    directorate = DirectorateField(
        required=False, allow_null=True, help_text=_("A transverse issue's (PMO).")
    )
    description = serializers.CharField(required=False, allow_blank=True)
    severity = serializers.ChoiceField(choices=Issue.Severity.choices, required=False)
    owner = PersonField(required=False, help_text=_("Their login; the user recording the issue if omitted."))
    state = serializers.ChoiceField(choices=Issue.State.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    resolution = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        user = request_user(self)
        values = {k: v for k, v in attrs.items() if k not in HOME_FIELDS}
        if self.instance is None:
            project = self.home(attrs)
            values.setdefault("owner", user)
            values.setdefault("severity", Issue.Severity.MEDIUM)
            values.setdefault("state", Issue.State.OPEN)
            form = IssueForm(
                form_data({**values, **self.home_values(attrs, project)}), user=user, project=project
            )
        else:
            fields = IssueForm._meta.fields
            form = IssueForm(
                form_data(values, instance=self.instance, fields=fields), instance=self.instance, user=user
            )
        check(form)
        return {"form": form}

    def create(self, validated: dict) -> Issue:
        return services.issue_create(issue=validated["form"].save(commit=False), by=request_user(self))

    def update(self, issue: Issue, validated: dict) -> Issue:
        return services.issue_update(issue=validated["form"].save(commit=False), by=request_user(self))


class IssueUpdateSerializer(IssueWriteSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for name in HOME_FIELDS:
            fields.pop(name)
        for field in fields.values():
            field.required = False
        return fields
