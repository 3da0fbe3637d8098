"""The dependency map's data: the dependencies touching the reader's projects, as graph nodes and edges
(drawn by vis-network) and as table / CSV rows. One query for the dependencies whatever their number.

A project the reader may not see is drawn as an anonymous node, "Confidential project", one per edge
(two edges to the same hidden project do not even reveal that they share it), with no code, name,
milestone or id of it in the page, its JSON or the CSV. A dependency between two projects hidden from
the reader is not there at all. Broken is `DependencyQuerySet.broken` / `is_broken`, the one rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pmo.models import Directorate
from pmo.spreadsheets import Column, choice_labels, label
from portfolio.access import project_visible
from portfolio.models import Portfolio, Project, ProjectDependency


class MapFilters(forms.Form):
    directorate = forms.ModelChoiceField(
        Directorate.objects.order_by("name"),
        required=False,
        label=gettext_lazy("Directorate"),
        empty_label=gettext_lazy("All directorates"),
    )
    portfolio = forms.ModelChoiceField(
        Portfolio.objects.order_by("code"),
        required=False,
        label=gettext_lazy("Portfolio"),
        empty_label=gettext_lazy("All portfolios"),
    )
    broken = forms.BooleanField(required=False, label=gettext_lazy("Broken only"))


@dataclass
class End:
    """One end of an edge as the reader may know it: a project, or a confidential one."""

    visible: bool
    node: str
    code: str = ""
    name: str = ""
    url: str = ""
    milestone: str = ""

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.visible else _("Confidential project")


@dataclass
class Edge:
    pk: int
    consumer: End
    provider: End
    kind: str
    criticality: str
    needed_by: date | None
    expected: date | None
    broken: bool
    days_late: int
    accepted: bool


def dependencies_for(user, *, filters: dict) -> QuerySet[ProjectDependency]:
    """The dependencies touching the projects `user` sees (within the filters' directorate, portfolio),
    with both ends, their milestones and whether the reader sees each end."""
    projects = Project.objects.visible_to(user)
    if filters.get("directorate"):
        projects = projects.filter(directorate=filters["directorate"])
    if filters.get("portfolio"):
        chosen = filters["portfolio"]
        projects = projects.filter(Q(portfolio=chosen) | Q(portfolio__parent=chosen))
    dependencies = ProjectDependency.objects.touching(projects.values("pk"))
    if filters.get("broken"):
        dependencies = dependencies.broken()
    return (
        dependencies.select_related("from_project", "to_project", "provider_milestone", "consumer_milestone")
        .annotate(
            consumer_visible=project_visible(user, field="from_project_id"),
            provider_visible=project_visible(user, field="to_project_id"),
        )
        .order_by("from_project__code", "to_project__code", "needed_by", "pk")
    )


def _end(project: Project, milestone, *, visible: bool, hidden_node: str) -> End:
    if not visible:
        return End(visible=False, node=hidden_node)
    return End(
        visible=True,
        node=f"p{project.pk}",
        code=project.code,
        name=project.name,
        url=project.get_absolute_url(),
        milestone=milestone.name if milestone else "",
    )


def map_edges(dependencies: QuerySet[ProjectDependency]) -> list[Edge]:
    labels = choice_labels(ProjectDependency, "kind", "criticality")
    edges = []
    for n, d in enumerate(dependencies):
        if not (d.consumer_visible or d.provider_visible):
            continue
        milestone = d.provider_milestone
        broken = d.is_broken
        edges.append(
            Edge(
                pk=d.pk,
                consumer=_end(
                    d.from_project, d.consumer_milestone, visible=d.consumer_visible, hidden_node=f"h{n}c"
                ),
                provider=_end(d.to_project, milestone, visible=d.provider_visible, hidden_node=f"h{n}p"),
                kind=label(labels["kind"], d.kind),
                criticality=label(labels["criticality"], d.criticality),
                needed_by=d.needed_by,
                expected=milestone.expected_date if milestone else None,
                broken=broken,
                days_late=d.days_late,
                accepted=d.is_accepted,
            )
        )
    return edges


def graph(edges: list[Edge]) -> dict[str, Any]:
    """What dependency_map.js draws: nodes and edges, every text already in the reader's language."""
    nodes: dict[str, dict[str, Any]] = {}
    for edge in edges:
        for end in (edge.consumer, edge.provider):
            if end.node not in nodes:
                nodes[end.node] = (
                    {"id": end.node, "label": end.code, "title": end.name, "url": end.url}
                    if end.visible
                    else {"id": end.node, "label": _("Confidential project"), "hidden": True}
                )
    return {
        "nodes": list(nodes.values()),
        "edges": [
            {
                "id": f"d{e.pk}",
                "from": e.provider.node,
                "to": e.consumer.node,
                "broken": e.broken,
                "accepted": e.accepted,
                "title": edge_title(e),
            }
            for e in edges
        ],
    }


def edge_title(edge: Edge) -> str:
    needed = edge.needed_by.isoformat() if edge.needed_by else "—"
    expected = edge.expected.isoformat() if edge.expected else "—"
    text = _("%(provider)s → %(consumer)s: needed by %(needed)s, expected %(expected)s") % {
        "provider": edge.provider.label,
        "consumer": edge.consumer.label,
        "needed": needed,
        "expected": expected,
    }
    if edge.broken:
        text += " · " + ngettext(
            "broken, %(days)d day late", "broken, %(days)d days late", edge.days_late
        ) % {"days": edge.days_late}
    if not edge.accepted:
        text += " · " + _("awaiting acceptance")
    return text


def csv_columns() -> list[Column]:
    return [
        Column(_("Consumer")),
        Column(_("Consumer milestone")),
        Column(_("Provider")),
        Column(_("Provider milestone")),
        Column(_("Kind")),
        Column(_("Criticality")),
        Column(_("Needed by")),
        Column(_("Provider forecast")),
        Column(_("Broken")),
        Column(_("Days late")),
        Column(_("Accepted")),
    ]


def csv_rows(edges: list[Edge]) -> Iterator[list[Any]]:
    for e in edges:
        yield [
            e.consumer.label,
            e.consumer.milestone,
            e.provider.label,
            e.provider.milestone,
            e.kind,
            e.criticality,
            e.needed_by,
            e.expected,
            _("yes") if e.broken else _("no"),
            e.days_late or "",
            _("yes") if e.accepted else _("no"),
        ]
