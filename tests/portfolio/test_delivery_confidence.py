"""Delivery confidence: the PMO's assessment page, the project page's Declared | Signals | Assessed
strip, the project list's column, filters and exports, and the policy's choice of scale."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from portfolio.assurance import confidence_record, disagrees, with_confidence
from portfolio.models import DeliveryConfidence, Project, Rag, StatusPolicy
from portfolio.models.assurance import Confidence, ConfidenceScale
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def url(project: Project) -> str:
    return reverse("portfolio:project_confidence", args=[project.code])


def assess(project, rating, *, days_ago=0, user=None, reason="Revue PMO"):
    return confidence_record(
        project=project,
        rating=rating,
        assessed_on=today() - timedelta(days=days_ago),
        reason=reason,
        user=user,
    )


@pytest.fixture
def client(client):
    """The pages in English, whatever the organisation's default language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def project(world):
    return ProjectFactory(code="PRJ-0500", project_manager=world.pm, directorate=world.it)


# --- The assessment page --------------------------------------------------------------------------


def test_the_pmo_records_a_red_assessment_and_sees_its_follow_up_due(client, world, project):
    client.force_login(world.pmo)
    response = client.post(
        url(project),
        {
            "rating": "red",
            "assessed_on": today().isoformat(),
            "reason": "Fournisseur défaillant",
            "source": "pmo",
        },
        follow=True,
    )

    assessment = DeliveryConfidence.objects.get(project=project)
    due = today() + timedelta(days=settings.CONFIDENCE_FOLLOW_UP_DAYS)
    assert (assessment.rating, assessment.assessed_by, assessment.follow_up_due) == ("red", world.pmo, due)
    html = response.content.decode()
    assert "Follow-up review due" in html
    with translation.override("en"):
        assert f"Follow-up review due {formats.date_format(due, 'SHORT_DATE_FORMAT')}" in html
    assert "Fournisseur défaillant" in html


def test_the_page_lists_assessments_newest_first_and_a_later_one_completes_the_follow_up(
    client, world, project
):
    assess(project, Confidence.AMBER_RED, days_ago=30, user=world.pmo, reason="Périmètre flou")
    assess(project, Confidence.AMBER_GREEN, days_ago=2, user=world.pmo, reason="Plan de reprise validé")
    client.force_login(world.pm)

    html = client.get(url(project)).content.decode()

    assert html.index("Plan de reprise validé") < html.index("Périmètre flou")
    assert "Done" in html  # the Amber/Red's follow-up: a later assessment was recorded
    assert "Follow-up review due" not in html


@pytest.mark.parametrize("reader", ["pm", "executive", "pmo", "admin"])
def test_whoever_sees_the_project_reads_its_assessments(client, world, project, reader):
    assess(project, Confidence.AMBER, user=world.pmo, reason="Recette en retard")
    client.force_login(getattr(world, reader))

    response = client.get(url(project))

    assert response.status_code == 200
    assert "Recette en retard" in response.content.decode()
    assert ("Record an assessment" in response.content.decode()) == (reader in ("pmo", "admin"))


@pytest.mark.parametrize("reader", ["pm", "executive"])
def test_a_reader_may_not_record_an_assessment(client, world, project, reader):
    client.force_login(getattr(world, reader))

    response = client.post(url(project), {"rating": "green", "assessed_on": today().isoformat()})

    assert response.status_code == 403
    assert not DeliveryConfidence.objects.exists()


def test_a_confidential_project_s_assessments_do_not_exist_for_outsiders(client, world):
    secret = ProjectFactory(confidential=True, project_manager=world.pm, directorate=world.it)
    assess(secret, Confidence.RED, user=world.pmo)
    client.force_login(world.other_pm)

    assert client.get(url(secret)).status_code == 404
    assert client.post(url(secret), {"rating": "green"}).status_code == 404


def test_a_level_other_than_green_needs_a_reason_and_nothing_typed_is_lost(client, world, project):
    client.force_login(world.pmo)
    day = (today() - timedelta(days=3)).isoformat()

    response = client.post(
        url(project), {"rating": "amber", "assessed_on": day, "reason": " ", "source": "assurance"}
    )

    assert response.status_code == 200
    assert "a level other than Green needs a reason" in response.content.decode()
    assert response.context["form"]["assessed_on"].value() == day
    assert response.context["form"]["source"].value() == "assurance"
    assert not DeliveryConfidence.objects.exists()
    green = client.post(url(project), {"rating": "green", "assessed_on": day, "source": "pmo"})
    assert green.status_code == 302
    assert DeliveryConfidence.objects.get().follow_up_due is None


