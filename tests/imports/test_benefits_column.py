"""A file's baseline benefits column becomes each project's imported benefit profile (benefits registers
the field: imports does not depend on it): read and scaled as the budget is, in the project's currency,
a draft for the PMO to approve, updated (never duplicated) by a new import, nothing for a blank cell, and
a bad amount is its row's error with nothing imported."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from benefits.benefit_import import IMPORTED_TITLE
from benefits.models import BenefitProfile
from imports.services import CREATE, ERROR, UNCHANGED, UPDATE, import_table
from portfolio.models import Project
from tests.factories import DirectorateFactory, UserFactory
from tests.imports.conftest import mapping_of, table_of
from tests.imports.test_confidence import import_sample, sample

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Name", "Directorate", "Budget (£m)", "End", "Sponsor", "Baseline Benefits (£m)"]
TODAY = date(2026, 3, 4)


def mapping(**extra):
    definition = {
        "columns": {
            "Code": "code",
            "Name": "name",
            "Directorate": "directorate",
            "Budget (£m)": "budget",
            "End": "baseline_end",
            "Sponsor": "sponsor",
            "Baseline Benefits (£m)": "baseline_benefits",
        },
        "defaults": {"state": "active"},
    }
    definition.update(extra)
    return mapping_of(**definition)


def row(code, benefits, *, end="2026-12-31", sponsor="sro"):
    return [code, f"Project {code}", "DSI", "12", end, sponsor, benefits]


def run(*rows, commit=True, header=HEADER, **extra):
    return import_table(
        table=table_of([header, *rows]), mapping=mapping(**extra), author=None, commit=commit, today=TODAY
    )


@pytest.fixture
def world(db):
    return DirectorateFactory(code="DSI"), UserFactory(username="sro")


def profiles():
    return {
        (profile.project.code, profile.target_value, profile.currency)
        for profile in BenefitProfile.objects.select_related("project")
    }


def test_the_gmpp_sample_gives_each_project_with_benefits_a_draft_profile_in_pounds():
    rows, _mapping = sample()
    with_benefits = [
        row["GMPP ID Number"]
        for row in rows
        if row["Total Baseline Benefits (£m)"]
        and not row["Total Baseline Benefits (£m)"].startswith("Exempt")
    ]

    out = import_sample()

    assert f"created: {len(rows)}" in out and "rows with errors: 0" in out
    assert BenefitProfile.objects.count() == len(with_benefits) > 0
    assert set(BenefitProfile.objects.values_list("project__code", flat=True)) == set(with_benefits)
    million = Decimal(1_000_000)
    targets = dict(BenefitProfile.objects.values_list("project__code", "target_value"))
    # "£2,310.5m", "1,950" under a "(£m)" header, "4 120,5" (a French file's) and "612.25": millions.
    assert targets["GMPP-17-001"] == Decimal("2310.5") * million
    assert targets["GMPP-17-002"] == Decimal("1950") * million
    assert targets["GMPP-17-004"] == Decimal("4120.5") * million
    assert targets["GMPP-17-007"] == Decimal("612.25") * million
    # The project's currency, as its budget (the header's "£").
    assert set(BenefitProfile.objects.values_list("currency", flat=True)) == {"GBP"}
    assert set(Project.objects.filter(code__in=with_benefits).values_list("currency", flat=True)) == {"GBP"}
    profile = BenefitProfile.objects.get(project__code="GMPP-17-001")
    with translation.override("fr"):  # the site's language
        title = translation.gettext(IMPORTED_TITLE)
    assert title != IMPORTED_TITLE
    assert (profile.title, profile.kind, profile.measure, profile.state, profile.baseline_value) == (
        title,
        BenefitProfile.Kind.FINANCIAL,
        BenefitProfile.Measure.MANUAL,
        BenefitProfile.State.DRAFT,
        Decimal(0),
    )
    # The sample has no end dates: counted from the day of the import, for a year.
    assert profile.target_date.year == profile.starts_on.year + 1


def test_a_new_project_profile_starts_at_its_baseline_end_and_is_owned_by_its_sponsor(world):
    _it, sro = world

    report = run(row("P-1", "3.5"))

    assert report.committed and report.counts()[CREATE] == 1, report.as_dict()
    profile = BenefitProfile.objects.get()
    assert (profile.target_value, profile.currency) == (Decimal("3500000.00"), "GBP")
    assert (profile.starts_on, profile.target_date, profile.owner) == (
        date(2026, 12, 31),
        date(2027, 12, 31),
        sro,
    )
    assert report.rows[0].changes[-1] == ["baseline_benefits", "", "3,500,000.00", ""]


def test_a_second_import_updates_the_imported_profile_and_never_adds_one(world):
    run(row("P-1", "3.5"), row("P-2", "1"))
    profile = BenefitProfile.objects.get(project__code="P-1")
    profile.state = BenefitProfile.State.APPROVED
    profile.save()

    again = run(row("P-1", "3.5"), row("P-2", "1"))
    assert [result.action for result in again.rows] == [UNCHANGED, UNCHANGED], again.as_dict()

    changed = run(row("P-1", "4"), row("P-2", "1"))

    assert [result.action for result in changed.rows] == [UPDATE, UNCHANGED], changed.as_dict()
    assert BenefitProfile.objects.count() == 2
    profile.refresh_from_db()
    # A new target is a change of plan: the approved profile is back to draft for the PMO.
    assert (profile.target_value, profile.state) == (Decimal("4000000.00"), BenefitProfile.State.DRAFT)
    assert changed.rows[0].changes == [["baseline_benefits", "3,500,000.00", "4,000,000.00", ""]]


def test_a_profile_the_project_manager_titled_is_left_alone(world):
    run(row("P-1", "3.5"))
    BenefitProfile.objects.update(title="Savings on licences")

    run(row("P-1", "5"))

    assert profiles() == {("P-1", Decimal("3500000.00"), "GBP"), ("P-1", Decimal("5000000.00"), "GBP")}


def test_a_bad_amount_is_its_rows_error_and_nothing_is_imported(world):
    report = run(row("P-1", "3.5"), row("P-2", "lots"), row("P-3", "-2"))

    assert not report.committed
    assert [result.action for result in report.rows] == [CREATE, ERROR, ERROR]
    errors = [(error.row, error.column, error.value) for error in report.errors]
    assert errors == [(3, "Baseline Benefits (£m)", "lots"), (4, "Baseline Benefits (£m)", "-2")]
    assert not Project.objects.exists() and not BenefitProfile.objects.exists()


def test_an_amount_in_another_currency_than_the_projects_is_refused(world):
    header = [*HEADER[:-1], "Baseline Benefits (€m)"]

    columns = {**mapping().columns}
    columns["Baseline Benefits (€m)"] = columns.pop("Baseline Benefits (£m)")

    report = run(row("P-1", "3.5"), header=header, columns=columns)

    assert not report.committed
    assert [error.message for error in report.errors] == [
        "The amount is in EUR but the project's amounts are in GBP."
    ]
    assert not BenefitProfile.objects.exists()


def test_a_blank_cell_creates_no_profile_and_leaves_the_imported_one(world):
    report = run(row("P-1", ""), row("P-2", "2"))
    assert report.committed and not BenefitProfile.objects.filter(project__code="P-1").exists()

    again = run(row("P-1", ""), row("P-2", ""))

    assert [result.action for result in again.rows] == [UNCHANGED, UNCHANGED]
    assert profiles() == {("P-2", Decimal("2000000.00"), "GBP")}
