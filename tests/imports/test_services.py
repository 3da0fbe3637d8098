"""The importer: a dry run reports every error, a commit saves all or nothing, a re-import updates."""

from datetime import date
from decimal import Decimal

import pytest

from imports.services import CREATE, ERROR, UNCHANGED, UPDATE, import_table
from pmo.models import Directorate
from portfolio.indicators import project_earned_value
from portfolio.models import Project, StatusReport
from tests.factories import DirectorateFactory, ProjectFactory, UserFactory
from tests.imports.conftest import mapping_of, table_of

HEADER = ["Code", "Name", "Directorate", "RAG", "Budget (k€)", "Start", "End", "Comment"]
PERIOD = date(2026, 3, 4)  # a Wednesday: its reporting period is Monday 2 March


def base_mapping(**extra):
    definition = {
        "columns": {
            "Code": "code",
            "Name": "name",
            "Directorate": "directorate",
            "RAG": "overall_rag",
            "Budget (k€)": "budget",
            "Start": "baseline_start",
            "End": "baseline_end",
            "Comment": "explanation",
        },
        "values": {"overall_rag": {"Amber/Red": "red", "Amber/Green": "amber"}},
        "defaults": {"state": "active", "percent_complete": "0", "actual_cost": "0"},
        "status_period": PERIOD.isoformat(),
    }
    definition.update(extra)
    return mapping_of(**definition)


def row(
    code,
    *,
    name=None,
    directorate="DSI",
    rag="Green",
    budget="1 200,5",
    start="01/02/2026",
    end="31.12.2026",
    comment="On track",
):
    return [code, name or f"Projet {code}", directorate, rag, budget, start, end, comment]


@pytest.fixture
def it(db):
    return DirectorateFactory(code="DSI", name="Direction des Systèmes d'Information")


def test_a_good_file_creates_projects_with_their_status_for_the_period(it):
    author = UserFactory(username="importer")
    table = table_of([HEADER, row("PRJ-1", rag="Amber/Green", comment="Supplier late"), row("PRJ-2")])

    report = import_table(table=table, mapping=base_mapping(), author=author, commit=True)

    assert report.committed and report.counts()[CREATE] == 2
    project = Project.objects.get(code="PRJ-1")
    assert (project.name, project.directorate, project.state) == ("Projet PRJ-1", it, Project.State.ACTIVE)
    assert project.budget == Decimal("1200500.00") and project.currency == "EUR"  # "(k€)" in the header
    assert (project.baseline_start, project.baseline_end) == (date(2026, 2, 1), date(2026, 12, 31))
    status = project.last_report
    assert (status.period, status.overall_rag) == (date(2026, 3, 2), "amber")
    # The file rates the whole only: each dimension is not assessed, not the overall rating copied.
    assert [getattr(status, name) for name in StatusReport.DIMENSIONS] == ["", "", "", ""]
    assert (status.explanation, status.submitted_by, status.revision) == ("Supplier late", author, 1)


def test_a_dry_run_reports_each_error_with_row_column_value_and_message_and_saves_nothing(it):
    table = table_of(
        [
            HEADER,
            row("PRJ-1"),
            row("PRJ-2", budget="n/a"),
            row("PRJ-3", directorate="Direction inconnue"),
            row("PRJ-4", rag="Purple"),
            row("PRJ-5", start="31/02/2026"),
            row("PRJ-6", start="01/06/2026", end="01/01/2026"),
        ]
    )

    report = import_table(table=table, mapping=base_mapping(), commit=False)

    assert not report.committed
    assert [result.action for result in report.rows] == [CREATE, ERROR, ERROR, ERROR, ERROR, ERROR]
    errors = {(error.row, error.column, error.value): error.message for error in report.errors}
    assert errors[(3, "Budget (k€)", "n/a")] == "Not an amount."
    assert "No directorate is called" in errors[(4, "Directorate", "Direction inconnue")]
    assert "Not one of: Green, Amber, Red" in errors[(5, "RAG", "Purple")]
    assert errors[(6, "Start", "31/02/2026")].startswith("Not a date")
    assert "The end date cannot be before the start date." in errors[(7, "End", "01/01/2026")]
    assert Project.objects.count() == 0 and StatusReport.objects.count() == 0


