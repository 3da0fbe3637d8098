"""Committees, their meetings, decisions and actions."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from api.forms import check, form_data
from api.serializers.common import (
    PersonField,
    PersonSerializer,
    VisibleMeetingField,
    VisibleProjectCode,
    VisibleSlugField,
    request_user,
)
from governance import services
from governance.confidential import CONFIDENTIAL_ITEM, Veil
from governance.forms.actions import ActionStateForm
from governance.forms.live import LiveActionForm
from governance.models import Action, AgendaItem, Committee, Decision, Meeting, Membership
from governance.selectors_live import owner_choices
from risks import services as risk_services
from risks.forms import MitigationActionForm
from risks.models import Risk


class MembershipSerializer(serializers.ModelSerializer):
    member = PersonSerializer(source="user", read_only=True)

    class Meta:
        model = Membership
        fields = ["member", "role"]


class CommitteeSerializer(serializers.ModelSerializer):
    chair = PersonSerializer(read_only=True, allow_null=True)
    secretary = PersonSerializer(read_only=True, allow_null=True)
    members = MembershipSerializer(source="memberships", many=True, read_only=True)
    scope_portfolio = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    scope_directorate = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Committee
        fields = [
            "code",
            "name",
            "kind",
            "mandate",
            "cadence",
            "quorum",
            "is_active",
            "chair",
            "secretary",
            "members",
            "scope_portfolio",
            "scope_directorate",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    project = VisibleProjectCode()

    class Meta:
        model = AgendaItem
        fields = ["id", "order", "kind", "title", "planned_minutes", "project", "reason", "minutes"]

    def to_representation(self, item: AgendaItem) -> dict:
        """An item about a project the reader may not see, or whose title names one, is a
        "Confidential item" with no project, reason or minutes (governance.confidential)."""
        data = super().to_representation(item)
        if "veil" not in self.context:  # once per answer, shared by every item of every meeting
            self.context["veil"] = Veil.for_reader(request_user(self))
        veil = self.context["veil"]
        hidden_project = item.project_id is not None and not getattr(item, "project_visible", False)
        if hidden_project or veil.hides(item):
            data.update(title=str(CONFIDENTIAL_ITEM), project=None, reason="", minutes="")
        return data


class MeetingSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "title",
            "starts_at",
            "planned_minutes",
            "location",
            "video_link",
            "state",
            "started_at",
            "closed_at",
            "notes",
            "items",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    supersedes = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    superseded_by = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "reference",
            "title",
            "description",
            "options_considered",
            "rationale",
            "outcome",
            "conditions",
            "committee",
            "meeting",
            "decided_on",
            "project",
            "implementation",
            "implementation_due",
            "implemented_on",
            "supersedes",
            "superseded_by",
            "recorded_at",
        ]

    def get_superseded_by(self, decision: Decision) -> str | None:
        return decision.superseded_by.reference if decision.is_superseded else None


class ActionSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    decision = serializers.SerializerMethodField(help_text=gettext_lazy("Its reference, when visible."))
    project = VisibleProjectCode()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "reference",
            "title",
            "description",
            "owner",
            "due_date",
            "state",
            "overdue",
            "origin",
            "committee",
            "meeting",
            "decision",
            "project",
            "completion_note",
            "completed_on",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decision(self, action: Action) -> str | None:
        if action.decision_id is None or not getattr(action, "decision_visible", False):
            return None
        return action.decision.reference

    def get_overdue(self, action: Action) -> bool:
        return action.is_overdue(timezone.localdate())


# --- Writes ---------------------------------------------------------------------------------------


class VisibleRiskField(VisibleSlugField):
    model = Risk

    def get_queryset(self):
        return super().get_queryset().select_related("project")


class VisibleDecisionField(VisibleSlugField):
    model = Decision


class ActionCreateSerializer(serializers.Serializer):
    """A new action, as the interface records one: a mitigation action of a risk the user may change,
    or an action recorded in a meeting under way that the user runs (its secretary or the PMO)."""

    title = serializers.CharField(max_length=200)
    owner = PersonField()
    due_date = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    risk = VisibleRiskField(
        required=False, help_text=gettext_lazy("The risk this mitigation action is planned for.")
    )
    meeting = VisibleMeetingField(
        required=False, help_text=gettext_lazy("The meeting under way the action is recorded in.")
    )
    agenda_item = serializers.IntegerField(
        required=False, allow_null=True, help_text=gettext_lazy("An item of that meeting's agenda.")
    )
    decision = VisibleDecisionField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("A decision of that meeting the action carries out."),
    )

    def validate(self, attrs: dict) -> dict:
        risk, meeting = attrs.get("risk"), attrs.get("meeting")
        if (risk is None) == (meeting is None):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either the risk or the meeting the action comes from.")]}
            )
        if risk is not None:
            return self._for_risk(attrs, risk)
        return self._for_meeting(attrs, meeting)

    def _for_risk(self, attrs: dict, risk: Risk) -> dict:
        if not risk.is_editable_by(request_user(self)):
            raise PermissionDenied
        unexpected = [name for name in ("agenda_item", "decision") if attrs.get(name) is not None]
        if unexpected:
            raise serializers.ValidationError(
                {name: [_("Only an action recorded in a meeting has this.")] for name in unexpected}
            )
        values = {name: attrs[name] for name in ("title", "owner", "due_date")}
        form = check(MitigationActionForm.for_risk(risk, data=form_data(values)))
        attrs["fields"] = {**form.cleaned_data, "description": attrs["description"]}
        return attrs

    def _for_meeting(self, attrs: dict, meeting: Meeting) -> dict:
        if not Meeting.objects.managed_by(request_user(self)).filter(pk=meeting.pk).exists():
            raise PermissionDenied
        if meeting.state != Meeting.State.IN_PROGRESS:
            message = _("This meeting is closed.") if meeting.is_closed else _("Start the meeting first.")
            raise serializers.ValidationError({"meeting": [message]})
        decision = attrs.get("decision")
        if decision is not None and decision.meeting_id != meeting.pk:
            raise serializers.ValidationError(
                {"decision": [_("This decision was not taken in this meeting.")]}
            )
        owners, member_ids = owner_choices(meeting)
        decisions = list(meeting.decisions.all())
        values = {name: attrs.get(name) for name in ("title", "owner", "due_date", "description", "decision")}
        form = LiveActionForm(
            form_data({**values, "item": attrs.get("agenda_item")}),
            owners=owners,
            member_ids=member_ids,
            decisions=decisions,
        )
        check(form)
        item = None
        if form.cleaned_data.get("item"):
            item = meeting.items.select_related("project").filter(pk=form.cleaned_data["item"]).first()
            if item is None:
                raise serializers.ValidationError(
                    {"agenda_item": [_("This item is not on the meeting's agenda.")]}
                )
        attrs["agenda_item"] = item
        attrs["fields"] = {k: v for k, v in form.cleaned_data.items() if k != "item"}
        return attrs

    def create(self, validated: dict) -> Action:
        user = request_user(self)
        if validated.get("risk") is not None:
            return risk_services.mitigation_action_create(
                risk=validated["risk"], by=user, **validated["fields"]
            )
        item = validated["agenda_item"]
        return services.action_create(
            meeting=validated["meeting"],
            agenda_item=item,
            project=item.project if item else None,
            by=user,
            **validated["fields"],
        )


class ActionUpdateSerializer(serializers.Serializer):
    """What the owner, the committee's secretary or the PMO change on an action: its state, and what
    was done when it is done (required then)."""

    state = serializers.ChoiceField(choices=Action.State.choices, required=False)
    completion_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict) -> dict:
        action: Action = self.instance
        values = {"state": attrs.get("state", action.state), "note": attrs.get("completion_note", "")}
        form = ActionStateForm(form_data(values), action=action)
        if not form.is_valid():
            errors = dict(form.errors)
            if "note" in errors:
                errors["completion_note"] = errors.pop("note")
            raise serializers.ValidationError({name: list(messages) for name, messages in errors.items()})
        return form.cleaned_data

    def update(self, action: Action, validated: dict) -> Action:
        return services.action_set_state(
            action=action, state=validated["state"], by=request_user(self), note=validated["note"]
        )
