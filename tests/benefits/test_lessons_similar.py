"""Lessons of similar projects beside a gate's checklist and on the live meeting page, and the register's
search: ranking, visibility (a confidential project's lesson never reaches who may not see it), accents."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.lessons import similar_lessons
from benefits.models import Lesson
from governance import services
from governance.models import AgendaItem
from portfolio.models import Project
from tests.benefits import lessons_world as world_of_lessons
from tests.benefits.lessons_world import lesson
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

pytestmark = pytest.mark.django_db
lessons_world = world_of_lessons.lessons_world  # the fixture
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_same_phase_comes_first_then_the_more_that_match_then_the_newest(world, lessons_world):
    w = lessons_world
    elsewhere = ProjectFactory(
        directorate=world.finance, phase=w.build, methodology=Project.Methodology.AGILE
    )
    unrelated = lesson(elsewhere, title="Sans rapport", category=Lesson.Category.SUPPLIERS)
    directorate_only = lesson(w.other, title="Même direction")  # Build, DSI, classic: two of three
    phase_only = lesson(
        elsewhere, title="Même phase", phase=w.design, category=Lesson.Category.TECHNICAL
    )  # Design, DF, agile: one of three, but the same phase
    phase_and_more = lesson(w.other, title="Même phase et direction", phase=w.design)
    own = lesson(w.project, title="Celle du projet lui-même")

    found = similar_lessons(w.project, phase=w.design, user=world.pmo)

    assert found[:3] == [phase_and_more, phase_only, directorate_only]
    assert own not in found
    assert unrelated not in found  # no phase, directorate, methodology or common category in common


def test_a_lesson_whose_category_is_common_in_the_phase_counts_as_similar(world, lessons_world):
    w = lessons_world
    elsewhere = ProjectFactory(
        directorate=world.finance, phase=w.build, methodology=Project.Methodology.AGILE
    )
    lesson(w.other, phase=w.design, category=Lesson.Category.SCOPE)  # scope is what Design teaches
    same_category = lesson(elsewhere, title="Périmètre flou", category=Lesson.Category.SCOPE)

    assert same_category in similar_lessons(w.project, phase=w.design, user=world.pmo)


def test_a_confidential_projects_lesson_is_never_shown_to_who_may_not_see_it_beside_a_gate(
    client, world, lessons_world
):
    w = lessons_world
    lesson(w.secret, title="Leçon de la fusion", phase=w.design)
    lesson(w.other, title="Leçon publique", phase=w.design)
    client.force_login(world.pm)

    html = client.get(reverse("governance:gate_request", args=[w.project.code]), **EN).content.decode()

    assert "Lessons from similar projects" in html
    assert "Leçon publique" in html
    assert "Leçon de la fusion" not in html and "PRJ-0666" not in html
    client.force_login(world.pmo)
    html = client.get(reverse("governance:gate_request", args=[w.project.code]), **EN).content.decode()
    assert "Leçon de la fusion" in html


def test_the_review_page_offers_to_record_a_lesson_from_it(client, world, lessons_world):
    review = services.gate_review_request(
        project=lessons_world.project, committee=CommitteeFactory(), by=world.pm
    )
    client.force_login(world.pm)

    html = client.get(reverse("governance:gate_detail", args=[review.pk]), **EN).content.decode()

    assert "Record a lesson from this review" in html
    assert f"?review={review.pk}" in html
    client.force_login(world.executive)  # reads the review, records nothing
    html = client.get(reverse("governance:gate_detail", args=[review.pk]), **EN).content.decode()
    assert "Lessons from similar projects" in html and "Record a lesson from this review" not in html


def test_the_live_meeting_shows_the_similar_lessons_under_a_gate_item_as_the_reader_may_see_them(
    client, world, lessons_world
):
    w = lessons_world
    committee = CommitteeFactory(secretary=world.pmo, members=[world.member])
    review = services.gate_review_request(project=w.project, committee=committee, by=world.pm)
    meeting = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now())
    AgendaItem.objects.filter(gate_review=review).update(gate_review=None)
    AgendaItem.objects.create(
        meeting=meeting, order=0, kind=AgendaItem.Kind.STAGE_GATE, title="Portail", project=w.project,
        gate_review=review,
    )  # fmt: skip
    services.meeting_start(meeting=meeting, by=world.pmo)
    lesson(w.secret, title="Leçon de la fusion", phase=w.design)
    lesson(w.other, title="Leçon publique", phase=w.design)
    live = reverse("governance:meeting_live", args=[meeting.pk])

    client.force_login(world.pmo)
    html = client.get(live, **EN).content.decode()
    assert "Lessons from similar projects" in html
    assert "Leçon publique" in html and "Leçon de la fusion" in html

    client.force_login(world.member)
    html = client.get(live, **EN).content.decode()
    assert "Leçon publique" in html
    assert "Leçon de la fusion" not in html and "PRJ-0666" not in html


@pytest.mark.parametrize(
    ("written", "searched"), [("Récette bâclée", "recette"), ("Recette bâclée", "RÉCETTE")]
)
def test_the_register_search_ignores_accents_and_case(client, world, lessons_world, written, searched):
    lesson(lessons_world.other, title=written)
    lesson(lessons_world.other, title="Fournisseur défaillant")
    client.force_login(world.pmo)

    page = client.get(reverse("benefits:lessons"), {"q": searched}, **EN).context["page"]

    assert [found.title for found in page.object_list] == [written]


def test_the_register_lists_only_the_lessons_the_user_may_see_and_filters_them(client, world, lessons_world):
    w = lessons_world
    lesson(w.secret, title="Leçon de la fusion")
    lesson(w.other, title="Leçon de coût", category=Lesson.Category.COST)
    lesson(w.other, title="Leçon de planning")
    client.force_login(world.pm)

    html = client.get(reverse("benefits:lessons"), **EN).content.decode()
    assert "Leçon de coût" in html and "Leçon de planning" in html
    assert "Leçon de la fusion" not in html and "PRJ-0666" not in html

    page = client.get(reverse("benefits:lessons"), {"category": "cost"}, **EN).context["page"]
    assert [found.title for found in page.object_list] == ["Leçon de coût"]
    export = client.get(reverse("benefits:lessons"), {"export": "csv"}, **EN)
    text = export.content.decode("utf-8-sig")
    assert "Leçon de coût" in text and "Leçon de la fusion" not in text


def test_the_register_says_when_nothing_is_recorded(client, world):
    client.force_login(world.pm)

    html = client.get(reverse("benefits:lessons"), **EN).content.decode()

    assert "No lesson has been recorded yet." in html