def test_an_assessment_cannot_be_dated_in_the_future(client, world, project):
    client.force_login(world.pmo)
    tomorrow = (today() + timedelta(days=1)).isoformat()

    response = client.post(url(project), {"rating": "green", "assessed_on": tomorrow, "source": "pmo"})

    assert "cannot be dated in the future" in response.content.decode()
    assert not DeliveryConfidence.objects.exists()


def test_the_form_offers_the_scale_the_pmo_chose(client, world, project):
    client.force_login(world.pmo)
    five = client.get(url(project)).context["form"]
    assert [value for value, _label in five.fields["rating"].choices] == list(Confidence.values)

    response = client.post(
        reverse("portfolio:status_policy"), {"grace_days": 7, "confidence_scale": ConfidenceScale.RAG3}
    )
    assert response.status_code == 302
    assert StatusPolicy.current().confidence_scale == ConfidenceScale.RAG3

    three = client.get(url(project)).context["form"]
    assert [value for value, _label in three.fields["rating"].choices] == ["green", "amber", "red"]
    refused = client.post(
        url(project),
        {"rating": "amber_green", "assessed_on": today().isoformat(), "reason": "x", "source": "pmo"},
    )
    assert refused.status_code == 200
    assert not DeliveryConfidence.objects.exists()


def test_only_the_pmo_and_administrators_choose_the_scale(client, world):
    client.force_login(world.pm)
    response = client.post(reverse("portfolio:status_policy"), {"grace_days": 7, "confidence_scale": "rag3"})
    assert response.status_code == 403
    assert StatusPolicy.current().confidence_scale == ConfidenceScale.IPA5


# --- The project page's strip ---------------------------------------------------------------------


def test_the_project_page_flags_a_declared_green_assessed_amber_red(client, world, project):
    StatusReportFactory(project=project, rag=Rag.GREEN)
    assess(project, Confidence.AMBER_RED, days_ago=1, user=world.pmo)
    client.force_login(world.pmo)

    response = client.get(project.get_absolute_url())

    strip = response.context["confidence"]
    assert (strip["declared"], strip["assessed"].rating) == ("green", "amber_red")
    html = response.content.decode()
    assert "Disagreement" in html and "Amber/Red" in html
    assert f'href="{url(project)}"' in html and "Assess" in html


def test_no_disagreement_when_they_agree_or_nothing_is_assessed(client, world, project):
    StatusReportFactory(project=project, rag=Rag.AMBER)
    client.force_login(world.pm)
    unassessed = client.get(project.get_absolute_url()).content.decode()
    assess(project, Confidence.AMBER_GREEN, user=world.pmo)
    agreeing = client.get(project.get_absolute_url()).content.decode()

    assert "Disagreement" not in unassessed and "Not assessed" in unassessed
    assert "Disagreement" not in agreeing and "Amber/Green" in agreeing
    assert ">Assess<" not in agreeing.replace(" ", "")  # a project manager reads, does not assess
    assert f'href="{url(project)}"' in agreeing


def test_the_strip_reads_the_assessment_as_at_today_not_a_future_one(client, world, project):
    assess(project, Confidence.GREEN, days_ago=5, user=world.pmo)
    DeliveryConfidence.objects.create(project=project, rating="red", assessed_on=today() + timedelta(days=3))
    client.force_login(world.pmo)

    strip = client.get(project.get_absolute_url()).context["confidence"]

    assert strip["assessed"].rating == "green"


# --- The project list -----------------------------------------------------------------------------


@pytest.fixture
def assessed(world):
    """Projects declared and assessed in every combination worth telling apart."""
    pairs = [
        (Rag.GREEN, Confidence.AMBER_RED),
        (Rag.GREEN, Confidence.GREEN),
        (Rag.AMBER, Confidence.RED),
        (Rag.RED, Confidence.AMBER_GREEN),
        (Rag.AMBER, Confidence.AMBER),
        (Rag.GREEN, None),
    ]
    projects = []
    for declared, rating in pairs:
        project = ProjectFactory(project_manager=world.pm, directorate=world.it)
        StatusReportFactory(project=project, rag=declared)
        if rating:
            assess(project, rating, days_ago=3, user=world.pmo)
        projects.append(project)
    return projects


def listed(client, **query) -> list[str]:
    response = client.get(reverse("portfolio:project_list"), query)
    assert response.status_code == 200
    return [project.code for project in response.context["page"].object_list]


