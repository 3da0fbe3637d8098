"""What risks show on the project page: a panel and the "open risks" signal.

Registered through portfolio's registries (risks.integration), so that portfolio does not depend
on risks (DESIGN.md). Each function costs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import ngettext

from portfolio.indicators import AMBER, RED, Signal, register_signal_provider
from portfolio.models import Project
from portfolio.panels import register_panel
from risks.models import Issue, Risk, RiskLevel, RiskPolicy
from risks.selectors_pages import may_record, open_issues_first

PANEL_TEMPLATE = "risks/_project_panel.html"
TOP = 5


def _counts(project: Project, today: date) -> tuple[RiskPolicy, dict[str, int]]:
    """Two queries, once per page: the policy, then the project's open risks by level and those past
    their review date. The panel and the signal get the same project object from the page, so the
    result is kept on it and the second asks nothing."""
    cached = project.__dict__.get("_open_risk_counts")
    if cached is not None and cached[0] == today:
        return cached[1], cached[2]
    policy = RiskPolicy.current()
    counts = (
        Risk.objects.filter(project=project)
        .open()
        .annotate(level=policy.level_expression("score"))
        .aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(next_review_on__lt=today)),
            **{level.value: Count("pk", filter=Q(level=level.value)) for level in RiskLevel},
        )
    )
    project.__dict__["_open_risk_counts"] = (today, policy, counts)
    return policy, counts


def project_panel(*, project: Project, user, today: date) -> dict[str, Any]:
    """Four queries (two when the signal ran first): the policy and the counts by level, the top
    open risks, the top open issues.

    Whoever sees the project reads its risks and issues (their rule), so they need no filter.
    """
    policy, counts = _counts(project, today)
    top = list(
        Risk.objects.filter(project=project)
        .open()
        .with_levels(policy)
        .select_related("owner")
        .order_by("-score", "next_review_on", "reference")[:TOP]
    )
    for risk in top:
        risk.overdue = risk.review_overdue(today)
    issues = list(
        open_issues_first(Issue.objects.filter(project=project).open().select_related("owner"))[: TOP + 1]
    )
    for issue in issues:
        issue.overdue = issue.is_overdue(today)
    return {
        "project": project,
        "counts": counts,
        "by_level": [{"level": level, "count": counts[level.value]} for level in reversed(RiskLevel)],
        "risks": top,
        "more_risks": counts["total"] > TOP,
        "issues": issues[:TOP],
        "more_issues": len(issues) > TOP,
        "may_record": may_record(user, project),
    }


def open_risks_signal(*, project: Project, user, today: date) -> list[Signal]:
    """Two queries (none after the panel, see _counts): a critical open risk is red, a high one
    amber, and reviews past due amber."""
    _policy, counts = _counts(project, today)
    signals = []
    if counts[RiskLevel.CRITICAL.value]:
        count = counts[RiskLevel.CRITICAL.value]
        message = ngettext("%(count)d critical open risk.", "%(count)d critical open risks.", count) % {
            "count": count
        }
        signals.append(Signal("critical_risks", RED, message))
    if counts[RiskLevel.HIGH.value]:
        count = counts[RiskLevel.HIGH.value]
        message = ngettext("%(count)d high open risk.", "%(count)d high open risks.", count) % {
            "count": count
        }
        signals.append(Signal("high_risks", AMBER, message))
    if counts["overdue"]:
        count = counts["overdue"]
        message = ngettext(
            "%(count)d risk past its review date.", "%(count)d risks past their review date.", count
        ) % {"count": count}
        signals.append(Signal("risk_reviews_overdue", AMBER, message))
    return signals


def register() -> None:
    register_panel(PANEL_TEMPLATE, project_panel, order=20)
    register_signal_provider("risks.open_risks", open_risks_signal)
