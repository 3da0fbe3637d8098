"""The plan sheets of an import: milestones and dependencies, beside the projects.

A workbook may hold, after its projects' sheet, a sheet of milestones ("Milestones" / "Jalons") and
one of dependencies ("Dependencies" / "Dépendances"); a CSV import takes them as separate files
(`import_portfolio --milestones FILE --dependencies FILE`). Their columns are mapped like the
projects' (the mapping's `plan_columns`, or guessed from headers in English or French: the headers
of the per-project plan export, `portfolio.plan_export`, are always recognised, so a plan
round-trips). Pure reading: no database (imports.plan_rows applies the rows).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from imports.cells import ParseError, normalise
from imports.tables import XLSX, Table, _table, _xlsx_rows, read_table, sniff_kind

MILESTONES, DEPENDENCIES = "milestones", "dependencies"
SHEETS = (MILESTONES, DEPENDENCIES)
SHEET_TITLES = {MILESTONES: gettext_lazy("Milestones"), DEPENDENCIES: gettext_lazy("Dependencies")}
SHEET_NAMES = {
    MILESTONES: ("milestones", "jalons"),
    DEPENDENCIES: ("dependencies", "dépendances", "dependances"),
}
TEXT, DATE, NUMBER, PERSON = "text", "date", "number", "person"


@dataclass(frozen=True)
class PlanField:
    name: str
    label: Any
    kind: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def headers(self) -> set[str]:
        """Every header that names this field: its label in each language, and its synonyms."""
        names = {normalise(self.name.replace("_", " ")), *self.synonyms}
        for language in ("en", "fr"):
            with override(language):
                names.add(normalise(str(self.label)))
        return names


MILESTONE_FIELDS = (
    PlanField(
        "project",
        gettext_lazy("Project code"),
        TEXT,
        ("project", "projet", "code", "code projet", "code du projet"),
        required=True,
    ),
    PlanField(
        "name", gettext_lazy("Milestone"), TEXT, ("milestone", "jalon", "name", "nom", "nom du jalon"), True
    ),
    PlanField(
        "baseline_date",
        gettext_lazy("Baseline date"),
        DATE,
        ("baseline", "date de référence", "date baseline", "date de base", "date initiale"),
    ),
    PlanField(
        "forecast_date",
        gettext_lazy("Forecast date"),
        DATE,
        ("forecast", "prévision", "date prévue", "date prévisionnelle", "date de prévision"),
    ),
    PlanField("actual_date", gettext_lazy("Actual date"), DATE, ("actual", "réel", "date effective")),
    PlanField("weight", gettext_lazy("Weight"), NUMBER, ("weight", "poids", "pondération")),
    PlanField("deliverable", gettext_lazy("Deliverable"), TEXT, ("deliverable", "livrable")),
    PlanField("owner", gettext_lazy("Owner"), PERSON, ("owner", "responsable", "propriétaire")),
)
DEPENDENCY_FIELDS = (
    PlanField(
        "consumer_project",
        gettext_lazy("Consumer project"),
        TEXT,
        ("consumer", "consommateur", "projet consommateur", "project", "projet"),
        required=True,
    ),
    PlanField("consumer_milestone", gettext_lazy("Consumer milestone"), TEXT, ("jalon consommateur",)),
    PlanField(
        "provider_project",
        gettext_lazy("Provider project"),
        TEXT,
        ("provider", "fournisseur", "projet fournisseur", "depends on", "dépend de"),
        required=True,
    ),
    PlanField("provider_milestone", gettext_lazy("Provider milestone"), TEXT, ("jalon fournisseur",)),
    PlanField(
        "needed_by", gettext_lazy("Needed by"), DATE, ("needed by", "requis le", "nécessaire le", "besoin le")
    ),
    PlanField("kind", gettext_lazy("Kind"), TEXT, ("kind", "type", "nature")),
    PlanField("description", gettext_lazy("Description"), TEXT, ("description", "note", "commentaire")),
)
FIELDS = {MILESTONES: MILESTONE_FIELDS, DEPENDENCIES: DEPENDENCY_FIELDS}


@dataclass
class PlanSheet:
    """One plan sheet: its kind, the name it goes by in messages, its table and its column mapping."""

    kind: str
    title: str
    table: Table
    columns: dict[str, str]  # field -> header of the table

    def cells(self, cells: list[Any]) -> dict[str, tuple[str, Any]]:
        """field -> (header, raw cell) of one row."""
        index = self.table.column_index()
        found = {}
        for name, header in self.columns.items():
            position = index[normalise(header)]
            found[name] = (header, cells[position] if position < len(cells) else None)
        return found


def guess_plan_columns(kind: str, headers: list[str]) -> dict[str, str]:
    """field -> header, from the headers' words (exact, after folding case and spaces)."""
    columns: dict[str, str] = {}
    for header in headers:
        text = normalise(header)
        for plan_field in FIELDS[kind]:
            if plan_field.name not in columns and text in plan_field.headers():
                columns[plan_field.name] = header
                break
    return columns


