"""Applying the plan sheets of an import: milestones, then the dependencies between them.

Run inside the import's one transaction, after the projects' rows (a milestone may belong to a
project the same file creates): any error in any sheet and nothing of the file is saved. A
milestone is matched by its project and its name (a second import updates it, never duplicates it);
a project under a baseline (`baseline_version` > 0) keeps its milestones' baseline dates, which only
an approved change request moves. A dependency is matched by its two milestones (or, without them,
by its two projects and its kind).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import override

from imports.cells import ParseError, normalise, text_of
from imports.dates import parse_date
from imports.lookups import PeopleLookup
from imports.parsing import parse_number
from imports.plan import DATE, DEPENDENCIES, FIELDS, MILESTONES, NUMBER, PERSON, PlanSheet
from imports.results import CREATE, ERROR, UNCHANGED, UPDATE, RowResult
from imports.rows import CellError, shown
from portfolio.models import Milestone, Project, ProjectDependency

MAX_NAME = 200
MAX_WEIGHT = Decimal("9999.99")


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
        values = {f: self._value(row, f) for f in ("baseline_date", "forecast_date", "actual_date")}
        weight, deliverable = self._value(row, "weight"), self._value(row, "deliverable")
        owner = self._value(row, "owner")
        result.key, result.name = (project.code if project else ""), name or ""
        if not name and not row.given("name"):
            row.error("name", _("The milestone has no name."))
        if weight is not None and not Decimal(0) <= weight <= MAX_WEIGHT:
            row.error("weight", _("A weight is a number from 0 to %(most)s.") % {"most": MAX_WEIGHT})
        if values["actual_date"] and values["actual_date"] > self.today:
            row.error("actual_date", _("A milestone cannot be reached in the future."))
        if project is None or not name or row.errors:
            return ERROR
        self._once(row, (MILESTONES, project.pk, normalise(name)), "name")
        milestone = Milestone.objects.filter(project=project, name__iexact=name).first()
        if milestone is None:
            if values["baseline_date"] is None:
                row.error("baseline_date", _("A new milestone needs its baseline date."))
                return ERROR
            milestone = Milestone(
                project=project,
                name=name,
                position=(project.milestones.aggregate(last=Max("position"))["last"] or 0) + 1,
            )
            values["forecast_date"] = values["forecast_date"] or values["baseline_date"]
        elif (
            project.baseline_version > 0
            and values["baseline_date"] is not None
            and values["baseline_date"] != milestone.baseline_date
        ):
            row.error(
                "baseline_date",
                _(
                    "The project has a baseline (v%(version)s): its milestones' baseline dates change "
                    "only through an approved change request."
                )
                % {"version": project.baseline_version},
            )
        if row.errors:
            return ERROR
        given = {**values, "weight": weight, "deliverable": deliverable, "owner_id": owner}
        changes = []
        for field_name, after in given.items():
            if after is None or (field_name == "deliverable" and not row.given("deliverable")):
                continue
            before = getattr(milestone, field_name) if milestone.pk else None
            if before != after:
                setattr(milestone, field_name, after)
                label = self.fields[MILESTONES][field_name.removesuffix("_id")].label
                changes.append([str(label), _shown(before), _shown(after), ""])
        result.changes = changes
        if milestone.pk is None:
            milestone._change_reason = _("Import")
            milestone.save()
            return CREATE
        if not changes:
            return UNCHANGED
        milestone.version += 1
        milestone._change_reason = _("Import")
        milestone.save()
        return UPDATE

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
        if consumer.pk == provider.pk:
            row.error("provider_project", _("A project cannot depend on itself."))
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
        dependency = found or ProjectDependency(
            from_project=consumer, to_project=provider, created_by=self.author
        )
        given = {
            "kind": kind,
            "needed_by": needed_by,
            "note": note if row.given("description") else None,
            "provider_milestone_id": provider_milestone,
            "consumer_milestone_id": consumer_milestone,
        }
        changes = []
        for field_name, after in given.items():
            before = getattr(dependency, field_name) if dependency.pk else None
            if after is not None and before != after:
                setattr(dependency, field_name, after)
                changes.append([field_name.removesuffix("_id"), _shown(before), _shown(after), ""])
        result.changes = changes
        if dependency.pk and not changes:
            return UNCHANGED
        dependency._change_reason = _("Import")
        dependency.save()
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
