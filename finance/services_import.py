"""Money by month written by an import (the spreadsheet import, `import_portfolio --money`) and the API.

Rules:
- a budget or forecast row upserts the one amount of its (project, kind, category, month);
- an ACTUAL row is the finance system's word for its (project, month): the first actual row of a
  (project, month) in a file REPLACES every actual row that project had for that month (the categories
  the file does not name for it are deleted), so a corrected export from the finance system, imported
  again, leaves exactly what it says;
- budgets and forecasts are never negative (an actual may be: a credit note); two decimals at most;
- the importing user must be allowed to change the project (`Project.objects.editable_by`), and the
  import itself is the PMO's and administrators' (imports.views.common.require_importer);
- every write keeps its history (simple_history), names `updated_by` and says where it came from
  (`source`: imported, or api).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from finance.models import CostCategory, MonthlyAmount
from imports.cells import normalise
from imports.datasheets import MONTH, NUMBER, DataField, DataKind, DataRow, ProjectsByCode
from imports.results import CREATE, ERROR, UNCHANGED, UPDATE, RowResult
from portfolio.models import Project

MAX_AMOUNT = Decimal(10) ** 14
KIND_WORDS = {
    "budget": MonthlyAmount.Kind.BUDGET,
    "budgets": MonthlyAmount.Kind.BUDGET,
    "forecast": MonthlyAmount.Kind.FORECAST,
    "prevision": MonthlyAmount.Kind.FORECAST,
    "prévision": MonthlyAmount.Kind.FORECAST,
    "actual": MonthlyAmount.Kind.ACTUAL,
    "actuals": MonthlyAmount.Kind.ACTUAL,
    "realise": MonthlyAmount.Kind.ACTUAL,
    "réalisé": MonthlyAmount.Kind.ACTUAL,
    "réel": MonthlyAmount.Kind.ACTUAL,
}


def save_amount(
    *,
    project: Project,
    category: CostCategory,
    kind: str,
    month: date,
    amount: Decimal,
    by,
    source: str = MonthlyAmount.Source.IMPORTED,
) -> str:
    """Upsert one amount; CREATE, UPDATE or UNCHANGED (an unchanged amount is not written again)."""
    found = MonthlyAmount.objects.filter(project=project, kind=kind, category=category, month=month).first()
    if found is not None and found.amount == amount:
        return UNCHANGED
    record = found or MonthlyAmount(project=project, kind=kind, category=category, month=month)
    record.amount, record.source, record.updated_by = amount, source, by
    record._history_user = by
    record.save()
    return UPDATE if found else CREATE


def replace_actuals(*, project: Project, month: date, keep: set[int], by) -> list[MonthlyAmount]:
    """Delete the project's actual rows of the month whose category is not in `keep` (history kept)."""
    removed = list(
        MonthlyAmount.objects.actual()
        .filter(project=project, month=month)
        .exclude(category_id__in=keep)
        .select_related("category")
    )
    for record in removed:
        record._history_user = by
        record.delete()
    return removed


def category_named(text: str, categories: dict[str, CostCategory]) -> CostCategory | None:
    return categories.get(normalise(text))


def kind_named(text: str) -> str | None:
    words = dict(KIND_WORDS)
    for value, label in MonthlyAmount.Kind.choices:
        for language in ("en", "fr"):
            with override(language):
                words[normalise(str(label))] = value
    return words.get(normalise(text))


def check_amount(kind: str, amount: Decimal) -> str | None:
    """Why the amount cannot be saved, or None."""
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        return _("At most two decimals.")
    if abs(amount) >= MAX_AMOUNT:
        return _("The amount is too large.")
    if kind != MonthlyAmount.Kind.ACTUAL and amount < 0:
        return _("A budget or a forecast is never negative (an actual may be).")
    return None


class MoneyImport:
    """The applier of a money sheet (imports.datasheets): one row at a time, then the replacements."""

    def __init__(self, *, by) -> None:
        self.by = by
        self._project = ProjectsByCode(by=by, refusal=_("You may not change this project's money."))
        self.categories: dict[str, CostCategory] = {}
        for category in CostCategory.objects.all():
            for key in (category.code, category.name, category.name_en):
                self.categories.setdefault(normalise(key), category)
        self.seen: dict[tuple, int] = {}
        # (project, month) -> (categories the file gives, the first row's result)
        self.actuals: dict[tuple[int, date], tuple[set[int], RowResult]] = {}

    def row(self, row: DataRow, result: RowResult) -> str:
        project = self._project(row)
        category = None
        if row.value("category"):
            category = category_named(row.value("category"), self.categories)
            if category is None:
                row.error("category", _("No cost category has this code or name."))
        kind = MonthlyAmount.Kind.ACTUAL
        if row.given("kind"):
            kind = kind_named(row.value("kind"))
            if kind is None:
                row.error("kind", _("Not one of: budget, forecast, actual (prévision, réalisé)."))
        month, amount = row.value("month"), row.value("amount")
        if amount is not None and kind is not None:
            problem = check_amount(kind, amount)
            if problem:
                row.error("amount", problem)
        result.key = project.code if project else ""
        result.name = f"{kind or ''} {month:%Y-%m}" if month else ""
        if row.errors or None in (project, category, kind, month, amount):
            return ERROR
        key = (project.pk, kind, category.pk, month)
        if key in self.seen:
            row.error("month", _("Line %(row)s of this sheet says it already.") % {"row": self.seen[key]})
            return ERROR
        self.seen[key] = row.number
        if kind == MonthlyAmount.Kind.ACTUAL:
            kept, _first = self.actuals.setdefault((project.pk, month), (set(), result))
            kept.add(category.pk)
        before = (
            MonthlyAmount.objects.filter(project=project, kind=kind, category=category, month=month)
            .values_list("amount", flat=True)
            .first()
        )
        action = save_amount(
            project=project, category=category, kind=kind, month=month, amount=amount, by=self.by
        )
        if action != UNCHANGED:
            result.changes.append([str(category), "" if before is None else str(before), str(amount), ""])
        return action

    def finish(self) -> None:
        """The actuals the file replaces: each (project, month) it names keeps only its categories."""
        for (project_id, month), (kept, result) in self.actuals.items():
            project = Project(pk=project_id)
            for record in replace_actuals(project=project, month=month, keep=kept, by=self.by):
                result.changes.append([str(record.category), str(record.amount), "", ""])
                result.notes.append(
                    _("Replaces the month's actuals: %(category)s removed.") % {"category": record.category}
                )
                if result.action == UNCHANGED:
                    result.action = UPDATE


MONEY_FIELDS = (
    DataField(
        "project",
        gettext_lazy("Project code"),
        synonyms=("project", "projet", "code", "code projet", "code du projet"),
    ),
    DataField("month", gettext_lazy("Month"), MONTH, ("month", "mois", "période", "period", "date")),
    DataField(
        "category",
        gettext_lazy("Cost category"),
        synonyms=("category", "catégorie", "categorie", "catégorie de coût"),
    ),
    DataField("kind", gettext_lazy("Kind"), synonyms=("kind", "type"), required=False),
    DataField("amount", gettext_lazy("Amount"), NUMBER, ("amount", "montant", "valeur", "value")),
)
MONEY = DataKind(
    name="money",
    title=gettext_lazy("Budgets"),
    sheet_names=("budgets", "budget", "budget par mois", "budgets par mois", "money", "montants", "actuals"),
    fields=MONEY_FIELDS,
    applier=MoneyImport,
    order=10,
)
