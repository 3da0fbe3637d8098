"""Applying the plan sheets of an import: milestones, then the dependencies between them.

Run inside the import's one transaction, after the projects' rows (a milestone may belong to a
project the same file creates): any error in any sheet and nothing of the file is saved. A
milestone is matched by its project and its name (a second import updates it, never duplicates it);
a project under a baseline (`baseline_version` > 0) keeps its milestones' baseline dates, which only
an approved change request moves. A dependency is matched by its two milestones (or, without them,
by its two projects and its kind).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.db import DatabaseError, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from imports.cells import ParseError, normalise, text_of
from imports.dates import parse_date
from imports.lookups import PeopleLookup
from imports.parsing import parse_number
from imports.plan import DATE, DEPENDENCIES, FIELDS, MILESTONES, NUMBER, PERSON, PlanSheet
from imports.results import CREATE, ERROR, UNCHANGED, UPDATE, RowResult
from imports.rows import CellError, shown
from portfolio import plan_services as services
from portfolio.forms.dependency import DependencyForm
from portfolio.forms.plan import MilestoneForm
from portfolio.models import Milestone, Project, ProjectDependency

MAX_NAME = 200
MILESTONE_VALUES = ("baseline_date", "forecast_date", "actual_date", "weight", "deliverable", "owner")
# The plan's forms' fields that are not a column of the sheet: where their messages go.
FORM_COLUMNS = {
    "to_project": "provider_project",
    "note": "description",
}
IMPORT = gettext_noop("Import")


class _Row:
    """One row of a plan sheet being read: its values and the errors naming sheet, line and column."""

    def __init__(self, sheet: PlanSheet, number: int, cells: list[Any]) -> None:
        self.sheet, self.number = sheet, number
        self.cells = sheet.cells(cells)
        self.errors: list[CellError] = []

    def error(self, name: str, message: Any) -> None:
        header, raw = self.cells.get(name, ("", None))
        self.errors.append(CellError(self.number, header, shown(raw), str(message), sheet=self.sheet.title))

    def raw(self, name: str) -> Any:
        return self.cells.get(name, ("", None))[1]

    def given(self, name: str) -> bool:
        return name in self.cells and text_of(self.raw(name)) != ""


class PlanImport:
    def __init__(self, *, author=None, date_formats=(), decimal_separator=None, today: date) -> None:
        self.author = author
        self.date_formats = date_formats
        self.decimal_separator = decimal_separator
        self.today = today
        self.people = PeopleLookup()
        self.projects: dict[str, Project | None] = {}
        self.seen: dict[tuple, int] = {}
        self.fields = {kind: {f.name: f for f in fields} for kind, fields in FIELDS.items()}

    def run(self, sheets: list[PlanSheet]) -> list[RowResult]:
        results = []
        for sheet in sorted(sheets, key=lambda sheet: sheet.kind != MILESTONES):
            apply = self._milestone if sheet.kind == MILESTONES else self._dependency
            for number, cells in sheet.table.rows:
                row = _Row(sheet, number, cells)
                result = RowResult(row=number, sheet=sheet.title)
                try:
                    with transaction.atomic():
                        result.action = apply(row, result)
                except DatabaseError as error:
                    row.errors.append(
                        CellError(
                            number,
                            "",
                            "",
                            _("The database refused the row: %(error)s") % {"error": error},
                            sheet=sheet.title,
                        )
                    )
                if row.errors:
                    result.action = ERROR
                result.errors = row.errors
                results.append(result)
        return results

    # --- reading cells ----------------------------------------------------------------------------

    def _value(self, row: _Row, name: str) -> Any:
        """The cell's value for the field (None when blank); an unreadable cell is an error on the row."""
        if not row.given(name):
            return None
        raw, kind = row.raw(name), self.fields[row.sheet.kind][name].kind
        try:
            if kind == DATE:
                return parse_date(raw, formats=self.date_formats)
            if kind == NUMBER:
                return parse_number(raw, decimal_separator=self.decimal_separator)
            if kind == PERSON:
                return self.people.resolve(text_of(raw))
        except ParseError as error:
            row.error(name, error.message)
            return None
        text = " ".join(text_of(raw).split())
        if len(text) > MAX_NAME and name != "description":
            row.error(name, _("At most %(count)s characters.") % {"count": MAX_NAME})
            return None
        return text

    def _project(self, row: _Row, name: str) -> Project | None:
        code = self._value(row, name)
        if not code:
            if not row.errors:
                row.error(name, _("The project code is missing."))
            return None
        if code not in self.projects:
            self.projects[code] = Project.objects.filter(code=code).first()
        project = self.projects[code]
        if project is None:
            row.error(name, _("No project has this code (in the database or the projects' sheet)."))
        return project

    def _once(self, row: _Row, key: tuple, name: str) -> None:
        if key in self.seen:
            row.error(name, _("Line %(row)s of this sheet says it already.") % {"row": self.seen[key]})
        else:
            self.seen[key] = row.number

    # --- milestones -------------------------------------------------------------------------------

    def _milestone(self, row: _Row, result: RowResult) -> str:
        project = self._project(row, "project")
        name = self._value(row, "name")
        given = {f: self._value(row, f) for f in MILESTONE_VALUES}
        result.key, result.name = (project.code if project else ""), name or ""
        if not name and not row.given("name"):
            row.error("name", _("The milestone has no name."))
        if project is None or not name or row.errors:
            return ERROR
        self._once(row, (MILESTONES, project.pk, normalise(name)), "name")
        milestone = Milestone.objects.filter(project=project, name__iexact=name).first()
        before = copy.copy(milestone)
        data = model_to_dict(milestone, fields=MILESTONE_VALUES) if milestone else {}
        data.update({field: value for field, value in given.items() if value is not None}, name=name)
        form = MilestoneForm(
            data, instance=milestone, project=project, disable_locked=False, today=self.today
        )
        if not self._valid(row, form) or row.errors:
            return ERROR
        changes = []
        for field_name in MILESTONE_VALUES:
            earlier = getattr(before, field_name) if before else None
            after = form.cleaned_data.get(field_name)
            if after not in (None, "") and earlier != after:
                label = self.fields[MILESTONES][field_name].label
                changes.append([str(label), _shown(earlier), _shown(after), ""])
        result.changes = changes
        if milestone is None:
            services.milestone_add(
                project=project, milestone=form.save(commit=False), by=self.author, reason=IMPORT
            )
            return CREATE
        if not changes:
            return UNCHANGED
        services.milestone_update(
            milestone=form.save(commit=False),
            version=None,
            fields=form.saved_fields(),
            by=self.author,
            reason=IMPORT,
        )
        return UPDATE

    def _valid(self, row: _Row, form) -> bool:
        """Whether the plan's form takes the row; its messages are errors on the row's cells."""
        if form.is_valid():
            return True
        for field_name, messages in form.errors.items():
            column = field_name if field_name in self.fields[row.sheet.kind] else FORM_COLUMNS.get(field_name)
            for message in messages:
                row.error(column or "", message)
        return False

    # --- dependencies -----------------------------------------------------------------------------

    def _dependency(self, row: _Row, result: RowResult) -> str:
        consumer = self._project(row, "consumer_project")
        provider = self._project(row, "provider_project")
        needed_by = self._value(row, "needed_by")
        note = self._value(row, "description")
        kind = self._kind(row)
        result.key = consumer.code if consumer else ""
        result.name = f"→ {provider.code}" if provider else ""
        if consumer is None or provider is None or row.errors:
            return ERROR
        consumer_milestone = self._milestone_of(row, consumer, "consumer_milestone")
        provider_milestone = self._milestone_of(row, provider, "provider_milestone")
        if row.errors:
            return ERROR
        self._once(
            row,
            (DEPENDENCIES, consumer.pk, provider.pk, kind, consumer_milestone, provider_milestone),
            "provider_project",
        )
        if row.errors:
            return ERROR
        dependencies = ProjectDependency.objects.filter(from_project=consumer, to_project=provider)
        if provider_milestone is not None:
            found = dependencies.filter(
                provider_milestone=provider_milestone, consumer_milestone=consumer_milestone
            ).first()
        else:
            found = dependencies.filter(kind=kind, provider_milestone__isnull=True).first()
        given = {
            "to_project": provider.pk,
            "kind": kind,
            "needed_by": needed_by,
            "note": note if row.given("description") else None,
            "provider_milestone": provider_milestone,
            "consumer_milestone": consumer_milestone,
        }
        data = model_to_dict(found, fields=DependencyForm.Meta.fields) if found else {}
        data.update({field: value for field, value in given.items() if value is not None})
        before = copy.copy(found)
        form = DependencyForm(
            data, instance=found, project=consumer, user=self.author, milestones_required=False
        )
        if not self._valid(row, form):
            return ERROR
        changes = []
        for field_name in ("kind", "needed_by", "note", "provider_milestone", "consumer_milestone"):
            earlier = getattr(before, f"{field_name}_id" if "milestone" in field_name else field_name, None)
            after = form.cleaned_data.get(field_name)
            after = after.pk if hasattr(after, "pk") else after
            if after not in (None, "") and earlier != after:
                changes.append([field_name, _shown(earlier), _shown(after), ""])
        result.changes = changes
        if found and not changes:
            return UNCHANGED
        services.dependency_save(form=form, by=self.author)
        return UPDATE if found else CREATE

    def _milestone_of(self, row: _Row, project: Project, name: str) -> int | None:
        milestone_name = self._value(row, name)
        if not milestone_name:
            return None
        pk = project.milestones.filter(name__iexact=milestone_name).values_list("pk", flat=True).first()
        if pk is None:
            row.error(name, _("Project %(code)s has no milestone of this name.") % {"code": project.code})
        return pk

    def _kind(self, row: _Row) -> str:
        text = self._value(row, "kind")
        if not text:
            return ProjectDependency.Kind.FINISH_TO_START
        names = {}
        for value, label in ProjectDependency.Kind.choices:
            names[normalise(value)] = value
            for language in ("en", "fr"):
                with override(language):
                    names[normalise(str(label))] = value
        kind = names.get(normalise(text))
        if kind is None:
            allowed = ", ".join(str(label) for _value, label in ProjectDependency.Kind.choices)
            row.error("kind", _("Not one of: %(allowed)s.") % {"allowed": allowed})
            return ProjectDependency.Kind.FINISH_TO_START
        return kind


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
