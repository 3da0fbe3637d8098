"""The querysets of the API's endpoints: each the domain's own read rule (`visible_to`), with what its
serializer reads joined or annotated, so a page of any list costs the same few queries whatever its
length."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from governance.models import Action, AgendaItem, Committee, Decision, Meeting, Membership
from planning.models import Baseline, BaselineMilestone, ChangeRequest, ChangeRequestMilestone
from pmo.roles import Role
from portfolio.access import project_visible
from portfolio.assurance import with_confidence
from portfolio.models import (
    DeliveryConfidence,
    Milestone,
    Project,
    ProjectDependency,
    ProjectPhase,
    StatusReport,
)
from portfolio.models.status import current_period
from portfolio.selectors import with_current_rag
from reporting import kpi_pages
from reporting.models import Kpi, Measurement
from risks.models import Issue, Risk, RiskPolicy

OVERSIGHT = (Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)


def visible(user, *, field: str = "project_id"):
    """Whether the project `field` points at is one the user may see (an owner reads their own action
    or risk about a confidential project, but not which project it is): the access rule's."""
    return project_visible(user, field=field)


def projects(user) -> QuerySet[Project]:
    listing = with_current_rag(
        Project.objects.visible_to(user).for_listing().select_related("release_plan"), period=current_period()
    )
    return with_confidence(listing, on=timezone.localdate()).order_by("code")


def confidence_assessments(user) -> QuerySet[DeliveryConfidence]:
    """The delivery confidence assessments of the projects the user may see, newest first."""
    return (
        DeliveryConfidence.objects.filter(project__in=_visible_pks(user))
        .select_related("project", "assessed_by")
        .order_by("-assessed_on", "project__code", "-pk")
    )


def status_reports(user) -> QuerySet[StatusReport]:
    return (
        StatusReport.objects.filter(project__in=Project.objects.visible_to(user).order_by().values("pk"))
        .select_related("project", "submitted_by")
        .order_by("-period", "project__code", "-revision")
    )


def _visible_pks(user):
    return Project.objects.visible_to(user).order_by().values("pk")


def milestones(user) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(project__in=_visible_pks(user))
        .select_related("project", "owner")
        .order_by("baseline_date", "project__code", "pk")
    )


def dependencies(user) -> QuerySet[ProjectDependency]:
    """Dependencies whose two projects the user may see: one with a confidential end they may not
    see is not listed at all (its other end would name it)."""
    visible = _visible_pks(user)
    return (
        ProjectDependency.objects.filter(from_project__in=visible, to_project__in=visible)
        .select_related(
            "from_project",
            "to_project",
            "consumer_milestone",
            "provider_milestone",
            "accepted_by",
            "created_by",
        )
        .order_by("from_project__code", "to_project__code", "pk")
    )


def planned_phases(user) -> QuerySet[ProjectPhase]:
    return (
        ProjectPhase.objects.filter(project__in=_visible_pks(user))
        .select_related("project", "phase")
        .order_by("project__code", "phase__order", "phase__pk")
    )


def change_requests(user) -> QuerySet[ChangeRequest]:
    changes = ChangeRequestMilestone.objects.select_related("milestone").order_by("new_date", "pk")
    return (
        ChangeRequest.objects.visible_to(user)
        .select_related("project", "raised_by", "decided_by")
        .prefetch_related(Prefetch("milestone_changes", queryset=changes))
        .order_by("-raised_at", "-pk")
    )


def baselines(user) -> QuerySet[Baseline]:
    return (
        Baseline.objects.filter(project__in=_visible_pks(user))
        .select_related("project", "change_request", "taken_by")
        .prefetch_related(Prefetch("milestones", queryset=BaselineMilestone.objects.order_by("date", "pk")))
        .order_by("project__code", "number")
    )


def committees(user) -> QuerySet[Committee]:
    members = Membership.objects.select_related("user").order_by("role", "user__last_name", "user__username")
    return (
        Committee.objects.visible_to(user)
        .select_related("chair", "secretary", "scope_portfolio", "scope_directorate")
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("name", "code")
    )


def meetings(user) -> QuerySet[Meeting]:
    items = AgendaItem.objects.select_related("project").annotate(project_visible=visible(user))
    return (
        Meeting.objects.visible_to(user)
        .select_related("committee")
        .prefetch_related(Prefetch("items", queryset=items.order_by("order", "pk")))
        .order_by("-starts_at", "pk")
    )


def decisions(user) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user).for_listing().order_by("-decided_on", "-reference")


def actions(user) -> QuerySet[Action]:
    decision_visible = Exists(Decision.objects.visible_to(user).filter(pk=OuterRef("decision_id")))
    return (
        Action.objects.visible_to(user)
        .for_listing()
        .annotate(project_visible=visible(user), decision_visible=decision_visible)
        .order_by("due_date", "reference")
    )


def risks(user, policy: RiskPolicy | None = None) -> QuerySet[Risk]:
    policy = policy or RiskPolicy.current()
    return (
        Risk.objects.visible_to(user)
        .for_listing()
        .with_levels(policy)
        .annotate(project_visible=visible(user))
        .order_by("-score", "reference")
    )


def issues(user) -> QuerySet[Issue]:
    return (
        Issue.objects.visible_to(user)
        .for_listing()
        .annotate(project_visible=visible(user))
        .order_by("reference")
    )


def kpis(user) -> QuerySet[Kpi]:
    return kpi_pages.with_latest_value(Kpi.objects.visible_to(user)).order_by("order", "code")


def measurements(user) -> QuerySet[Measurement]:
    return (
        kpi_pages.visible_measurements(user)
        .filter(kpi__in=Kpi.objects.visible_to(user).order_by().values("pk"))
        .select_related("kpi", "directorate", "project", "entered_by")
        .order_by("kpi__code", "-period", "pk")
    )
