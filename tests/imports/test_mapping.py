"""The mapping format: what it accepts, what it refuses (all at once), and first guesses from headers."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from imports.mapping import KEYS, Mapping, MappingError, guess_columns
from tests.imports.conftest import table_of

GMPP_MAPPING = Path(settings.BASE_DIR) / "docs" / "examples" / "gmpp_2022_mapping.json"


def test_every_mistake_of_a_mapping_is_listed_at_once():
    with pytest.raises(MappingError) as refused:
        Mapping.from_dict(
            {
                "columns": {"A": "code", "B": "code", "C": "colour"},
                "create": ["directorate", "project_manager"],
                "money_unit": "lakh",
                "decimal_separator": ";",
                "status_period": "31/03/2026",
                "header_row": 0,
                "values": {"overall_rag": ["red"]},
                "colour": True,
            }
        )

    problems = refused.value.problems
    assert "Unknown key “colour”." in problems
    assert "columns: “colour” is not a field that can be imported." in problems
    assert any("project_manager" in problem and "cannot be created" in problem for problem in problems)
    assert any(problem.startswith("money_unit:") for problem in problems)
    assert any(problem.startswith("decimal_separator:") for problem in problems)
    assert "status_period: expected a date written 2026-03-31." in problems
    assert "header_row: expected a row number from 1." in problems
    assert any(problem.startswith("values.overall_rag:") for problem in problems)
    assert any("Several columns are mapped to “code”" in problem for problem in problems)


def test_a_mapping_is_a_json_object():
    with pytest.raises(MappingError):
        Mapping.from_dict(["code"])


def test_the_shipped_gmpp_mapping_reads_back_as_it_is_written():
    definition = json.loads(GMPP_MAPPING.read_text(encoding="utf-8"))

    assert Mapping.from_dict(definition).to_dict() == definition


def test_the_key_column_must_be_mapped_to_the_code_or_the_name():
    table = table_of([["Ref", "Title", "Budget"], ["A", "Alpha", "1"]])

    on_budget = Mapping.from_dict({"columns": {"Ref": "code", "Budget": "budget"}, "key_column": "Budget"})
    on_title = Mapping.from_dict({"columns": {"Title": "name", "Budget": "budget"}, "key_column": "title"})
    no_code = Mapping.from_dict({"columns": {"Title": "name"}})

    assert on_budget.problems_with(table) == [
        "The key column “Budget” must be mapped to the code or the name."
    ]
    assert on_title.problems_with(table) == [] and on_title.key_field() == "name"
    assert no_code.problems_with(table)[0].startswith("No column is mapped to the code")


def test_columns_and_fallbacks_are_matched_to_headers_whatever_their_spacing_and_case():
    table = table_of([["GMPP  ID Number", "IPA  rating", "SRO rating"], ["A", "Red", ""]])
    mapping = Mapping.from_dict(
        {
            "columns": {"gmpp id number": "code", "IPA rating": "overall_rag"},
            "fallbacks": {"overall_rag": "sro RATING"},
        }
    )

    assert mapping.problems_with(table) == []


def test_fallbacks_for_a_field_no_column_fills_are_refused():
    table = table_of([["Code", "SRO"], ["A", "Red"]])
    mapping = Mapping.from_dict({"columns": {"Code": "code"}, "fallbacks": {"overall_rag": ["SRO"]}})

    assert mapping.problems_with(table) == [
        "Fallback columns are given for “overall_rag”, but no column is mapped to it."
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Project code", "Title", "RAG", "Start", "End", "Budget £m", "Project manager", "% complete"],
            [
                "code",
                "name",
                "overall_rag",
                "baseline_start",
                "baseline_end",
                "budget",
                "project_manager",
                "percent_complete",
            ],
        ),
        (
            [
                "Code",
                "Nom du projet",
                "Direction",
                "Météo",
                "Date de début",
                "Date de fin",
                "Chef de projet",
                "Coût réel",
            ],
            [
                "code",
                "name",
                "directorate",
                "overall_rag",
                "baseline_start",
                "baseline_end",
                "project_manager",
                "actual_cost",
            ],
        ),
        (["Notes on the schedule, including any deviation from the planned schedule"], [None]),
    ],
)
def test_columns_are_guessed_from_headers_in_english_and_french(headers, expected):
    assert list(guess_columns(headers).values()) == expected


def test_the_import_guide_documents_every_key_of_the_format():
    guide = (Path(settings.BASE_DIR) / "docs" / "imports.md").read_text(encoding="utf-8")

    assert [key for key in KEYS if f"`{key}`" not in guide] == []


def test_the_columns_step_takes_a_code_pattern_for_a_file_without_codes():
    from imports.forms import ColumnsForm

    table = table_of([["Name", "Budget"], ["Alpha", "1 000"]])
    data = {"column_0": "name", "column_1": "budget"}

    without = ColumnsForm(data, table=table, mapping={})
    with_pattern = ColumnsForm({**data, "code_pattern": "PRJ-{n:04}"}, table=table, mapping={})
    broken = ColumnsForm({**data, "code_pattern": "PRJ-{x}"}, table=table, mapping={})

    assert not without.is_valid() and "No column is mapped to the code" in str(without.non_field_errors())
    assert with_pattern.is_valid(), with_pattern.errors
    assert with_pattern.definition["code_pattern"] == "PRJ-{n:04}"
    assert Mapping.from_dict(with_pattern.definition).key_field() == "name"
    assert not broken.is_valid() and "code_pattern" in str(broken.non_field_errors())
