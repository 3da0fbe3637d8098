"""The criteria pages, the score form and the scores panel of a request, as the PMO, a portfolio
committee member and a project manager use them."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from demand.models import CriteriaSet, Score
from demand.scoring_access import can_score
from pmo.models import User
from tests.demand.scoring_world import a_request, portfolio_committee, score
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def criteria_post(criteria, **changes):
    """The draft formset's data, one form per criterion, with `changes` {index: {field: value}}."""
    data = {
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for n, c in enumerate(criteria):
        fields = {"id": c.pk, "criteria_set": c.criteria_set_id, "order": c.order, "code": c.code,
                  "name": c.name, "name_en": c.name_en, "weight": c.weight, "scale_max": c.scale_max,
                  "guidance": c.guidance, "guidance_en": c.guidance_en}  # fmt: skip
        if c.inverted:
            fields["inverted"] = "on"
        fields.update(changes.get(str(n), {}))
        data.update({f"criteria-{n}-{key}": value for key, value in fields.items()})
    return data


def test_the_criteria_page_shows_each_weight_as_a_share_of_the_total(client, world):
    client.force_login(world.pmo)
    page = client.get(reverse("demand:criteria")).content.decode()
    assert "Strategic alignment" in page or "Alignement stratégique" in page
    assert "25.0 %" in page or "25,0 %" in page
    assert "v1" in page


def test_the_pmo_publishes_a_new_version_and_the_old_one_stays_readable(client, world):
    client.force_login(world.pmo)
    assert client.post(reverse("demand:criteria_edit"), {"start": "1"}).status_code == 302
    draft = CriteriaSet.objects.draft()
    criteria = list(draft.criteria.all())
    assert len(criteria) == 6  # a copy of the current version
    data = criteria_post(criteria, **{"0": {"weight": 50}, "5": {"DELETE": "on"}})
    assert client.post(reverse("demand:criteria_edit"), data).status_code == 302
    response = client.post(reverse("demand:criteria_publish"), {"note": "Strategy counts double, risk goes"})
    assert response.status_code == 302
    current = CriteriaSet.objects.current()
    assert current.number == 2
    assert current.criteria.values_list("code", "weight").first() == ("strategy", 50)
    assert current.criteria.count() == 5
    assert CriteriaSet.objects.get(number=1).criteria.count() == 6  # a published version is never edited
    page = client.get(reverse("demand:criteria")).content.decode()
    assert "Strategy counts double, risk goes" in page
    old = client.get(reverse("demand:criteria") + "?version=1").content.decode()
    assert "Risk" in old or "Risque" in old


def test_a_weight_below_one_or_a_scale_above_ten_is_refused(client, world):
    client.force_login(world.pmo)
    client.post(reverse("demand:criteria_edit"), {"start": "1"})
    criteria = list(CriteriaSet.objects.draft().criteria.all())
    response = client.post(
        reverse("demand:criteria_edit"),
        criteria_post(criteria, **{"0": {"weight": 0}, "1": {"scale_max": 11}}),
    )
    assert response.status_code == 200
    assert CriteriaSet.objects.draft().criteria.get(code="strategy").weight == 25


def test_only_the_pmo_changes_the_criteria(client, world):
    client.force_login(world.executive)
    assert client.get(reverse("demand:criteria")).status_code == 200
    assert client.get(reverse("demand:criteria_edit")).status_code == 403
    assert client.post(reverse("demand:criteria_publish"), {"note": "x"}).status_code == 403


def test_a_pmo_scores_a_request_and_sees_the_weighted_result(client, world):
    request = a_request(code="DEM-1", directorate=world.it)
    client.force_login(world.pmo)
    criteria = list(CriteriaSet.objects.current().criteria.all())
    data = {f"c{c.pk}": 5 for c in criteria} | {"comment": "Strong case"}
    response = client.post(reverse("demand:request_score", args=["DEM-1"]), data)
    assert response.status_code == 200
    assert "90.0" in response.content.decode() or "90,0" in response.content.decode()  # risk 5 counts against
    saved = Score.objects.get(request=request, scorer=world.pmo)
    assert saved.comment == "Strong case"
    # Scoring again replaces the score.
    data = {f"c{c.pk}": 1 for c in criteria}
    client.post(reverse("demand:request_score", args=["DEM-1"]), data)
    assert Score.objects.filter(request=request).count() == 1
    assert set(Score.objects.get(request=request).values.values_list("value", flat=True)) == {1}


def test_a_form_with_a_criterion_left_out_is_refused(client, world):
    a_request(code="DEM-1", directorate=world.it)
    client.force_login(world.pmo)
    criterion = CriteriaSet.objects.current().criteria.first()
    response = client.post(reverse("demand:request_score", args=["DEM-1"]), {f"c{criterion.pk}": 3})
    assert response.status_code == 400
    assert not Score.objects.exists()


def test_who_may_score(client, world):
    portfolio_committee(members=[world.member])
    assert can_score(world.pmo) and can_score(world.member)
    assert not can_score(world.pm) and not can_score(world.executive)
    a_request(code="DEM-1", directorate=world.it)
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    client.force_login(world.pm)
    assert client.get(reverse("demand:request_score", args=["DEM-1"])).status_code == 403
    assert client.get(reverse("demand:project_score", args=[project.code])).status_code == 403
    client.force_login(world.member)
    assert client.get(reverse("demand:request_score", args=["DEM-1"])).status_code == 200
    assert client.get(reverse("demand:project_score", args=[project.code])).status_code == 200


def test_a_confidential_project_is_not_found_by_a_scorer_who_may_not_see_it(client, world):
    portfolio_committee(members=[world.member])
    secret = ProjectFactory(confidential=True, directorate=world.it)
    client.force_login(world.member)
    assert client.get(reverse("demand:project_score", args=[secret.code])).status_code == 404


def render_panel(request, user):
    template = Template("{% load demand_scores %}{% request_scores project_request %}")
    return template.render(Context({"project_request": request, "user": user}))


def test_the_panel_shows_the_mean_the_spread_and_each_scorer(world):
    request = a_request(code="DEM-1", directorate=world.it)
    score(request, world.pmo, 5, 5, 5, 5, 5, 1)  # 100
    score(request, world.executive, 3, 3, 3, 3, 3, 3)  # 50
    panel = render_panel(request, world.pmo)
    assert ">75.0<" in panel.replace(",", ".")
    assert ">50.0<" in panel.replace(",", ".")  # the spread, and the executive's own score
    assert "alert-warning" in panel  # 50 points apart: worth discussing
    assert str(world.executive) in panel and str(world.pmo) in panel
    assert "Score it" in panel or "Noter" in panel


def test_scores_of_an_older_version_are_shown_with_it_and_kept_out_of_the_mean(client, world):
    request = a_request(code="DEM-1", directorate=world.it)
    score(request, world.pmo, 1, 1, 1, 1, 1, 5)  # 0 on version 1
    client.force_login(world.pmo)
    client.post(reverse("demand:criteria_edit"), {"start": "1"})
    client.post(reverse("demand:criteria_publish"), {"note": "Same criteria, new version"})
    score(request, world.executive, 5, 5, 5, 5, 5, 1)  # 100 on version 2
    panel = render_panel(request, world.pm).replace(",", ".")
    assert 'id="score-mean">100.0' in panel
    assert "v1" in panel and ">0.0<" in panel
    assert "Score it" not in panel and "Noter" not in panel  # a project manager does not score


def test_the_panel_reads_a_fixed_number_of_queries(world, django_assert_num_queries):
    request = a_request(code="DEM-1", directorate=world.it)
    for user in (world.pmo, world.executive, world.pm):
        score(request, user, 4, 4, 4, 4, 4, 2)
    # The current version; the scores with their scorers and versions; their values; the versions'
    # criteria; the reader's roles (read once, then kept on the user); whether they sit on a
    # portfolio committee.
    with django_assert_num_queries(6):
        render_panel(request, world.pm)
    score(request, world.member, 4, 4, 4, 4, 4, 2)
    reader = User.objects.get(pk=world.pm.pk)
    with django_assert_num_queries(6):
        render_panel(request, reader)