def test_an_error_in_row_50_saves_nothing_not_even_what_earlier_rows_created(it):
    rows = [HEADER] + [row(f"PRJ-{n}", directorate=f"NEW-{n % 3}") for n in range(1, 61)]
    rows[50][4] = "Exempt under Section 43"  # file row 51, the 50th project
    directorates = Directorate.objects.count()

    report = import_table(table=table_of(rows), mapping=base_mapping(create=["directorate"]), commit=True)

    assert not report.committed and report.counts()["error_rows"] == 1
    assert [(error.row, error.column) for error in report.errors] == [(51, "Budget (k€)")]
    assert Project.objects.count() == 0
    assert StatusReport.objects.count() == 0
    assert Directorate.objects.count() == directorates  # the three created on the way are gone too


def test_a_second_import_updates_the_same_projects_and_adds_a_status_revision(it):
    mapping = base_mapping()
    import_table(table=table_of([HEADER, row("PRJ-1"), row("PRJ-2")]), mapping=mapping, commit=True)
    first = Project.objects.get(code="PRJ-1").last_report

    changed = table_of(
        [HEADER, row("PRJ-1", rag="Amber/Red", budget="1 500", comment="Budget cut"), row("PRJ-2")]
    )
    report = import_table(table=changed, mapping=mapping, commit=True)

    assert report.committed
    assert [result.action for result in report.rows] == [UPDATE, UNCHANGED]
    assert Project.objects.count() == 2
    project = Project.objects.get(code="PRJ-1")
    assert project.budget == Decimal("1500000.00")
    assert project.version == 4  # created, its status, the update, the new status: each a version
    reports = list(project.status_reports.filter(period=date(2026, 3, 2)).order_by("revision"))
    assert [(r.revision, r.is_latest, r.overall_rag) for r in reports] == [
        (1, False, "green"),
        (2, True, "red"),
    ]
    assert reports[0].pk == first.pk  # never overwritten
    changes = {change[0]: change[1:3] for change in report.rows[0].changes}
    assert changes["budget"] == ["1,200,500.00", "1,500,000.00"]
    assert changes["overall_rag"] == ["green", "red"]  # labelled in the reader's language when shown


def test_reimporting_the_same_file_changes_nothing(it):
    table = table_of([HEADER, row("PRJ-1"), row("PRJ-2")])
    import_table(table=table, mapping=base_mapping(), commit=True)

    report = import_table(table=table, mapping=base_mapping(), commit=True)

    assert report.counts() | {"rows": 2} == report.counts() and report.counts()[UNCHANGED] == 2
    assert StatusReport.objects.count() == 2


def test_a_key_column_on_the_name_updates_projects_the_file_gives_no_code_for(db):
    project = ProjectFactory(code="PRJ-0042", name="Refonte du portail client", budget=Decimal(100))
    table = table_of([["Projet", "Budget"], ["refonte du portail CLIENT", "2 500 000"], ["Nouveau", "10"]])
    mapping = mapping_of(columns={"Projet": "name", "Budget": "budget"}, key_column="Projet")

    report = import_table(table=table, mapping=mapping, commit=False)

    assert report.rows[0].action == UPDATE and report.rows[0].key == "refonte du portail CLIENT"
    assert report.rows[1].action == ERROR  # no code to create it with, and no directorate
    project.refresh_from_db()
    assert project.budget == Decimal(100)  # a dry run


def test_the_fallback_column_is_read_when_the_first_is_blank_or_mapped_to_blank(it):
    table = table_of(
        [
            ["Code", "Name", "IPA", "SRO"],
            ["A", "Alpha", "Red", "Green"],
            ["B", "Beta", "", "Amber"],
            ["C", "Gamma", "Exempt under Section 43", "Green"],
            ["D", "Delta", "Exempt under Section 24", "Exempt under Section 24"],
        ]
    )
    mapping = mapping_of(
        columns={"Code": "code", "Name": "name", "IPA": "overall_rag", "SRO": None},
        fallbacks={"overall_rag": ["SRO"]},
        values={"overall_rag": {"Exempt*": None}},
        defaults={
            "directorate": "DSI",
            "percent_complete": "0",
            "actual_cost": "0",
            "explanation": "Imported",
        },
    )

    report = import_table(table=table, mapping=mapping, commit=True)

    assert report.committed, report.errors
    ratings = {p.code: p.last_report.overall_rag if p.last_report else None for p in Project.objects.all()}
    assert ratings == {"A": "red", "B": "amber", "C": "green", "D": None}
    assert any("left blank by the value mapping" in note for note in report.rows[3].notes)
    assert any("no status report" in note for note in report.rows[3].notes)


