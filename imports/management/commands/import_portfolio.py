"""`manage.py import_portfolio [FILE] [--mapping MAPPING.json] [--milestones F] [--dependencies F]
[--money F] [--capacity F] [--demand F] [--dry-run] [--lang fr|en]`: the browser import, scripted.

FILE is the projects' file; a workbook's sheets named Budgets / Capacity / Demand (imports.datasheets)
are imported with it. Without FILE, or with a workbook holding only such sheets (an export of
/finance/data/export.xlsx or /resources/data/export.xlsx), only the data sheets are imported.

All or nothing: any error, and nothing is saved; the summary lists each error's row, column,
value and message, each on one line, in the language of `--lang` (default the site's), and the
command exits non-zero.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from imports.cells import one_line
from imports.datasheets import data_sheets, import_data, is_data_workbook
from imports.mapping import Mapping, MappingError, guess_columns
from imports.parsing import ParseError
from imports.plan import DEPENDENCIES, MILESTONES, plan_sheets
from imports.services import ImportReport, import_table
from imports.tables import read_table


class Command(BaseCommand):
    help = (
        "Import projects (and their status for a period) from an .xlsx or .csv file, through a column "
        "mapping (docs/imports.md). All or nothing; exits non-zero on any error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="The .xlsx or .csv file of projects (its content decides, not its name); optional when "
            "only --money, --capacity or --demand files are imported.",
        )
        parser.add_argument(
            "--mapping", help="A mapping JSON file; without it, columns are guessed from headers."
        )
        parser.add_argument(
            "--milestones",
            help="A CSV (or .xlsx) file of milestones, for a CSV import (a workbook has its own sheet).",
        )
        parser.add_argument(
            "--dependencies",
            help="A CSV (or .xlsx) file of dependencies, for a CSV import (a workbook has its own sheet).",
        )
        for kind, what in (
            ("money", "money by month: project code, month, category, [kind], amount"),
            ("capacity", "capacity: directorate code, role, month, FTE"),
            ("demand", "demand: project code, role, month, FTE, [person]"),
        ):
            parser.add_argument(f"--{kind}", help=f"A CSV (or .xlsx) file of {what} (docs/imports-data.md).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, save nothing.")
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default=None,
            help="The language of the summary and the errors (default: the site's, LANGUAGE_CODE).",
        )

    def handle(self, *args, lang: str | None = None, **options) -> None:
        with translation.override(lang or settings.LANGUAGE_CODE):
            self._import(**options)

    def _import(
        self,
        *,
        file: str | None,
        mapping: str | None,
        dry_run: bool,
        milestones: str | None = None,
        dependencies: str | None = None,
        money: str | None = None,
        capacity: str | None = None,
        demand: str | None = None,
        **options,
    ) -> None:
        data_files = {
            kind: self._read(path)
            for kind, path in (("money", money), ("capacity", capacity), ("demand", demand))
            if path
        }
        data = self._read(file) if file else None
        if data is None or is_data_workbook(data):
            if data is None and not data_files:
                raise CommandError(_("Give a file to import."))
            try:
                sheets = data_sheets(data, data_files)
            except ParseError as error:
                raise CommandError(str(error.message)) from None
            report = import_data(sheets=sheets, commit=not dry_run)
            self._summary(report, dry_run=dry_run)
            if not report.ok:
                raise CommandError(_("Nothing was saved: fix the errors above and run the import again."))
            return
        files = {
            kind: self._read(path)
            for kind, path in ((MILESTONES, milestones), (DEPENDENCIES, dependencies))
            if path
        }
        definition = self._definition(mapping)
        try:
            parsed = Mapping.from_dict(definition) if definition is not None else None
            table = read_table(
                data, sheet=parsed.sheet if parsed else None, header_row=parsed.header_row if parsed else None
            )
        except MappingError as error:
            raise CommandError(
                _("The mapping cannot be used: %(problems)s") % {"problems": "; ".join(error.problems)}
            ) from None
        except ParseError as error:
            raise CommandError(str(error.message)) from None
        if parsed is None:
            parsed = Mapping(columns=guess_columns(table.headers))
            self.stdout.write(_("No mapping given; columns guessed from the headers:"))
            for column, target in parsed.columns.items():
                self.stdout.write(f"  {one_line(column)} -> {target or '-'}")
        try:
            plan = plan_sheets(data, parsed.plan_columns, parsed.plan_sheets, files=files)
        except ParseError as error:
            raise CommandError(str(error.message)) from None
        try:
            extra = data_sheets(data, data_files)
        except ParseError as error:
            raise CommandError(str(error.message)) from None
        report = import_table(table=table, mapping=parsed, commit=not dry_run, plan=plan, data=extra)
        self._summary(report, dry_run=dry_run)
        if not report.ok:
            raise CommandError(_("Nothing was saved: fix the errors above and run the import again."))

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
            ) from None

    def _definition(self, path: str | None):
        if path is None:
            return None
        try:
            return json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
            ) from None
        except json.JSONDecodeError as error:
            raise CommandError(
                _("%(file)s is not valid JSON: %(error)s") % {"file": path, "error": error}
            ) from None

    def _summary(self, report: ImportReport, *, dry_run: bool) -> None:
        for problem in report.problems:
            self.stderr.write(one_line(problem))
        counts = report.counts()
        if report.committed:
            self.stdout.write(_("Imported."))
        elif dry_run and report.ok:
            self.stdout.write(_("Dry run: nothing saved."))
        for row in report.rows:
            if row.generated_code:
                self.stdout.write(
                    _("Row %(row)s: new code %(code)s for “%(name)s”.")
                    % {"row": row.row, "code": row.generated_code, "name": one_line(row.name)}
                )
        self.stdout.write(
            _(
                "Rows: %(rows)s; created: %(create)s; updated: %(update)s; unchanged: %(unchanged)s; "
                "rows with errors: %(error_rows)s; errors: %(errors)s; "
                "values left blank by the mapping: %(blanked)s."
            )
            % counts
        )
        for error in report.errors:
            line = (
                _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”, value “%(value)s”: %(message)s")
                if error.sheet
                else _("Row %(row)s, column “%(column)s”, value “%(value)s”: %(message)s")
            )
            self.stderr.write(
                line
                % {
                    "sheet": error.sheet,
                    "row": error.row,
                    "column": one_line(error.column),
                    "value": one_line(error.value),
                    "message": one_line(error.message),
                }
            )
