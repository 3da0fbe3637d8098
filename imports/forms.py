"""The forms of the import steps: upload, map columns, map values.

Columns and values forms are built from the file (its headers, its distinct values) and write
the mapping's JSON (imports.mapping), so what the browser saves is what `--mapping` reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.fields import (
    BY_NAME,
    CHOICE,
    CONFIDENCE,
    EXTRA,
    FOREIGN,
    PROJECT,
    RATING_FIELDS,
    STATUS,
    TARGETS,
    Target,
)
from imports.mapping import Mapping, MappingError
from imports.models import ColumnMapping
from imports.parsing import ValueMap, normalise, text_of
from imports.tables import Table

FALLBACK = "fallback:"
BLANK = "__blank__"
MAX_VALUES_SHOWN = 100
SAMPLES = 3


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with one project per row under a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    start_from = forms.ModelChoiceField(
        label=_("Start from a saved mapping"),
        queryset=ColumnMapping.objects.all(),
        required=False,
        empty_label=_("— Guess the columns from the headers —"),
    )

    def clean_file(self):
        from imports.uploads import checked_content

        upload = self.cleaned_data["file"]
        self.content, self.kind, self.table = checked_content(upload)
        return upload


def column_choices() -> list:
    def group(on: str) -> list[tuple[str, Any]]:
        return [(target.name, target.label) for target in TARGETS if target.on == on]

    fallbacks = [
        (f"{FALLBACK}{name}", _("%(field)s, when its own column is blank") % {"field": BY_NAME[name].label})
        for name in (*RATING_FIELDS, "delivery_confidence")
    ]
    return [
        ("", _("— Ignore this column —")),
        (_("Project"), [*group(PROJECT), *group(EXTRA)]),
        (_("Status report"), group(STATUS)),
        (_("Delivery confidence (assessed)"), group(CONFIDENCE)),
        (_("Fallback column"), fallbacks),
    ]


class ColumnsForm(forms.Form):
    key_column = forms.ChoiceField(
        label=_("Key column"),
        required=False,
        help_text=_("Rows are matched to existing projects on it, so a second import updates them."),
    )
    code_pattern = forms.CharField(
        label=_("Codes for new projects"),
        required=False,
        max_length=40,
        help_text=_(
            "When the file has no code column: a pattern such as PRJ-{n:04} numbers new projects after "
            "the highest code of that pattern (rows are then matched on the name)."
        ),
    )
    money_unit = forms.ChoiceField(
        label=_("Amounts are in"),
        required=False,
        choices=[
            ("", _("The unit each header gives, e.g. (£m); else units")),
            ("unit", _("Units")),
            ("thousand", _("Thousands")),
            ("million", _("Millions")),
            ("billion", _("Billions")),
        ],
    )
    decimal_separator = forms.ChoiceField(
        label=_("Decimal separator"),
        required=False,
        choices=[
            ("", _("Worked out from each value")),
            (".", _("Point: 1,234.50")),
            (",", _("Comma: 1 234,50")),
        ],
    )
    month_first = forms.BooleanField(
        label=_("Dates are written month first (03/31/2026)"),
        required=False,
        help_text=_(
            "Otherwise day first (31/03/2026, 31.03.2026); ISO dates and Excel dates are always read."
        ),
    )
    status_period = forms.DateField(
        label=_("Status reports are for the week of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Used when no column gives the period; empty: this week. It is also the date of the delivery "
            "confidence assessments the file gives."
        ),
    )
    create = forms.MultipleChoiceField(
        label=_("Create what does not exist yet"),
        required=False,
        choices=[("directorate", _("Directorates")), ("portfolio", _("Portfolios"))],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Otherwise an unknown directorate or portfolio is an error. People are never created."),
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=_("A name to reuse it for the next file (a mapping of that name is replaced)."),
    )

    def __init__(self, *args, table: Table, mapping: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        self.base = dict(mapping)
        columns = {normalise(column): target for column, target in (mapping.get("columns") or {}).items()}
        fallbacks = {
            normalise(column): name
            for name, listed in (mapping.get("fallbacks") or {}).items()
            for column in listed
        }
        self.column_names: list[str] = []
        for index, header in enumerate(table.headers):
            name = f"column_{index}"
            initial = columns.get(normalise(header)) or ""
            if normalise(header) in fallbacks:
                initial = f"{FALLBACK}{fallbacks[normalise(header)]}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=column_choices(),
                required=False,
                initial=initial,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.column_names.append(name)
        self.fields["key_column"].choices = [("", _("The column mapped to the code"))] + [
            (header, header[:80]) for header in table.headers
        ]
        key = mapping.get("key_column")
        self.initial.update(
            {
                "key_column": next((h for h in table.headers if key and normalise(h) == normalise(key)), ""),
                "code_pattern": mapping.get("code_pattern") or "",
                "money_unit": mapping.get("money_unit") or "",
                "decimal_separator": mapping.get("decimal_separator") or "",
                "month_first": "%m/%d/%Y" in (mapping.get("date_formats") or []),
                "status_period": mapping.get("status_period"),
                "create": mapping.get("create") or [],
            }
        )

    def column_rows(self) -> list[dict[str, Any]]:
        """Each source column with its select and a few of its values, for the table of step 2."""
        rows = []
        for index, name in enumerate(self.column_names):
            samples = self.table.samples(index, SAMPLES)
            rows.append({"field": self[name], "header": self.table.headers[index], "samples": samples})
        return rows

    def clean(self) -> dict:
        cleaned = super().clean()
        columns: dict[str, str | None] = {}
        fallbacks: dict[str, list[str]] = {}
        for index, name in enumerate(self.column_names):
            header, choice = self.table.headers[index], cleaned.get(name) or ""
            if choice.startswith(FALLBACK):
                fallbacks.setdefault(choice.removeprefix(FALLBACK), []).append(header)
                columns[header] = None
            else:
                columns[header] = choice or None
        formats = [fmt for fmt in self.base.get("date_formats", []) if fmt != "%m/%d/%Y"]
        definition = {
            **self.base,
            "columns": columns,
            "fallbacks": fallbacks,
            "key_column": cleaned.get("key_column") or None,
            "code_pattern": (cleaned.get("code_pattern") or "").strip() or None,
            "money_unit": cleaned.get("money_unit") or None,
            "decimal_separator": cleaned.get("decimal_separator") or None,
            "date_formats": (["%m/%d/%Y"] if cleaned.get("month_first") else []) + formats,
            "status_period": cleaned["status_period"].isoformat() if cleaned.get("status_period") else None,
            "create": cleaned.get("create") or [],
        }
        try:
            mapping = Mapping.from_dict({k: v for k, v in definition.items() if v not in (None, "", [], {})})
        except MappingError as error:
            for problem in error.problems:
                self.add_error(None, problem)
            return cleaned
        for problem in mapping.problems_with(self.table):
            self.add_error(None, problem)
        self.definition = mapping.to_dict()
        return cleaned


@dataclass
class ValueRow:
    text: str
    count: int
    field: Any  # the BoundField
    pattern: str = ""  # the mapping's pattern that matched the value, if one did


@dataclass
class ValueSection:
    target: Target
    rows: list[ValueRow] = field(default_factory=list)
    more: int = 0  # distinct values not shown
    problem_values_only: bool = False  # amounts, dates: only values that cannot be read are listed


class ValuesForm(forms.Form):
    """For each mapped choice or reference field, each distinct value of the file -> a target; defaults."""

    update_saved = forms.BooleanField(label=_("Also save these values to the saved mapping"), required=False)

    def __init__(
        self, *args, table: Table, mapping: Mapping, targets: dict[str, list], guesses, unreadable, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        self.sections: list[ValueSection] = []
        # (form field, mapped field, value, (pattern, its target) when a pattern of the mapping matches)
        self.entries: list[tuple[str, str, str, tuple[str, Any] | None]] = []
        self.default_names: list[tuple[str, str]] = []
        index = table.column_index()
        for target in mapping.mapped_fields():
            columns = [mapping.column_of(target.name), *mapping.fallbacks.get(target.name, [])]
            counts: dict[str, int] = {}
            for column in columns:
                for text, count in table.distinct(index[normalise(column)]).items():
                    counts[text] = counts.get(text, 0) + count
            listed = list(counts.items())
            if target.kind not in (CHOICE, FOREIGN):
                listed = [(text, count) for text, count in listed if unreadable(target, text)]
                if not listed:
                    continue
            section = ValueSection(target, more=max(0, len(listed) - MAX_VALUES_SHOWN))
            section.problem_values_only = target.kind not in (CHOICE, FOREIGN)
            self._value_rows(section, listed[:MAX_VALUES_SHOWN], targets.get(target.name, []), guesses)
            self.sections.append(section)
        self._defaults(targets)

    def _value_rows(self, section: ValueSection, listed, options, guesses) -> None:
        target = section.target
        value_map = ValueMap(self.mapping.values.get(target.name, {}))
        first = _("— Report it as an error —") if section.problem_values_only else _("— As in the file —")
        choices = [("", first), (BLANK, _("Leave blank")), *options]
        for position, (text, count) in enumerate(listed):
            name = f"value_{target.name}_{position}"
            found, mapped = value_map.lookup(text)
            initial = (BLANK if mapped is None else mapped) if found else (guesses(target, text) or "")
            pattern = None if normalise(text) in value_map.exact else value_map.pattern_for(text)
            row_choices = choices
            if initial not in {value for value, _label in choices}:
                # A target this database does not have (yet): kept, so that saving loses nothing; the
                # import creates it when the mapping allows, or reports it.
                row_choices = [*choices, (initial, _("%(value)s (does not exist yet)") % {"value": initial})]
            self.fields[name] = forms.ChoiceField(
                label=text,
                choices=row_choices,
                required=False,
                initial=initial,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            section.rows.append(ValueRow(text, count, self[name], pattern[0] if pattern else ""))
            self.entries.append((name, target.name, text, pattern))

    def _defaults(self, targets: dict[str, list]) -> None:
        status_mapped = any(target.on == STATUS for target in self.mapping.mapped_fields())
        for target in TARGETS:
            if target.kind not in (CHOICE, FOREIGN) or (target.on == STATUS and target.name != "overall_rag"):
                continue
            if target.on == CONFIDENCE:
                continue  # an assessment is the file's or none: never a default (see imports.mapping)
            if target.on == STATUS and not status_mapped:
                continue
            name = f"default_{target.name}"
            self.fields[name] = forms.ChoiceField(
                label=target.label,
                choices=[("", _("— No default —")), *targets.get(target.name, [])],
                required=False,
                initial=self.mapping.defaults.get(target.name, ""),
            )
            self.default_names.append((name, target.name))
        if status_mapped:
            texts = {
                "percent_complete": _("Unknown (n/a) when neither a column nor this gives it; 0 is a value."),
                "actual_cost": _("Unknown (n/a) when neither a column nor this gives it; 0 is a value."),
                "explanation": _("An amber or red rating needs one (as on the weekly status form)."),
            }
            for field_name, help_text in texts.items():
                name = f"default_{field_name}"
                self.fields[name] = forms.CharField(
                    label=BY_NAME[field_name].label,
                    required=False,
                    max_length=500,
                    initial=self.mapping.defaults.get(field_name, ""),
                    help_text=help_text,
                )
                self.default_names.append((name, field_name))

    def default_fields(self) -> list:
        return [self[name] for name, _field in self.default_names]

    def definition(self) -> dict:
        """The mapping with this form's values and defaults; what a pattern already gives is not repeated."""
        values = {name: dict(entries) for name, entries in self.mapping.values.items()}
        for form_field, target_name, text, pattern in self.entries:
            choice = self.cleaned_data.get(form_field) or ""
            entries = values.setdefault(target_name, {})
            for source in [s for s in entries if "*" not in s and normalise(s) == normalise(text)]:
                del entries[source]
            # "As in the file" is the value itself: written out only to override a pattern that matches.
            mapped = None if choice == BLANK else (choice or text)
            if pattern is not None:
                if pattern[1] != mapped:
                    entries[text] = mapped
            elif choice:
                entries[text] = mapped
        defaults = dict(self.mapping.defaults)
        for form_field, target_name in self.default_names:
            value = text_of(self.cleaned_data.get(form_field))
            if value:
                defaults[target_name] = value
            else:
                defaults.pop(target_name, None)
        definition = self.mapping.to_dict()
        definition["values"] = {name: entries for name, entries in values.items() if entries}
        definition["defaults"] = defaults
        return Mapping.from_dict(definition).to_dict()
