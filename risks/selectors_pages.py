"""The reads of a risk's page, an issue's page and a project's risks: each a fixed number of queries,
whatever the number of assessments, actions, escalations, risks or issues."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pmo import charts
from pmo.roles import Role
from portfolio.models import Project
from portfolio.visibility import project_visible
from risks.models import Issue, Risk, RiskLevel, RiskPolicy
from risks.models.policy import MAX_SCORE


def may_record(user, project: Project | None = None) -> bool:
    """Who records risks and issues: the PMO and administrators anywhere; a project manager on the
    projects they manage (`Project.objects.editable_by`; no query when the project is given)."""
    if user.has_role(Role.PMO, Role.ADMINISTRATOR):
        return True
    if not user.has_role(Role.PROJECT_MANAGER):
        return False
    if project is not None:
        return project.project_manager_id == user.pk
    return Project.objects.editable_by(user).exists()


def risk_for(user, reference: str) -> Risk:
    """The risk if `user` may read it, with what its page shows in one query; 404 otherwise (a
    confidential project's risks do not exist for those who cannot see the project)."""
    risks = Risk.objects.visible_to(user).for_listing().select_related("project__project_manager", "issue")
    return get_object_or_404(risks.annotate(project_visible=project_visible(user)), reference=reference)


def issue_for(user, reference: str) -> Issue:
    issues = Issue.objects.visible_to(user).for_listing().select_related("project__project_manager")
    return get_object_or_404(issues.annotate(project_visible=project_visible(user)), reference=reference)


def risk_page_data(risk: Risk, *, policy: RiskPolicy, today: date) -> dict[str, Any]:
    """Three queries: the assessment history, the mitigation actions, the escalations."""
    assessments = list(risk.assessments.select_related("assessed_by").order_by("assessed_at", "pk"))
    actions = list(risk.actions.select_related("owner").order_by("due_date", "reference"))
    for action in actions:
        action.overdue = action.is_overdue(today)
    escalations = list(
        risk.escalations.select_related("committee", "escalated_by", "agenda_item__meeting", "decision")
    )
    for assessment in assessments:
        assessment.level = policy.level_of(assessment.score)
        assessment.residual_level = policy.level_of(assessment.residual_score)
    return {
        "assessments": assessments[::-1],  # the latest first in the table
        "actions": actions,
        "escalations": escalations,
        "score_chart": score_history_figure(assessments, policy=policy),
        "awaiting_committee": [e.committee_id for e in escalations if not e.is_decided],
    }


def score_history_figure(assessments, *, policy: RiskPolicy) -> dict[str, Any]:
    """Inherent and residual score by assessment, over the level bands of the policy. Each point sits on the
    day of its assessment in the organisation's time zone (settings.TIME_ZONE); its hover says the time."""
    days = [timezone.localdate(a.assessed_at) for a in assessments]
    x = [day.isoformat() for day in days]
    hover = [
        date_format(timezone.localtime(a.assessed_at), "SHORT_DATETIME_FORMAT")
        + (f" · {charts.plain(a.assessed_by)}" if a.assessed_by else "")
        for a in assessments
    ]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Inherent score"),
            "x": x,
            "y": [a.score for a in assessments],
            "text": hover,
            "hovertemplate": "%{text}<br>" + _("Inherent score") + ": %{y}<extra></extra>",
            "line": {"color": charts.COLORS["primary"], "width": 3, "shape": "hv"},
            "marker": {"size": 8},
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Residual score"),
            "x": x,
            "y": [a.residual_score for a in assessments],
            "text": hover,
            "hovertemplate": "%{text}<br>" + _("Residual score") + ": %{y}<extra></extra>",
            "line": {"color": charts.COLORS["muted"], "width": 2, "dash": "dash", "shape": "hv"},
            "marker": {"size": 7, "symbol": "diamond"},
            "connectgaps": False,
        },
    ]
    shapes = []
    annotations = []
    for level in RiskLevel:
        low, high = policy.bounds(level)
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": low - 0.5,
                "y1": high + 0.5,
                "fillcolor": charts.COLORS[level.value],
                "opacity": 0.13,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "yref": "y",
                "x": 1,
                "y": (low + high) / 2,
                "xanchor": "right",
                "text": str(level.label),
                "showarrow": False,
                "font": {"size": 11, "color": "#495057"},
            }
        )
    return charts.figure(
        data,
        height=300,
        shapes=shapes,
        annotations=annotations,
        yaxis={
            "range": [0.5, MAX_SCORE + 0.5],
            "dtick": 5,
            "title": {"text": _("Score")},
            "fixedrange": True,
        },
        xaxis={**charts.day_axis(days), "fixedrange": True},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 56, "r": 16, "t": 12, "b": 40},
    )


def open_first(queryset):
    """Open risks first, then by score (the highest first)."""
    return queryset.annotate(
        open_rank=Case(
            When(state=Risk.State.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("open_rank", "-score", "reference")


def open_issues_first(queryset):
    return queryset.annotate(
        open_rank=Case(
            When(state__in=Issue.OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        severity_rank=Case(
            *[When(severity=severity, then=Value(rank)) for severity, rank in Issue.SEVERITY_RANK.items()],
            default=Value(0),
            output_field=IntegerField(),
        ),
    ).order_by("open_rank", "-severity_rank", "due_date", "reference")


def project_risks_data(project: Project, *, user, policy: RiskPolicy, today: date) -> dict[str, Any]:
    """Two queries: the project's risks (open first, by score; the issue an occurred one became) and its
    issues (open first)."""
    risks = list(
        open_first(
            Risk.objects.filter(project=project)
            .with_levels(policy)
            .select_related("owner", "category", "issue")
        )
    )
    for risk in risks:
        risk.overdue = risk.review_overdue(today)
    issues = list(open_issues_first(Issue.objects.filter(project=project).select_related("owner", "risk")))
    for issue in issues:
        issue.overdue = issue.is_overdue(today)
    return {"risks": risks, "issues": issues}


def may_raise_change(user, thing: Risk | Issue) -> bool:
    """Whether the risk's or issue's page offers "Raise a change request": its project is one `user` may
    edit and has a baseline to change (planning's change control; the link is only a URL)."""
    from portfolio.models import Project

    project = thing.project if thing.project_id and getattr(thing, "project_visible", False) else None
    if project is None or not project.baseline_version:
        return False
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()