def truth():
    """Each project's confidence and declared RAG as the one function and the status say."""
    rows = with_confidence(Project.objects.select_related("last_report"), on=today())
    return {p.code: (p.confidence, p.last_report.overall_rag if p.last_report else None) for p in rows}


@pytest.mark.parametrize("level", [*Confidence.values, "none"])
def test_the_list_filters_on_the_assessed_confidence(client, world, assessed, level):
    client.force_login(world.pmo)
    expected = sorted(code for code, (rating, _) in truth().items() if (rating or "none") == level)

    assert sorted(listed(client, confidence=level)) == expected


def test_the_list_filters_the_disagreements(client, world, assessed):
    client.force_login(world.pmo)
    expected = sorted(code for code, (rating, declared) in truth().items() if disagrees(declared, rating))

    assert sorted(listed(client, disagreement="1")) == expected
    assert len(expected) == 3  # green/amber-red, amber/red... are flagged; the agreeing ones are not
    assert len(listed(client)) == len(assessed)


def test_the_list_sorts_by_confidence_worst_first_and_shows_the_column(client, world, assessed):
    client.force_login(world.pmo)
    order = listed(client, sort="confidence")
    ratings = [truth()[code][0] for code in order]

    assert ratings == ["red", "amber_red", "amber", "amber_green", "green", None]
    html = client.get(reverse("portfolio:project_list")).content.decode()
    assert "Assessed" in html and "Amber/Red" in html


def test_the_exports_carry_the_confidence_and_its_date(client, world, assessed):
    client.force_login(world.pmo)
    response = client.get(reverse("portfolio:project_list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    level, on = header.index("Delivery confidence"), header.index("Assessed on")
    with translation.override("en"):
        labels = {value: str(label) for value, label in Confidence.choices}

    for row in body:
        rating = truth()[row[0]][0]
        assert row[level] == (str(labels[rating]) if rating else "Not assessed")
        assert row[on] == ((today() - timedelta(days=3)).isoformat() if rating else "")

    workbook = client.get(reverse("portfolio:project_list"), {"export": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.content)).active
    titles = [cell.value for cell in sheet[1]]
    dates = [row[titles.index("Assessed on")].value for row in sheet.iter_rows(min_row=2)]
    assert sum(1 for value in dates if value is not None) == sum(1 for r, _ in truth().values() if r)
    assert all(value is None or value.date() == today() - timedelta(days=3) for value in dates)


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_list_query_count_does_not_grow_with_assessments(client, world, assessed):
    client.force_login(world.member)
    path = reverse("portfolio:project_list") + "?sort=confidence"
    few = queries_for(client, path)
    for project in assessed:
        for days_ago in range(4, 10):
            assess(project, Confidence.AMBER, days_ago=days_ago, user=world.pmo)

    # The same queries as the list without them (tests/portfolio/test_project_list.py): the confidence
    # and its date are two subqueries of the page's one query (portfolio.assurance.with_confidence).
    assert queries_for(client, path) == few == 10


# --- The demo -------------------------------------------------------------------------------------


def demo_assessments() -> list[tuple]:
    return list(
        DeliveryConfidence.objects.order_by("project__code", "assessed_on", "pk").values_list(
            "project__code", "rating", "assessed_on", "reason", "source", "follow_up_due"
        )
    )


def test_the_demo_assesses_a_third_of_the_active_projects_on_every_level():
    from django.core.management import call_command

    from portfolio.assurance import assessed_worse, confidence_as_at, follow_ups_due

    call_command("seed_demo", "--reset", "--projects", "30", "--seed", "7", stdout=io.StringIO())
    first = demo_assessments()
    call_command("seed_demo", "--reset", "--projects", "30", "--seed", "7", stdout=io.StringIO())

    assert demo_assessments() == first  # deterministic
    active = Project.objects.filter(state=Project.State.ACTIVE, last_report__isnull=False)
    latest = confidence_as_at(active.values_list("pk", flat=True), today())
    assert len(latest) == max(1, active.count() // 3)
    assert {row.rating for row in latest.values()} == set(Confidence.values)
    declared = dict(active.values_list("pk", "last_report__overall_rag"))
    assert any(
        declared[pk] == Rag.GREEN and assessed_worse(declared[pk], row.rating) for pk, row in latest.items()
    )
    soon = follow_ups_due(today() + timedelta(days=7)).filter(
        rating=Confidence.RED, follow_up_due__gt=today()
    )
    assert soon.exists()
