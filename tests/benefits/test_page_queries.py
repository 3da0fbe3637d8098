"""Pinned query counts of the benefits and lessons pages: a project's benefit profiles with their actuals,
adding and editing a profile, recording a lesson (also from a gate review or a risk) and editing one each
read a fixed number of queries, whatever the number of profiles, actuals, lessons or risks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits.models import BenefitProfile, Lesson
from governance import services as governance
from reporting.models import Kpi
from reporting.periods import Frequency
from risks.models import Risk
from tests.benefits import lessons_world as world_of_lessons
from tests.benefits.benefit_helpers import START, make_profile
from tests.benefits.lessons_world import lesson
from tests.factories import CommitteeFactory, UserFactory, make_risk

pytestmark = pytest.mark.django_db
lessons_world = world_of_lessons.lessons_world  # the fixture


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def profiles(project, count: int, *, actuals: int) -> list[BenefitProfile]:
    made = []
    for i in range(count):
        series = [(START + timedelta(days=30 * (n + 1)), 100 * (n + 1)) for n in range(actuals)]
        made.append(make_profile(project, title=f"Gain {i}", owner=project.project_manager, actuals=series))
    return made


def a_kpi(code: str) -> Kpi:
    return Kpi.objects.create(code=code, name=f"Indicateur {code}", name_en=f"Indicator {code}",
                              frequency=Frequency.QUARTERLY)  # fmt: skip


def more_of_everything(w, world, count: int) -> None:
    """Rows the benefits and lessons forms could be tempted to read one by one."""
    profiles(w.project, count, actuals=3)
    for i in range(count):
        a_kpi(f"k{count}-{i}")
        UserFactory(username=f"owner{count}-{i}", roles=[], directorate=world.it)
        lesson(w.project, title=f"Leçon {count}-{i}", by=world.pm)
        make_risk(project=w.project, title=f"Risque {count}-{i}")


def test_the_project_benefits_do_not_grow_with_profiles_and_actuals(
    client, world, lessons_world, django_assert_num_queries
):
    project = lessons_world.project
    measured = a_kpi("saving")
    make_profile(project, title="Mesuré", measure=BenefitProfile.Measure.KPI, kpi=measured)
    profiles(project, 1, actuals=1)
    client.force_login(world.pm)
    url = reverse("benefits:project_benefits", args=[project.code])
    small = queries(client, url)
    profiles(project, 6, actuals=8)
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the user's groups (the roles); the project (its visibility rule in the same
    # query); its profiles with their project, directorate, owner and KPI; the manual profiles' actuals;
    # the KPI-measured profiles' measurements; may the user edit the profiles. Whether the user may record
    # an actual reads the owner and the project's manager already there; the amounts are in the reporting
    # currency: no rate to read.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["rows"]) == 8


def test_a_new_benefit_profile_does_not_grow_with_the_project_rows(
    client, world, lessons_world, django_assert_num_queries
):
    client.force_login(world.pm)
    url = reverse("benefits:benefit_new", args=[lessons_world.project.code])
    more_of_everything(lessons_world, world, 1)
    small = queries(client, url)
    more_of_everything(lessons_world, world, 6)
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups; the project; may the user edit it; the KPIs and the people
    # offered as the measure and the owner (a list each).
    with django_assert_num_queries(7):
        client.get(url)


def test_editing_a_benefit_profile_does_not_grow_with_its_actuals(
    client, world, lessons_world, django_assert_num_queries
):
    client.force_login(world.pm)
    few = profiles(lessons_world.project, 1, actuals=1)[0]
    small = queries(client, reverse("benefits:benefit_edit", args=[few.pk]))
    more_of_everything(lessons_world, world, 6)
    many = profiles(lessons_world.project, 1, actuals=12)[0]
    url = reverse("benefits:benefit_edit", args=[many.pk])
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups; the profile with its project and owner (its visibility rule in
    # the same query); may the user edit the project; the KPIs; the people offered as the owner.
    with django_assert_num_queries(7):
        client.get(url)


@pytest.mark.parametrize("prefill", ["", "review", "risk"])
def test_a_new_lesson_does_not_grow_with_the_project_rows(
    client, world, lessons_world, django_assert_num_queries, prefill
):
    project = lessons_world.project
    review = governance.gate_review_request(project=project, committee=CommitteeFactory(), by=world.pm)
    risk = make_risk(project=project, title="Fournisseur défaillant")
    Risk.objects.filter(pk=risk.pk).update(state=Risk.State.OCCURRED)
    query = {"": "", "review": f"?review={review.pk}", "risk": f"?risk={risk.pk}"}[prefill]
    url = reverse("benefits:lesson_new", args=[project.code]) + query
    client.force_login(world.pm)
    more_of_everything(lessons_world, world, 1)
    small = queries(client, url)
    more_of_everything(lessons_world, world, 6)
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups; the project; may the user record (editable: one query); with
    # ?review= the gate review, the phase it leaves and the phase it enters (for the prefill and the link
    # shown), with ?risk= the risk; the phases and the directorates offered.
    expected = {"": 7, "review": 10, "risk": 8}[prefill]
    with django_assert_num_queries(expected):
        client.get(url)


def test_editing_a_lesson_does_not_grow_with_the_project_rows(
    client, world, lessons_world, django_assert_num_queries
):
    project = lessons_world.project
    risk = make_risk(project=project, title="Fournisseur défaillant")
    edited = lesson(project, title="Leçon reprise", by=world.pm, risk=risk, source=Lesson.Source.RISK_CLOSED)
    url = reverse("benefits:lesson_edit", args=[edited.pk])
    client.force_login(world.pm)
    more_of_everything(lessons_world, world, 1)
    small = queries(client, url)
    more_of_everything(lessons_world, world, 6)
    large = queries(client, url)
    assert len(large) == len(small), large
    # The session, the user, the groups; the lesson with its project, gate review and risk (its visibility
    # rule in the same query; its author may change it: no other query); the phases and the directorates
    # offered.
    with django_assert_num_queries(6):
        client.get(url)
