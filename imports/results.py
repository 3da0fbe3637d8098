"""What an import run reports: one result per row (create, update, unchanged or error), and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from imports.rows import CellError

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


@dataclass
class RowResult:
    row: int
    key: str = ""
    name: str = ""
    action: str = ERROR
    code: str = ""  # the project's code once saved, for a link from the summary
    generated_code: str = ""  # the code the mapping's pattern gave a new project (the file gave none)
    changes: list[list[str]] = field(default_factory=list)  # [field, before, after, status week or ""]
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blanked: int = 0
    sheet: str = ""  # a plan sheet's name ("Milestones"); blank for the projects' sheet

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "key": self.key,
            "name": self.name,
            "action": self.action,
            "code": self.code,
            "generated_code": self.generated_code,
            "changes": self.changes,
            "errors": [error.as_list() for error in self.errors],
            "notes": self.notes,
            "blanked": self.blanked,
            "sheet": self.sheet,
        }


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what keeps the mapping from reading the file at all
    committed: bool = False

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return not self.problems and not any(row.errors for row in self.rows)

    def counts(self) -> dict[str, int]:
        actions = [row.action for row in self.rows]
        return {
            "rows": len(self.rows),
            CREATE: actions.count(CREATE),
            UPDATE: actions.count(UPDATE),
            UNCHANGED: actions.count(UNCHANGED),
            "error_rows": actions.count(ERROR),
            "errors": len(self.errors) + len(self.problems),
            "blanked": sum(row.blanked for row in self.rows),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "committed": self.committed,
            "counts": self.counts(),
            "problems": self.problems,
            "rows": [row.as_dict() for row in self.rows],
        }
