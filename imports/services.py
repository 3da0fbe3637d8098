"""Importing a table of projects: the dry run and the commit are the same run, one rolled back.

Every row goes through the forms a person would use (ProjectForm, StatusReportForm), so an import
cannot save what the forms refuse, and a status goes through the weekly status service, so it is
a new revision, never an overwrite. The run is one transaction: a dry run, or a commit with any
error, is rolled back whole, so nothing is ever half-imported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from imports.codes import CodeSequence
from imports.confidence import record_confidence
from imports.datasheets import DataSheet, apply_data
from imports.datasheets import problems_with as data_problems
from imports.extras import apply_extras
from imports.fields import BY_NAME, CHOICE, FOREIGN, MONEY, STATUS, Target
from imports.lookups import Lookups
from imports.mapping import Mapping
from imports.parsing import Money, normalise, text_of
from imports.plan import PlanSheet
from imports.plan import problems_with as plan_problems
from imports.plan_rows import PlanImport
from imports.results import CREATE, ERROR, UNCHANGED, UPDATE, ImportReport, RowResult
from imports.rows import CellError, RowReader, RowValues, shown
from imports.tables import Table
from portfolio.forms.project import ProjectForm
from portfolio.forms.status import ASKED_EVERY_WEEK, CARRIED_OVER, StatusReportForm
from portfolio.models import Project, StatusReport
from portfolio.models.status import period_of
from portfolio.services import submit_status_report

PROJECT_FIELDS = tuple(ProjectForm._meta.fields)
DATE_PAIRS = {"baseline_end": "baseline_start", "forecast_end": "forecast_start"}  # end -> its start
PROGRESS_EVERY = 25  # rows between two calls of an import's progress callback
STATUS_FIELDS = tuple(StatusReportForm._meta.fields)


class _Rejected(Exception):
    """A row with errors: its savepoint is rolled back."""


def import_table(
    *,
    table: Table,
    mapping: Mapping,
    author=None,
    commit: bool = False,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
    plan: list[PlanSheet] | None = None,
    data: list[DataSheet] | None = None,
) -> ImportReport:
    """Read every row, validate and apply it in one transaction; keep the writes only for a clean commit.

    `progress(rows done)` is called every PROGRESS_EVERY rows and at the end. `plan`: the file's
    milestones and dependencies sheets (imports.plan), applied after the projects, in the same
    transaction (an error in any sheet and nothing is saved). `data`: its money, capacity and demand
    sheets (imports.datasheets), applied last, in the same transaction."""
    problems = mapping.problems_with(table)
    for sheet in plan or []:
        problems.extend(plan_problems(sheet))
    for sheet in data or []:
        problems.extend(data_problems(sheet))
    if problems:
        return ImportReport(problems=problems)
    run = _Run(table=table, mapping=mapping, author=author, today=today or timezone.localdate())
    with transaction.atomic():
        report = ImportReport()
        for done, (number, cells) in enumerate(table.rows, start=1):
            report.rows.append(run.row(number, cells))
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(table.rows)):
                progress(done)
        if plan:
            report.rows.extend(
                PlanImport(
                    author=author,
                    date_formats=mapping.date_formats,
                    decimal_separator=mapping.decimal_separator,
                    today=run.today,
                ).run(plan)
            )
        if data:
            report.rows.extend(apply_data(data, author=author))
        report.committed = commit and report.ok
        if not report.committed:
            transaction.set_rollback(True)
    return report


class _Run:
    def __init__(self, *, table: Table, mapping: Mapping, author, today: date) -> None:
        self.mapping = mapping
        self.author = author
        self.today = today
        self.lookups = Lookups(create=mapping.create)
        self.reader = RowReader(table, mapping, self.lookups)
        self.key_field = mapping.key_field()
        self.key_column = mapping.key_column or mapping.column_of("code") or ""
        self.default_period = period_of(mapping.status_period or today)
        self.has_status = any(target.on == STATUS for target in mapping.mapped_fields()) or any(
            BY_NAME[name].on == STATUS for name in mapping.defaults
        )
        # The explanation is the assessment's reason only when the file has no declared rating.
        self.explanation_is_reason = mapping.column_of("overall_rag") is None
        self.seen: dict[str, int] = {}
        # Codes for new projects when the file gives none and the mapping has a pattern.
        self.codes = (
            CodeSequence(mapping.code_pattern) if mapping.code_pattern and self.key_field != "code" else None
        )

    # --- one row ----------------------------------------------------------------------------------

    def row(self, number: int, cells: list[Any]) -> RowResult:
        result = RowResult(row=number)
        values = RowValues(number)
        try:
            # Reading may create a directorate or a portfolio: inside the row's savepoint, so that a
            # row with errors leaves nothing behind.
            with transaction.atomic():
                self.reader.read_into(values, cells)
                key = self._key(values)
                result.key, result.name = shown(key), shown(values.values.get("name", ""))
                if not key:
                    raise _Rejected
                result.action = self._apply(values, key, result)
                if values.errors:
                    raise _Rejected
        except _Rejected:
            self._rolled_back(result)
        except DatabaseError as error:
            self._rolled_back(result)
            values.errors.append(
                CellError(number, "", "", _("The database refused the row: %(error)s") % {"error": error})
            )
        else:
            self.lookups.row_committed()
        result.notes, result.blanked = values.notes, values.blanked
        result.errors = values.errors
        return result

    def _rolled_back(self, result: RowResult) -> None:
        self.lookups.row_rolled_back()
        result.action = ERROR
        if result.generated_code and self.codes is not None:
            self.codes.give_back(result.generated_code)

    def _key(self, values: RowValues) -> str:
        """The row's key, once per file: a blank key or one seen on an earlier row is an error."""
        key = text_of(values.values.get(self.key_field, ""))
        if not key:
            if self.key_field not in values.columns:  # blank, not an unreadable cell (that error is there)
                label = BY_NAME[self.key_field].label
                message = _("The row has no %(field)s to match or create a project.") % {"field": label}
                values.errors.append(CellError(values.number, self.key_column, "", message))
        elif normalise(key) in self.seen:
            values.error(
                self.key_field, _("Row %(row)s has the same key.") % {"row": self.seen[normalise(key)]}
            )
        else:
            self.seen[normalise(key)] = values.number
        return key

    def _find(self, key: str, values: RowValues) -> Project | None:
        projects = Project.objects.select_for_update()
        if self.key_field == "code":
            return projects.filter(code=key).first()
        found = list(projects.filter(name__iexact=key)[:2])
        if len(found) > 1:
            values.error(self.key_field, _("Several projects have this name: match on the code."))
            raise _Rejected
        return found[0] if found else None

    def _apply(self, values: RowValues, key: str, result: RowResult) -> str:
        existing = self._find(key, values)
        if existing is None:
            for name in PROJECT_FIELDS:
                if name not in values.values and name not in values.columns:
                    self.reader.default(values, name)
            if self.codes is not None and not values.values.get("code"):
                values.values["code"] = result.generated_code = self.codes.next()
        self._currency(values, existing)
        # The form writes its cleaned values onto the instance: what the project held is read first.
        before = _form_data(existing) if existing is not None else None
        form = self._project_form(values, existing)
        status_form, period, current = (
            self._status_form(values, existing) if self.has_status else (None, None, None)
        )
        if values.errors:
            raise _Rejected
        if not result.name:
            result.name = shown(form.cleaned_data.get("name", ""))

        project_changes = self._project_changes(values, form, before)
        if existing is None:
            project = form.save()
        elif project_changes:
            project = form.save(commit=False)
            project.version = existing.version + 1
            project.save()
            form.save_m2m()
        else:
            project = existing
        result.changes.extend(project_changes)
        result.code = project.code

        status_changes = (
            self._status_changes(status_form, current, status_form.previous)
            if status_form is not None
            else []
        )
        if status_changes:
            data = {name: value for name, value in status_form.cleaned_data.items() if name != "based_on"}
            submit_status_report(
                project=project,
                author=self.author,
                period=period,
                based_on=project.last_report_id,
                data=data,
                milestone_dates={},
            )
            week = "{}-W{:02d}".format(*period.isocalendar()[:2])
            result.changes.extend([[name, before, after, week] for name, before, after in status_changes])
        confidence = record_confidence(
            project=project,
            values=values,
            on=values.values.get("status_period") or self.mapping.status_period or self.today,
            author=self.author,
            new=existing is None,
            explanation_is_reason=self.explanation_is_reason,
        )
        if confidence is not None:
            result.changes.append(confidence)
        extras = apply_extras(
            project=project, values=values, author=self.author, today=self.today, display=self.display
        )
        result.changes.extend(extras)
        if existing is None:
            return CREATE
        return UPDATE if project_changes or status_changes or confidence or extras else UNCHANGED

    # --- the project ------------------------------------------------------------------------------

    def _currency(self, values: RowValues, existing: Project | None) -> None:
        """Amounts that name their currency must be in the project's; a new project takes theirs."""
        named = [
            (name, value.currency)
            for name, value in values.values.items()
            if isinstance(value, Money) and value.currency
        ]
        currency = values.values.get("currency") or (existing.currency if existing else None)
        currency = (
            currency
            or (named[0][1] if named else None)
            or self.reader.columns_currency
            or settings.DEFAULT_CURRENCY
        )
        for name, code in named:
            if code != currency:
                values.error(
                    name,
                    _("The amount is in %(amount)s but the project's amounts are in %(project)s.")
                    % {"amount": code, "project": currency},
                )
        if existing is None and "currency" not in values.values:
            values.values["currency"] = currency

    def _project_form(self, values: RowValues, existing: Project | None) -> ProjectForm:
        instance = existing or Project()
        data = _form_data(instance)
        for name in PROJECT_FIELDS:
            if name in values.values:
                value = values.values[name]
                data[name] = value.amount if isinstance(value, Money) else value
        form = ProjectForm(data=data, instance=instance)
        if not form.is_valid():
            self._form_errors(values, form)
        return form

    def _form_errors(self, values: RowValues, form) -> None:
        failed = {error.column for error in values.errors}
        for name, messages in form.errors.items():
            at_fault = self._at_fault(values, name)
            column = values.columns.get(at_fault, "") or self._mapped_column(at_fault)
            if column and column in failed:
                continue  # the cell's own error says it already
            for message in messages:
                if column:
                    text = values.texts.get(at_fault, "") if at_fault in values.columns else ""
                    values.errors.append(CellError(values.number, column, text, str(message)))
                else:
                    label = BY_NAME[name].label if name in BY_NAME else _("Row")
                    values.errors.append(CellError(values.number, "", "", f"{label}: {message}"))

    def _at_fault(self, values: RowValues, name: str) -> str:
        """The field whose cell a form's error on `name` is about: an end before its start, when the
        file gives only the start (the end is the project's), is the start's cell."""
        start = DATE_PAIRS.get(name)
        if start and name not in values.columns and start in values.columns:
            return start
        return name

    def _mapped_column(self, name: str) -> str:
        """The column mapped to `name`, when this row's cell is blank (an explanation a rating needs)."""
        sources = self.reader.sources.get(name)
        return sources[0][0] if sources else ""

    def _project_changes(
        self, values: RowValues, form: ProjectForm, before_values: dict[str, Any] | None
    ) -> list[list[str]]:
        changes = []
        for name in PROJECT_FIELDS:
            if name not in values.values or name not in BY_NAME:
                continue
            target = BY_NAME[name]
            after = form.cleaned_data.get(name)
            after = after.pk if target.kind == FOREIGN and after is not None else after
            before = None
            if before_values is not None:
                before = before_values.get(name)
                if _same(before, after):
                    continue
            elif after in (None, "", False):
                continue
            changes.append([name, self.display(target, before), self.display(target, after), ""])
        return changes

    # --- the status report ------------------------------------------------------------------------

    def _status_form(self, values: RowValues, existing: Project | None):
        if "overall_rag" not in values.values and "overall_rag" not in values.columns:
            self.reader.default(values, "overall_rag")
        if "overall_rag" not in values.values:
            if "overall_rag" not in values.columns:
                values.notes.append(_("No overall rating: no status report for this row."))
            return None, None, None
        period = period_of(values.values.get("status_period") or self.default_period)
        previous = StatusReport.objects.filter(pk=existing.last_report_id).first() if existing else None
        current = (
            StatusReport.objects.filter(project=existing, period=period, is_latest=True).first()
            if existing
            else None
        )
        data: dict[str, Any] = {}
        for name in STATUS_FIELDS:
            if name in values.values:
                value = values.values[name]
                data[name] = value.amount if isinstance(value, Money) else value
            elif previous is not None and name in CARRIED_OVER and name not in ASKED_EVERY_WEEK:
                # The texts carry over as on the weekly form; a rating, % complete or cost the file does
                # not give is not this period's: it stays unknown rather than repeat an older one.
                data[name] = getattr(previous, name)
            elif name not in values.columns and self.reader.default(values, name) and name in values.values:
                value = values.values[name]
                data[name] = value.amount if isinstance(value, Money) else value
        # A dimension the file does not rate is not assessed, never the overall rating copied.
        form = StatusReportForm(data=data, previous=previous, unknown_allowed=True)
        if not form.is_valid():
            self._form_errors(values, form)
        return form, period, current

    def _status_changes(
        self, form: StatusReportForm, current: StatusReport | None, previous: StatusReport | None
    ) -> list[list[str]]:
        """What the status adds: against this period's report if there is one (nothing: no new revision),
        else against the last report it carries over from (a new period always shows its rating)."""
        base = current or previous
        changes = []
        for name in STATUS_FIELDS:
            after = form.cleaned_data.get(name)
            before = getattr(base, name) if base is not None else None
            unchanged = _same(before, after) if base is not None else after in (None, "")
            if unchanged and not (current is None and name == "overall_rag"):
                continue
            target = BY_NAME[name]
            changes.append([name, self.display(target, before), self.display(target, after)])
        return changes

    def display(self, target: Target, value: Any) -> str:
        if value in (None, ""):
            return ""
        if target.kind == CHOICE:
            # The value itself ("green"), labelled when shown: a run is read in its reader's language,
            # not the one of the worker that ran it (see imports.views.results).
            return str(value)
        if target.kind == FOREIGN:
            return self.lookups[target.name].display(value)
        if isinstance(value, Decimal):
            if target.kind == MONEY:
                return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
            return number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, date):
            return value.isoformat()
        return shown(value)


def _same(before: Any, after: Any) -> bool:
    if before in (None, "") and after in (None, ""):
        return True
    if isinstance(before, Decimal) or isinstance(after, Decimal):
        try:
            return Decimal(before) == Decimal(after)
        except (TypeError, ValueError, ArithmeticError):
            return False
    return str(before) == str(after) if isinstance(before, int) or isinstance(after, int) else before == after


def _form_data(instance: Project) -> dict[str, Any]:
    """The project's current values as ProjectForm data: an import changes only the fields it maps."""
    data: dict[str, Any] = {}
    for name in PROJECT_FIELDS:
        model_field = Project._meta.get_field(name)
        if model_field.many_to_many:
            data[name] = list(instance.team_members.values_list("pk", flat=True)) if instance.pk else []
        elif model_field.is_relation:
            data[name] = getattr(instance, model_field.attname)
        else:
            data[name] = getattr(instance, name)
    return data


__all__ = ["CREATE", "ERROR", "UNCHANGED", "UPDATE", "ImportReport", "RowResult", "import_table"]