def test_values_are_mapped_to_directorates_by_name_or_code_and_created_only_when_allowed(it):
    table = table_of(
        [["Code", "Name", "Dept"], ["A", "Alpha", "Systèmes"], ["B", "Beta", "DF"], ["C", "Gamma", "dsi"]]
    )
    columns = {"Code": "code", "Name": "name", "Dept": "directorate"}
    values = {"directorate": {"Systèmes": "DSI"}}

    refused = import_table(table=table, mapping=mapping_of(columns=columns, values=values), commit=True)
    assert [error.message for error in refused.errors] == ["No directorate is called “DF”."]
    assert not Project.objects.exists()

    report = import_table(
        table=table, mapping=mapping_of(columns=columns, values=values, create=["directorate"]), commit=True
    )
    assert report.committed
    assert {p.code: p.directorate.code for p in Project.objects.all()} == {"A": "DSI", "B": "DF", "C": "DSI"}
    assert Directorate.objects.get(code="DF").name == "DF"


def test_a_directorate_created_under_a_mapped_code_is_named_after_the_file(db):
    table = table_of(
        [["Code", "Name", "Category"], ["A", "Alpha", "Government Transformation and Service Delivery"]]
    )
    mapping = mapping_of(
        columns={"Code": "code", "Name": "name", "Category": "directorate"},
        values={"directorate": {"Government Transformation and Service Delivery": "GTSD"}},
        create=["directorate"],
    )

    assert import_table(table=table, mapping=mapping, commit=True).committed
    assert Directorate.objects.get(code="GTSD").name == "Government Transformation and Service Delivery"


def test_what_the_forms_refuse_the_import_refuses(world):
    not_a_manager = UserFactory(username="jdoe", first_name="John", last_name="Doe")
    table = table_of(
        [
            ["Code", "Name", "Manager", "RAG", "Done", "Comment"],
            ["A", "Alpha", "John Doe", "Green", "10", ""],
            ["B", "Beta", "pm", "Red", "10", ""],
            ["C", "Gamma", "pm", "Green", "150", ""],
            ["D", "x" * 201, "pm", "Green", "10", ""],
        ]
    )
    mapping = mapping_of(
        columns={
            "Code": "code",
            "Name": "name",
            "Manager": "project_manager",
            "RAG": "overall_rag",
            "Done": "percent_complete",
            "Comment": "explanation",
        },
        defaults={"directorate": "DSI", "actual_cost": "0"},
    )

    report = import_table(table=table, mapping=mapping, commit=False)

    messages = {error.row: (error.column, error.message) for error in report.errors}
    assert messages[2] == ("Manager", f"{not_a_manager} is not a project manager.")
    # The rating needs an explanation: the Comment column, blank on that row, is the cell to fill.
    assert messages[3][0] == "Comment" and "amber or red" in messages[3][1]
    assert messages[4][0] == "Done" and "100" in messages[4][1]
    assert messages[5][0] == "Name" and "200 characters" in messages[5][1]


def test_an_amount_in_another_currency_than_the_projects_is_an_error(it):
    ProjectFactory(code="PRJ-1", directorate=it, currency="MAD")
    table = table_of([["Code", "Budget"], ["PRJ-1", "£2m"]])

    report = import_table(
        table=table, mapping=mapping_of(columns={"Code": "code", "Budget": "budget"}), commit=True
    )

    assert [(e.column, e.value, e.message) for e in report.errors] == [
        ("Budget", "£2m", "The amount is in GBP but the project's amounts are in MAD.")
    ]


