"""The UK Government Major Projects Portfolio (235 real projects) comes in whole through the shipped mapping.

The expectations are computed from the CSV here, with the csv module, not through the importer.
"""

import csv
import json
import re
from collections import Counter
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portfolio.models import Project, StatusReport

SAMPLE = Path(__file__).parent / "data" / "gmpp_2022.csv"
MAPPING = Path(settings.BASE_DIR) / "docs" / "examples" / "gmpp_2022_mapping.json"
# The 2022 file is on the IPA's three-point scale: three to three, nothing merged (a five-point file's
# levels are kept as delivery confidence assessments: test_confidence.py).
RATINGS = {"Green": "green", "Amber": "amber", "Red": "red"}
# What the GMPP publishes instead of a rating, a date or an amount: these are left blank, and counted.
NOT_PUBLISHED = ("Exempt", "Early planning", "The project is not in a position")
POUNDS_MILLIONS = re.compile(r"£([\d,]+(?:\.\d+)?)")

pytestmark = pytest.mark.django_db


def source() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def column(rows, start: str) -> str:
    return next(header for header in rows[0] if header.startswith(start))


def not_published(text: str) -> bool:
    return text.strip().startswith(NOT_PUBLISHED)


def import_sample(*options) -> str:
    out = StringIO()
    call_command(
        "import_portfolio",
        str(SAMPLE),
        "--mapping",
        str(MAPPING),
        "--lang",
        "en",
        *options,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def test_every_project_rating_and_amount_of_the_sample_comes_in_and_nothing_is_silently_zero():
    rows = source()
    ipa, sro = column(rows, "IPA Delivery Confidence"), column(rows, "SRO Delivery Confidence")
    budget = column(rows, "TOTAL Baseline Whole Life Costs (£m)")
    starts, ends = column(rows, "Project - Start Date"), column(rows, "Project - End Date")
    expected = Counter()
    for row in rows:
        text = row[ipa].strip() if row[ipa].strip() and not not_published(row[ipa]) else row[sro].strip()
        assert text in RATINGS or not_published(text) or not text, f"unexpected rating {text!r}"
        expected[RATINGS.get(text)] += 1

    out = import_sample()

    # Every row is a project, with its code.
    assert len(rows) == 235
    assert f"Rows: {len(rows)}; created: {len(rows)}; updated: 0; unchanged: 0; rows with errors: 0" in out
    assert Project.objects.count() == len(rows)
    assert set(Project.objects.values_list("code", flat=True)) == {row["GMPP ID Number"] for row in rows}
    # Every rating maps; a project whose rating is exempt has no status, not a made-up colour.
    imported = Counter(
        project.last_report.overall_rag if project.last_report else None
        for project in Project.objects.select_related("last_report")
    )
    assert imported == expected
    assert expected[None] == 14
    # GMPP rates the whole only, and publishes no completion nor spend to date: nothing is made up.
    statuses = StatusReport.objects.all()
    for name in StatusReport.DIMENSIONS:
        assert set(statuses.values_list(name, flat=True)) == {""}, f"{name} copied from the overall rating"
    assert set(statuses.values_list("percent_complete", "actual_cost")) == {(None, None)}
    mapping = json.loads(MAPPING.read_text(encoding="utf-8"))
    assert not {"percent_complete", "actual_cost"} & set(mapping["defaults"])
    # Every amount is the file's, in pounds; what is not an amount is blank, never 0.
    budgets = dict(Project.objects.values_list("code", "budget"))
    for row in rows:
        text, amount = row[budget].strip(), budgets[row["GMPP ID Number"]]
        pounds = POUNDS_MILLIONS.fullmatch(text)
        if pounds:
            assert amount == Decimal(pounds.group(1).replace(",", "")) * 10**6, row["GMPP ID Number"]
        else:
            assert not text or not_published(text), f"unexpected amount {text!r}"
            assert amount is None, row["GMPP ID Number"]
    assert not Project.objects.filter(budget=0).exists()
    assert set(Project.objects.values_list("currency", flat=True)) == {"GBP"}
    # And each cell left blank is counted in the summary.
    blanked = sum(not_published(row[name]) for row in rows for name in (budget, starts, ends))
    for row in rows:
        blanked += not_published(row[ipa])
        if not row[ipa].strip() or not_published(row[ipa]):
            blanked += not_published(row[sro])
    assert f"values left blank by the mapping: {blanked}." in out


def test_importing_the_sample_again_updates_nothing_and_duplicates_nothing():
    import_sample()
    statuses = StatusReport.objects.count()

    out = import_sample()

    assert "Rows: 235; created: 0; updated: 0; unchanged: 235; rows with errors: 0; errors: 0;" in out
    assert Project.objects.count() == 235
    assert StatusReport.objects.count() == statuses == 235 - 14  # the 14 without a rating


def test_a_dry_run_of_the_sample_saves_nothing():
    out = import_sample("--dry-run")

    assert "Dry run: nothing saved." in out and "created: 235" in out
    assert not Project.objects.exists() and not StatusReport.objects.exists()