def columns_for(kind: str, table: Table, mapped: dict[str, str | None] | None) -> dict[str, str]:
    """The sheet's mapping (header -> field, as saved with the mapping), else guessed from its headers."""
    if not mapped:
        return guess_plan_columns(kind, table.headers)
    return {name: header for header, name in mapped.items() if name}


def problems_with(sheet: PlanSheet) -> list[str]:
    """What keeps a plan sheet from being read: a mapped column it lacks, a required field not mapped."""
    problems = []
    present = sheet.table.column_index()
    known = {plan_field.name for plan_field in FIELDS[sheet.kind]}
    for name, header in sheet.columns.items():
        if name not in known:
            problems.append(
                _("Sheet “%(sheet)s”: “%(field)s” is not a field that can be imported.")
                % {"sheet": sheet.title, "field": name}
            )
        elif normalise(header) not in present:
            problems.append(
                _("Sheet “%(sheet)s”: the file has no column “%(column)s”.")
                % {"sheet": sheet.title, "column": header}
            )
    for plan_field in FIELDS[sheet.kind]:
        if plan_field.required and plan_field.name not in sheet.columns:
            problems.append(
                _("Sheet “%(sheet)s”: no column gives the %(field)s.")
                % {"sheet": sheet.title, "field": str(plan_field.label).lower()}
            )
    return problems


def workbook_plan_tables(data: bytes, names: dict[str, str] | None = None) -> dict[str, tuple[str, Table]]:
    """The plan sheets of a workbook: kind -> (the sheet's name, its table). Nothing for a CSV file."""
    if sniff_kind(data) != XLSX:
        return {}
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        sheetnames = list(workbook.sheetnames)
        workbook.close()
    except Exception:  # the projects' sheet has been read already: its error says what is wrong
        return {}
    found: dict[str, tuple[str, Table]] = {}
    for kind in SHEETS:
        wanted = {normalise(names[kind])} if names and names.get(kind) else set(SHEET_NAMES[kind])
        sheet = next((name for name in sheetnames if normalise(name) in wanted), None)
        if sheet is not None:
            found[kind] = (sheet, _table(_xlsx_rows(data, sheet), XLSX, None))
    return found


def plan_sheets(
    data: bytes | None,
    mapping_columns: dict[str, dict[str, str | None]] | None = None,
    sheet_names: dict[str, str] | None = None,
    files: dict[str, bytes] | None = None,
) -> list[PlanSheet]:
    """The plan sheets to import: a workbook's own, or (CSV) the separate files given per kind.

    ParseError when a file given cannot be read."""
    tables: dict[str, tuple[str, Table]] = workbook_plan_tables(data, sheet_names) if data else {}
    for kind, content in (files or {}).items():
        tables[kind] = (str(SHEET_TITLES[kind]), read_table(content))
    sheets = []
    for kind in SHEETS:
        if kind in tables:
            title, table = tables[kind]
            columns = columns_for(kind, table, (mapping_columns or {}).get(kind))
            sheets.append(PlanSheet(kind=kind, title=title, table=table, columns=columns))
    return sheets


__all__ = ["DEPENDENCIES", "MILESTONES", "ParseError", "PlanSheet", "plan_sheets", "problems_with"]


def with_plan_columns(definition: dict[str, Any], data: bytes) -> dict[str, Any]:
    """The mapping's definition with the columns of the workbook's plan sheets, as guessed from their
    headers, for each sheet it does not map yet: saved with the mapping, they are what the next
    import of a file laid out the same way reads (and what a person may edit in its JSON)."""
    try:
        sheets = plan_sheets(data, definition.get("plan_columns"), definition.get("plan_sheets"))
    except ParseError:
        return definition
    mapped = {kind: dict(columns) for kind, columns in (definition.get("plan_columns") or {}).items()}
    for sheet in sheets:
        if sheet.kind not in mapped:
            mapped[sheet.kind] = {header: name for name, header in sheet.columns.items()}
    return {**definition, "plan_columns": mapped} if mapped else definition
