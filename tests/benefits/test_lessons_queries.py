"""Pinned query counts: the lessons register, the project page's lessons panel and the lessons beside a
gate's checklist read a fixed number of queries, whatever the number of lessons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from benefits.lesson_integration import gate_extra, project_panel
from benefits.models import Lesson
from risks.models import Risk
from tests.benefits import lessons_world as world_of_lessons
from tests.benefits.lessons_world import lesson
from tests.factories import make_risk

pytestmark = pytest.mark.django_db
lessons_world = world_of_lessons.lessons_world  # the fixture


def many(w, n: int) -> None:
    for i in range(n):
        lesson(w.other, title=f"Leçon {i}", phase=w.design, category=list(Lesson.Category)[i % 10])
        lesson(w.project, title=f"Leçon du projet {i}")
        risk = make_risk(project=w.project, title=f"Risque {i}")
        Risk.objects.filter(pk=risk.pk).update(state=Risk.State.OCCURRED)


def fresh(user):
    """The user as a new request knows them: their roles not read yet."""
    return type(user).objects.get(pk=user.pk)


def test_the_register_reads_a_fixed_number_of_queries(
    client, world, lessons_world, django_assert_num_queries
):
    many(lessons_world, 3)
    client.force_login(world.pm)
    url = reverse("benefits:lessons")
    client.get(url, {"q": "leçon", "category": "planning"})  # warm the session and caches
    # session, user, the user's roles, the paginator's count, the filters' phases and directorates, the
    # page's lessons with their projects, phases, directorates and authors
    with django_assert_num_queries(7):
        client.get(url, {"q": "leçon"})
    many(lessons_world, 6)
    with django_assert_num_queries(7):
        response = client.get(url, {"q": "leçon"})
    assert len(response.context["page"].object_list) == 18


def test_the_project_panel_reads_a_fixed_number_of_queries(world, lessons_world, django_assert_num_queries):
    w = lessons_world
    many(w, 2)
    # the lessons, the user's roles, may the user record (editable: one), the risks without a lesson, the
    # closure report
    user = fresh(world.pm)
    with django_assert_num_queries(5):
        panel = project_panel(project=w.project, user=user, today=None)
    assert len(panel["risks"]) == 2
    many(w, 5)
    user = fresh(world.pm)
    with django_assert_num_queries(5):
        panel = project_panel(project=w.project, user=user, today=None)
    assert len(panel["risks"]) == 7 and len(panel["lessons"]) == 7


def test_the_gate_extra_reads_a_fixed_number_of_queries(world, lessons_world, django_assert_num_queries):
    w = lessons_world
    many(w, 2)
    # the phase's common categories, the user's roles (visibility), the similar lessons with their
    # projects, phases and directorates
    user = fresh(world.pm)
    with django_assert_num_queries(3):
        extra = gate_extra(w.project, user=user, phase=w.design)
    many(w, 6)
    user = fresh(world.pm)
    with django_assert_num_queries(3):
        extra = gate_extra(w.project, user=user, phase=w.design)
    assert len(extra["lessons"]) == 5
