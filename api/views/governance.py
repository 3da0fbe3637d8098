"""Committees, meetings and decisions (read), and actions (read, recorded, their state changed)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from api import selectors
from api.filters import ActionFilter, CommitteeFilter, DecisionFilter, MeetingFilter
from api.serializers.governance import (
    ActionCreateSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    CommitteeSerializer,
    DecisionSerializer,
    MeetingSerializer,
)
from api.views.portfolio import ReadOnlyViewSet
from api.views.risks import HANDED_OVER, WritableViewSet
from governance.models import Action, Committee, Decision, Meeting


class CommitteeViewSet(ReadOnlyViewSet):
    """Every committee for the PMO and executives; those they chair, run or sit on for others."""

    queryset_of = selectors.committees
    queryset = Committee.objects.none()  # the model, for the schema
    serializer_class = CommitteeSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = CommitteeFilter
    ordering_fields = ["code", "name"]


class MeetingViewSet(ReadOnlyViewSet):
    """The meetings of the committees the user may see, with their agendas."""

    queryset_of = selectors.meetings
    queryset = Meeting.objects.none()  # the model, for the schema
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at"]


class DecisionViewSet(ReadOnlyViewSet):
    """The decision log: decisions about projects the user may see, and their committees' others."""

    queryset_of = selectors.decisions
    queryset = Decision.objects.none()  # the model, for the schema
    serializer_class = DecisionSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    filterset_class = DecisionFilter
    ordering_fields = ["reference", "decided_on"]


class ActionViewSet(WritableViewSet):
    """Actions: the user's own, their committees', those about projects they may see."""

    queryset_of = selectors.actions
    queryset = Action.objects.none()  # the model, for the schema
    serializer_class = ActionSerializer
    create_serializer = ActionCreateSerializer
    update_serializer = ActionUpdateSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    filterset_class = ActionFilter
    ordering_fields = ["reference", "due_date", "updated_at"]

    @extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer})
    def create(self, request, *args, **kwargs):
        """Plan a mitigation action of a risk the user may change, or record an action in a meeting
        under way that they run."""
        return super().create(request, *args, **kwargs)

    @extend_schema(request=ActionUpdateSerializer, responses={200: ActionSerializer, 204: HANDED_OVER})
    def partial_update(self, request, *args, **kwargs):
        """Change an action's state (its owner, the committee's secretary, the PMO); marking it done
        needs a completion note."""
        return super().partial_update(request, *args, **kwargs)