def test_a_blank_cell_never_erases_what_a_project_holds(it):
    project = ProjectFactory(code="PRJ-1", directorate=it, budget=Decimal("2500000.00"), name="Alpha")
    table = table_of([["Code", "Name", "Budget"], ["PRJ-1", "Alpha", ""]])

    report = import_table(
        table=table,
        mapping=mapping_of(columns={"Code": "code", "Name": "name", "Budget": "budget"}),
        commit=True,
    )

    assert report.rows[0].action == UNCHANGED
    project.refresh_from_db()
    assert project.budget == Decimal("2500000.00")


def test_a_code_twice_in_the_file_is_an_error_on_its_second_row(it):
    table = table_of([HEADER, row("PRJ-1"), row("PRJ-2"), row("PRJ-1")])

    report = import_table(table=table, mapping=base_mapping(), commit=True)

    assert [(e.row, e.column, e.message) for e in report.errors] == [(4, "Code", "Row 2 has the same key.")]
    assert not Project.objects.exists()


def test_a_row_without_a_code_cannot_be_matched_nor_created(it):
    report = import_table(table=table_of([HEADER, row("")]), mapping=base_mapping(), commit=False)

    assert [(e.row, e.column) for e in report.errors] == [(2, "Code")]


def test_a_mapping_that_names_columns_the_file_lacks_reads_nothing(it):
    table = table_of([["Code", "Name"], ["A", "Alpha"]])

    report = import_table(table=table, mapping=base_mapping(), commit=True)

    assert not report.rows and "The file has no column “Directorate”." in report.problems
    assert not report.ok and not Project.objects.exists()


def test_completion_and_cost_not_given_stay_unknown_and_so_does_earned_value(it):
    mapping = base_mapping(defaults={"state": "active"})

    report = import_table(table=table_of([HEADER, row("PRJ-1")]), mapping=mapping, commit=True)

    assert report.committed
    project = Project.objects.select_related("last_report").get(code="PRJ-1")
    status = project.last_report
    assert (status.percent_complete, status.actual_cost) == (None, None)
    assert project_earned_value(project=project, report=status, milestones=[]) is None


def test_a_start_after_the_projects_end_is_reported_on_the_start_column_the_file_gives(it):
    ProjectFactory(
        code="PRJ-1", directorate=it, baseline_start=date(2026, 1, 1), baseline_end=date(2026, 6, 30)
    )
    table = table_of([["Code", "Start"], ["PRJ-1", "01/09/2026"]])

    report = import_table(
        table=table, mapping=mapping_of(columns={"Code": "code", "Start": "baseline_start"}), commit=True
    )

    assert [(e.row, e.column, e.value) for e in report.errors] == [(2, "Start", "01/09/2026")]
    assert "The end date cannot be before the start date." in report.errors[0].message


def test_a_new_period_rated_overall_only_does_not_repeat_last_periods_dimensions_or_figures(it):
    project = ProjectFactory(code="PRJ-1", directorate=it, budget=Decimal(1000))
    StatusReport.objects.create(
        project=project,
        period=date(2026, 2, 23),
        overall_rag="green",
        schedule_rag="green",
        cost_rag="green",
        scope_rag="green",
        resources_rag="green",
        percent_complete=Decimal(40),
        actual_cost=Decimal(300),
        summary="Weekly status",
    )
    Project.objects.filter(pk=project.pk).update(last_report=StatusReport.objects.get())
    table = table_of([["Code", "RAG"], ["PRJ-1", "Amber/Green"]])
    mapping = mapping_of(
        columns={"Code": "code", "RAG": "overall_rag"},
        values={"overall_rag": {"Amber/Green": "amber"}},
        defaults={"explanation": "From the file"},
        status_period=PERIOD.isoformat(),
    )

    report = import_table(table=table, mapping=mapping, commit=True)

    assert report.committed, report.errors
    status = Project.objects.get(pk=project.pk).last_report
    assert (status.period, status.overall_rag, status.summary) == (date(2026, 3, 2), "amber", "Weekly status")
    assert [getattr(status, name) for name in StatusReport.DIMENSIONS] == ["", "", "", ""]
    assert (status.percent_complete, status.actual_cost) == (None, None)
