"""Recording a lesson: prefilled from a gate review or a risk that closed or occurred, who may record,
edit and delete it, and the project page's panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from benefits.models import Lesson
from governance import services
from risks.models import Risk
from tests.benefits import lessons_world as world_of_lessons
from tests.benefits.lessons_world import lesson
from tests.factories import CommitteeFactory, make_risk

pytestmark = pytest.mark.django_db
lessons_world = world_of_lessons.lessons_world  # the fixture
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
POSTED = {
    "title": "Tester la reprise des données plus tôt",
    "category": Lesson.Category.TECHNICAL,
    "effect": Lesson.Effect.NEGATIVE,
    "what_happened": "La reprise a échoué en recette.",
    "recommendation": "Prévoir une répétition générale.",
    "source": Lesson.Source.GATE,
}


def new_url(project, **query) -> str:
    url = reverse("benefits:lesson_new", args=[project.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_lesson_recorded_from_a_gate_review_is_prefilled_with_the_phase_left_and_linked(
    client, world, lessons_world
):
    project = lessons_world.project
    member = world.member
    review = services.gate_review_request(
        project=project, committee=CommitteeFactory(members=[member]), by=world.pm
    )
    client.force_login(member)  # a member of the committee reviewing the gate, not the project's manager

    form = client.get(new_url(project, review=review.pk), **EN).context["form"]
    assert form.initial["source"] == Lesson.Source.GATE
    assert form.initial["phase"] == lessons_world.design.pk

    response = client.post(new_url(project, review=review.pk), {**POSTED, "phase": lessons_world.design.pk})

    assert response.status_code == 302
    recorded = Lesson.objects.get()
    assert (recorded.gate_review, recorded.phase, recorded.recorded_by) == (
        review,
        lessons_world.design,
        member,
    )
    assert (recorded.directorate, recorded.methodology) == (project.directorate, project.methodology)


def test_a_lesson_from_a_risk_that_occurred_is_prefilled_and_the_risk_leaves_the_panel(
    client, world, lessons_world
):
    project = lessons_world.project
    risk = make_risk(project=project, title="Indisponibilité des experts métier")
    Risk.objects.filter(pk=risk.pk).update(state=Risk.State.OCCURRED)
    client.force_login(world.pm)

    page = client.get(project.get_absolute_url(), **EN).content.decode()
    assert "Indisponibilité des experts métier" in page and new_url(project, risk=risk.pk) in page

    form = client.get(new_url(project, risk=risk.pk), **EN).context["form"]
    assert form.initial["source"] == Lesson.Source.RISK_OCCURRED
    assert form.initial["category"] == Lesson.Category.RISK

    posted = {**POSTED, "source": Lesson.Source.RISK_OCCURRED, "category": Lesson.Category.RISK}
    client.post(new_url(project, risk=risk.pk), posted)

    recorded = Lesson.objects.get()
    assert (recorded.risk, recorded.phase) == (risk, lessons_world.design)  # the project's phase, copied
    page = client.get(project.get_absolute_url(), **EN).content.decode()
    assert new_url(project, risk=risk.pk) not in page
    assert POSTED["title"] in page


def test_a_closed_risk_gives_a_risk_closed_lesson(client, world, lessons_world):
    risk = make_risk(project=lessons_world.project)
    Risk.objects.filter(pk=risk.pk).update(state=Risk.State.CLOSED, closing_note="Levé.")
    client.force_login(world.pmo)

    form = client.get(new_url(lessons_world.project, risk=risk.pk), **EN).context["form"]

    assert form.initial["source"] == Lesson.Source.RISK_CLOSED


def test_a_reader_may_not_record_a_lesson_and_an_outsider_does_not_see_the_project(
    client, world, lessons_world
):
    client.force_login(world.executive)
    assert client.get(new_url(lessons_world.project)).status_code == 403
    client.force_login(world.pm)
    assert client.get(new_url(lessons_world.secret)).status_code == 404
    assert client.post(new_url(lessons_world.secret), POSTED).status_code == 404
    assert not Lesson.objects.exists()


def test_a_review_of_another_project_cannot_prefill_the_lesson(client, world, lessons_world):
    review = services.gate_review_request(
        project=lessons_world.other, committee=CommitteeFactory(), by=world.pmo
    )
    client.force_login(world.pm)

    assert client.get(new_url(lessons_world.project, review=review.pk)).status_code == 404


def test_who_recorded_a_lesson_or_the_pmo_edits_and_deletes_it_others_may_not(client, world, lessons_world):
    recorded = lesson(lessons_world.project, title="Avant", by=world.pm)
    edit = reverse("benefits:lesson_edit", args=[recorded.pk])
    delete = reverse("benefits:lesson_delete", args=[recorded.pk])
    client.force_login(world.executive)
    assert client.get(edit).status_code == 403
    assert client.post(delete).status_code == 403

    client.force_login(world.pm)
    client.post(edit, {**POSTED, "title": "Après"})
    recorded.refresh_from_db()
    assert recorded.title == "Après"

    client.force_login(world.pmo)
    assert client.post(delete).status_code == 302
    assert not Lesson.objects.exists()
