"""The change-control pages as their users meet them: a project manager raises a change request, sees what
it changes and where it will go, the PMO decides it within tolerance, the committee's ones wait for a
meeting; the baselines page shows v1..vn and the variance; a reader never sees a confidential consumer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import Baseline, ChangeRequest, PlanPolicy
from planning.services import change_request_create, change_request_submit
from tests.factories import ProjectFactory, make_risk

pytestmark = pytest.mark.django_db


def new_url(project):
    return reverse("planning:change_request_create", args=[project.code])


def form_data(plan, **more):
    data = {"title": "Décaler la recette", "reason": "Retard fournisseur", "scope_change": ""}
    data.update(more)
    return data


def raise_one(plan, by, *, days=7, moves=None, **fields):
    fields.setdefault("title", "Décaler la mise en production")
    return change_request_create(
        project=plan.project,
        by=by,
        reason="Le fournisseur livre en retard.",
        new_end=plan.project.baseline_end + timedelta(days=days),
        moves=moves or [],
        **fields,
    )


def test_the_manager_raises_a_change_request_with_milestone_moves_and_a_new_milestone(client, world, plan):
    client.force_login(world.pm)
    page = client.get(new_url(plan.project))
    assert page.status_code == 200
    assert plan.build.name in page.content.decode()

    new_build = plan.build.baseline_date + timedelta(days=12)
    response = client.post(
        new_url(plan.project),
        form_data(
            plan,
            new_end=(plan.project.baseline_end + timedelta(days=12)).isoformat(),
            **{f"move_{plan.build.pk}": new_build.isoformat()},
            new_name_1="Formation",
            new_date_1=plan.project.baseline_end.isoformat(),
        ),
    )

    request = ChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == request.get_absolute_url()
    lines = {(line.milestone_id, line.name, line.new_date) for line in request.milestone_changes.all()}
    assert lines == {(plan.build.pk, "", new_build), (None, "Formation", plan.project.baseline_end)}
    detail = client.get(request.get_absolute_url()).content.decode()
    assert "Within tolerance: the PMO decides." in detail
    assert "12 days" in detail


def test_the_pages_speak_french(world, plan):
    from django.test import Client

    request = raise_one(plan, world.pm)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(world.pm)

    page = client.get(request.get_absolute_url()).content.decode()

    assert "Dans la tolérance : le PMO décide." in page
    assert "Ce qui change" in page


def test_the_impact_is_written_the_french_way_for_a_french_reader(world, plan):
    from django.test import Client

    request = raise_one(plan, world.pm, new_budget=plan.project.budget * Decimal("1.125"))
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(world.pm)

    page = client.get(request.get_absolute_url()).content.decode()

    assert "(12,5 %)" in page and "12.5" not in page


def test_a_new_milestone_needs_both_its_name_and_its_date(client, world, plan):
    client.force_login(world.pm)
    response = client.post(new_url(plan.project), form_data(plan, new_name_1="Formation"))
    assert response.status_code == 200
    assert "Give the new milestone&#x27;s date." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_raised_from_a_risk_it_shows_and_keeps_the_risk(client, world, plan):
    risk = make_risk(project=plan.project, by=world.pm, title="Fournisseur en retard")
    client.force_login(world.pm)
    assert "Raise a change request" in client.get(risk.get_absolute_url()).content.decode()

    url = f"{new_url(plan.project)}?risk={risk.reference}"
    assert risk.title in client.get(url).content.decode()
    client.post(url, form_data(plan))

    assert ChangeRequest.objects.get().risk == risk


def test_raised_from_an_issue_it_keeps_the_issue_and_ignores_one_of_another_project(client, world, plan):
    from risks.models import Issue
    from risks.services import issue_create

    issue = issue_create(
        issue=Issue(project=plan.project, owner=world.pm, title="Recette bloquée"), by=world.pm
    )
    elsewhere = issue_create(
        issue=Issue(project=ProjectFactory(project_manager=world.pm), owner=world.pm, title="Ailleurs"),
        by=world.pm,
    )
    client.force_login(world.pm)
    assert "Raise a change request" in client.get(issue.get_absolute_url()).content.decode()

    client.post(f"{new_url(plan.project)}?issue={issue.reference}", form_data(plan, title="Un"))
    client.post(f"{new_url(plan.project)}?issue={elsewhere.reference}", form_data(plan, title="Deux"))

    assert ChangeRequest.objects.get(title="Un").issue == issue
    assert ChangeRequest.objects.get(title="Deux").issue is None


def test_another_manager_may_not_raise_one_and_an_outsider_does_not_see_a_confidential_project(
    client, world, plan
):
    client.force_login(world.other_pm)
    assert client.get(new_url(plan.project)).status_code == 403
    assert client.get(new_url(plan.consumer)).status_code == 404


def test_beyond_tolerance_the_page_says_which_committee_and_the_pmo_cannot_decide_it(client, world, plan):
    request = raise_one(plan, world.pm, days=42, new_budget=Decimal("1100000"))
    client.force_login(world.pm)
    assert (
        "Beyond tolerance: proposed to COPIL DSI." in client.get(request.get_absolute_url()).content.decode()
    )
    client.post(reverse("planning:change_request_submit", args=[request.reference]))
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.PROPOSED

    client.force_login(world.pmo)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Decided by COPIL DSI in a meeting." in page
    assert 'value="approved"' not in page
    response = client.post(
        reverse("planning:change_request_decide", args=[request.reference]), {"state": "approved"}
    )
    assert response.status_code == 200
    assert "COPIL DSI decides this change request in a meeting." in response.content.decode()
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.PROPOSED


def test_the_pmo_approves_within_tolerance_and_the_baselines_page_shows_v2(client, world, plan):
    request = raise_one(plan, world.pm, days=7)
    change_request_submit(change_request=request, by=world.pm)
    client.force_login(world.pm)
    assert (
        client.post(
            reverse("planning:change_request_decide", args=[request.reference]), {"state": "approved"}
        ).status_code
        == 403
    )

    client.force_login(world.pmo)
    response = client.post(
        reverse("planning:change_request_decide", args=[request.reference]),
        {"state": "approved", "note": "Accordé"},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.APPROVED
    page = client.get(reverse("planning:baselines", args=[plan.project.code])).content.decode()
    assert "v2" in page and request.reference in page
    assert "v1 → v2" in page
    decided = client.get(request.get_absolute_url()).content.decode()
    assert "As computed when it was decided" in decided and "Accordé" in decided


def test_the_plan_page_panel_shows_the_current_baseline_and_the_open_requests(client, world, plan):
    request = raise_one(plan, world.pm)
    client.force_login(world.pm)

    html = client.get(
        reverse("portfolio:project_plan", args=[plan.project.code]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Baseline v1 of" in html
    assert request.reference in html
    assert "Raise a change request" in html


def test_a_project_without_baseline_refuses_submit_with_a_message_not_an_error(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    request = change_request_create(project=project, by=world.pm, title="Avancer", reason="Test")
    client.force_login(world.pm)

    response = client.post(reverse("planning:change_request_submit", args=[request.reference]), follow=True)

    assert response.status_code == 200
    assert "no baseline yet" in response.content.decode()
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.DRAFT


def test_an_edit_over_someone_elses_save_is_refused(client, world, plan):
    request = raise_one(plan, world.pm)
    client.force_login(world.pm)
    url = reverse("planning:change_request_edit", args=[request.reference])
    stale = request.version
    client.post(url, form_data(plan, title="Premier", version=stale))

    response = client.post(url, form_data(plan, title="Second", version=stale))

    assert response.status_code == 200
    assert "Someone saved this change request after you opened it" in response.content.decode()
    request.refresh_from_db()
    assert request.title == "Premier"


def test_a_withdrawal_needs_its_reason(client, world, plan):
    request = raise_one(plan, world.pm)
    client.force_login(world.pm)
    url = reverse("planning:change_request_withdraw", args=[request.reference])

    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Plus utile"}).status_code == 302
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.WITHDRAWN


def test_a_broken_dependency_on_a_hidden_project_is_a_confidential_project(client, world, plan):
    late = plan.dependency.needed_by + timedelta(days=5)
    request = raise_one(plan, world.pm, moves=[{"milestone": plan.build, "new_date": late}])

    client.force_login(world.pm)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "a confidential project" in page
    assert plan.consumer.code not in page and plan.consumer.name not in page

    client.force_login(world.pmo)
    assert plan.consumer.code in client.get(request.get_absolute_url()).content.decode()


def test_the_list_filters_and_exports_the_same_rows(client, world, plan):
    draft = raise_one(plan, world.pm, title="Brouillon")
    submitted = raise_one(plan, world.pm, title="Soumise")
    change_request_submit(change_request=submitted, by=world.pm)
    client.force_login(world.executive)
    url = reverse("planning:change_request_list")

    page = client.get(url, {"state": "submitted"}).content.decode()
    assert submitted.reference in page and draft.reference not in page
    export = client.get(url, {"state": "submitted", "export": "csv"}).content.decode("utf-8-sig")
    assert submitted.reference in export and draft.reference not in export
    assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_the_pmo_takes_baseline_v1_of_a_project_under_way(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    url = reverse("planning:baseline_take", args=[project.code])
    client.force_login(world.pm)
    assert client.post(url).status_code == 403

    client.force_login(world.pmo)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302

    assert Baseline.objects.get(project=project).origin == Baseline.Origin.PMO
    response = client.post(url)
    assert response.status_code == 200 and "already has a baseline" in response.content.decode()


def test_the_pmo_sets_the_tolerance(client, world):
    url = reverse("planning:policy")
    client.force_login(world.pm)
    assert client.get(url).status_code == 403

    client.force_login(world.pmo)
    client.post(url, {"budget_tolerance_percent": "8", "schedule_tolerance_days": "21"})

    policy = PlanPolicy.current()
    assert (policy.budget_tolerance_percent, policy.schedule_tolerance_days) == (Decimal(8), 21)


def test_the_project_page_lists_its_open_change_requests(client, world, plan):
    request = raise_one(plan, world.pm)
    client.force_login(world.member)
    page = client.get(plan.project.get_absolute_url()).content.decode()
    assert request.reference in page
    assert "Raise a change request" not in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_at_one_and_many_rows(client, world, plan):
    # The session, user and roles; the count; the filter's directorate and project choices; the page of
    # requests with their project, directorate, committee and author.
    client.force_login(world.pmo)
    url = reverse("planning:change_request_list")
    raise_one(plan, world.pm)
    few = queries(client, url)
    for n in range(6):
        raise_one(plan, world.pm, days=n + 1)
    assert queries(client, url) == few == 7


def test_the_detail_costs_the_same_queries_whatever_it_moves(client, world, plan):
    # Session, user, roles; the request with its project, committee, people, risk, issue and decision;
    # its milestone lines; whether the reader edits the project; the impact, once (milestones, moves, the
    # phased budget PV follows, the dependencies on the moved ones); the policy and the deciding
    # committee (where Submit sends it); the history with its users. (The visible consumers are asked
    # only when a dependency breaks.)
    client.force_login(world.pm)
    one = raise_one(plan, world.pm, moves=[{"milestone": plan.build, "new_date": plan.build.baseline_date}])
    moves = [
        {"milestone": m, "new_date": m.baseline_date + timedelta(days=1)}
        for m in (plan.design, plan.build, plan.golive)
    ]
    many = raise_one(plan, world.pm, moves=moves)
    assert queries(client, one.get_absolute_url()) == queries(client, many.get_absolute_url()) == 12
