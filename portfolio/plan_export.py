"""One project's plan as a workbook: its milestones and its dependencies, laid out as the import
reads them (imports.plan: the same headers, in the reader's language, and the sheet names
"Milestones" / "Jalons", "Dependencies" / "Dépendances"), after a first sheet naming the project, so
that a project manager can export the plan, edit it in Excel and import it again.

A dependency is written only when the reader may see both its projects (as the API lists them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.spreadsheets import DATE_FORMAT, Column, xlsx_sheets_response
from portfolio.models import Milestone, Project, ProjectDependency

PROJECT_COLUMNS = [Column(_("Code"), 14), Column(_("Project name"), 45)]
MILESTONE_COLUMNS = [
    Column(_("Project code"), 14),
    Column(_("Milestone"), 40),
    Column(_("Baseline date"), 13, DATE_FORMAT),
    Column(_("Forecast date"), 13, DATE_FORMAT),
    Column(_("Actual date"), 13, DATE_FORMAT),
    Column(_("Weight"), 8, "0.00"),
    Column(_("Deliverable"), 30),
    Column(_("Owner"), 18),
]
DEPENDENCY_COLUMNS = [
    Column(_("Consumer project"), 14),
    Column(_("Consumer milestone"), 30),
    Column(_("Provider project"), 14),
    Column(_("Provider milestone"), 30),
    Column(_("Needed by"), 13, DATE_FORMAT),
    Column(_("Kind"), 24),
    Column(_("Description"), 50),
]


def plan_dependencies(project: Project, user):
    visible = Project.objects.visible_to(user).order_by().values("pk")
    return (
        ProjectDependency.objects.touching([project.pk])
        .filter(from_project__in=visible, to_project__in=visible)
        .select_related("from_project", "to_project", "consumer_milestone", "provider_milestone")
        .order_by("from_project__code", "to_project__code", "pk")
    )


def milestone_rows(project: Project) -> Iterator[list[Any]]:
    for milestone in Milestone.objects.filter(project=project).for_plan():
        yield [
            project.code,
            milestone.name,
            milestone.baseline_date,
            milestone.forecast_date,
            milestone.actual_date,
            milestone.weight,
            milestone.deliverable,
            milestone.owner.username if milestone.owner else "",
        ]


def dependency_rows(dependencies) -> Iterator[list[Any]]:
    kinds = dict(ProjectDependency.Kind.choices)
    for dependency in dependencies:
        yield [
            dependency.from_project.code,
            dependency.consumer_milestone.name if dependency.consumer_milestone else "",
            dependency.to_project.code,
            dependency.provider_milestone.name if dependency.provider_milestone else "",
            dependency.needed_by,
            str(kinds.get(dependency.kind, dependency.kind)),
            dependency.note,
        ]


def plan_export(project: Project, user) -> HttpResponse:
    filename = f"{slugify(project.code)}-{gettext('plan')}-{timezone.localdate():%Y-%m-%d}"
    return xlsx_sheets_response(
        [
            (gettext("Project"), PROJECT_COLUMNS, [[project.code, project.name]]),
            (gettext("Milestones"), MILESTONE_COLUMNS, milestone_rows(project)),
            (gettext("Dependencies"), DEPENDENCY_COLUMNS, dependency_rows(plan_dependencies(project, user))),
        ],
        filename=filename,
    )
