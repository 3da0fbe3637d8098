"""Submitting a request, editing it, the PMO's qualification, withdrawing: what the requester and the PMO
see and what is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from demand.models import ProjectRequest
from demand.services import next_code, request_qualify
from tests.demand.intake_world import _in_english, form_data, roles, submit  # noqa: F401
from tests.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_in_english")]


def years() -> list[int]:
    year = timezone.localdate().year
    return [year + offset for offset in range(5)]


def test_a_project_manager_submits_a_request_with_its_cost_and_people(client, world):
    developer, analyst = roles()
    first, second = years()[:2]
    client.force_login(world.pm)
    data = form_data(
        years=years(),
        roles_=[developer, analyst],
        **{f"cost-{first}": "120000", f"cost-{second}": "80000.50", f"people-{developer.pk}_{second}": "4.5"},
    )
    response = client.post(reverse("demand:request_new"), data)

    saved = ProjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("demand:request_detail", kwargs={"code": saved.code})
    assert saved.code == f"DR-{first}-001"
    assert saved.state == ProjectRequest.State.SUBMITTED
    assert saved.requested_by == world.pm and saved.directorate == world.it
    assert {c.year: c.amount for c in saved.costs.all()} == {
        first: Decimal("120000"),
        second: Decimal("80000.50"),
    }
    assert [(n.role, n.year, n.person_months) for n in saved.capacity_needs.all()] == [
        (developer, second, Decimal("4.5"))
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Refonte du portail" in page and "120,000" in page and "200,00" in page  # the total


def test_the_codes_follow_each_other_within_the_year(world):
    year = timezone.localdate().year
    assert submit(world.pm).code == f"DR-{year}-001"
    assert submit(world.pm).code == f"DR-{year}-002"
    assert next_code(year + 1) == f"DR-{year + 1}-001"


def test_a_bad_cell_is_refused_with_its_message_and_every_typed_value_comes_back(client, world):
    developer, analyst = roles()
    first, second = years()[:2]
    client.force_login(world.pm)
    data = form_data(
        years=years(),
        roles_=[developer, analyst],
        **{f"cost-{first}": "-5", f"cost-{second}": "75000", f"people-{analyst.pk}_{first}": "deux"},
    )
    response = client.post(reverse("demand:request_new"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not ProjectRequest.objects.exists()
    assert "Not below 0." in page and "Type a number." in page
    assert 'value="-5"' in page and 'value="75000"' in page and 'value="deux"' in page
    assert 'value="Refonte du portail"' in page


def test_the_desired_end_comes_after_the_start(client, world):
    client.force_login(world.pm)
    data = form_data(years=years(), roles_=list(roles()), desired_end=f"{years()[0]}-01-01")
    response = client.post(reverse("demand:request_new"), data)
    assert "The desired end comes after the desired start." in response.content.decode()
    assert not ProjectRequest.objects.exists()


def test_someone_without_a_directorate_may_not_submit(client, world):
    client.force_login(world.executive)
    assert client.get(reverse("demand:request_new")).status_code == 403


def test_the_strategic_objectives_of_existing_projects_are_suggested(client, world):
    ProjectFactory(directorate=world.it, strategic_objective="Conformité réglementaire")
    client.force_login(world.pm)
    page = client.get(reverse("demand:request_new")).content.decode()
    assert '<datalist id="strategic-objectives"><option value="Conformité réglementaire">' in page


def test_an_edit_from_a_stale_page_answers_409_and_keeps_what_was_typed(client, world):
    project_request = submit(world.pm)
    developer, analyst = roles()
    stale_version = project_request.version
    # The PMO edits it meanwhile.
    client.force_login(world.pmo)
    pmo_data = form_data(
        years=years(), roles_=[developer, analyst], title="Titre du PMO", version=stale_version
    )
    pmo_data["directorate"] = world.it.pk
    edited = client.post(reverse("demand:request_edit", kwargs={"code": project_request.code}), pmo_data)
    assert edited.status_code == 302
    client.force_login(world.pm)
    data = form_data(
        years=years(), roles_=[developer, analyst], title="Mon nouveau titre", version=stale_version
    )
    response = client.post(reverse("demand:request_edit", kwargs={"code": project_request.code}), data)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone saved this request while you were editing it." in page
    assert 'value="Mon nouveau titre"' in page
    project_request.refresh_from_db()
    assert project_request.title == "Titre du PMO"
    # Saving again, on the version the conflict showed, is deliberate and goes through.
    data["version"] = project_request.version
    again = client.post(reverse("demand:request_edit", kwargs={"code": project_request.code}), data)
    assert again.status_code == 302
    project_request.refresh_from_db()
    assert project_request.title == "Mon nouveau titre"


def test_the_pmo_qualifies_a_complete_request(client, world):
    project_request = submit(world.pm)
    client.force_login(world.pmo)
    url = reverse("demand:request_qualify", kwargs={"code": project_request.code})
    response = client.post(url, {"verdict": "complete", "comment": "Dossier clair."})
    assert response.status_code == 302
    project_request.refresh_from_db()
    assert project_request.state == ProjectRequest.State.QUALIFIED
    assert project_request.qualified_by == world.pmo
    client.force_login(world.pm)
    page = client.get(
        reverse("demand:request_detail", kwargs={"code": project_request.code})
    ).content.decode()
    assert "Dossier clair." in page and "Qualified" in page
    # A qualified request is no longer the requester's to change.
    assert (
        client.get(reverse("demand:request_edit", kwargs={"code": project_request.code})).status_code == 403
    )


def test_an_incomplete_request_needs_a_comment_that_the_requester_reads_then_resubmits(client, world):
    project_request = submit(world.pm)
    client.force_login(world.pmo)
    url = reverse("demand:request_qualify", kwargs={"code": project_request.code})
    refused = client.post(url, {"verdict": "incomplete", "comment": "  "})
    assert refused.status_code == 400
    assert "Tell the requester what is missing." in refused.content.decode()
    client.post(url, {"verdict": "incomplete", "comment": "Chiffrez les années 2 et 3."})
    project_request.refresh_from_db()
    assert project_request.state == ProjectRequest.State.INCOMPLETE

    client.force_login(world.pm)
    detail = reverse("demand:request_detail", kwargs={"code": project_request.code})
    assert "Chiffrez les années 2 et 3." in client.get(detail).content.decode()
    edit = reverse("demand:request_edit", kwargs={"code": project_request.code})
    form = client.get(edit).content.decode()
    assert "Save and send back to the PMO" in form
    data = form_data(years=years(), roles_=list(roles()), version=project_request.version)
    assert client.post(edit, data).status_code == 302
    project_request.refresh_from_db()
    assert project_request.state == ProjectRequest.State.SUBMITTED


def test_a_requester_may_not_qualify(client, world):
    project_request = submit(world.pm)
    client.force_login(world.pm)
    url = reverse("demand:request_qualify", kwargs={"code": project_request.code})
    assert client.post(url, {"verdict": "complete"}).status_code == 403


def test_the_requester_withdraws_and_the_request_closes(client, world):
    project_request = submit(world.pm)
    request_qualify(request=project_request, complete=True, comment="", by=world.pmo)
    client.force_login(world.pm)
    url = reverse("demand:request_withdraw", kwargs={"code": project_request.code})
    assert client.post(url).status_code == 302
    project_request.refresh_from_db()
    assert project_request.state == ProjectRequest.State.WITHDRAWN
    # Withdrawn is final.
    assert client.post(url).status_code == 403


def test_a_colleague_of_the_directorate_reads_but_does_not_withdraw(client, world):
    project_request = submit(world.pm)
    colleague = UserFactory(username="colleague", roles=[], directorate=world.it)
    client.force_login(colleague)
    assert (
        client.get(reverse("demand:request_detail", kwargs={"code": project_request.code})).status_code == 200
    )
    url = reverse("demand:request_withdraw", kwargs={"code": project_request.code})
    assert client.post(url).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("pm", 200), ("colleague", 200), ("other_pm", 404), ("member", 404), ("pmo", 200), ("executive", 200)],
)
def test_who_sees_a_request(client, world, who, status):
    project_request = submit(world.pm)
    user = (
        UserFactory(username="colleague", directorate=world.it) if who == "colleague" else getattr(world, who)
    )
    client.force_login(user)
    response = client.get(reverse("demand:request_detail", kwargs={"code": project_request.code}))
    assert response.status_code == status
    listed = client.get(reverse("demand:request_list")).content.decode()
    assert (project_request.code in listed) is (status == 200)
