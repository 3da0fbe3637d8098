from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from risks.models import Issue
from risks.services import issue_create, risk_occurred
from tests.factories import ProjectFactory, UserFactory, make_risk

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def project(world):
    return ProjectFactory(code="PRJ-0200", project_manager=world.pm, directorate=world.it)


def new_issue(project, owner, **fields) -> Issue:
    fields.setdefault("title", "Serveur de recette indisponible")
    return issue_create(issue=Issue(project=project, owner=owner, **fields), by=owner)


def issue_fields(**changes) -> dict:
    fields = {
        "title": "Licence expirée",
        "description": "La licence de l'outil de test a expiré.",
        "severity": "high",
        "owner": "",
        "state": "open",
        "due_date": (date.today() + timedelta(days=7)).isoformat(),
        "resolution": "",
    }
    fields.update(changes)
    return fields


def test_a_project_manager_records_an_issue_from_the_project(client, world, project):
    client.force_login(world.pm)
    create = reverse("risks:issue_create") + f"?project={project.code}"

    response = client.post(create, issue_fields(owner=world.pm.pk), follow=True, **EN)

    issue = Issue.objects.get()
    assert issue.project == project and issue.reference.startswith("ISS-")
    assert f"Issue {issue.reference} recorded." in response.content.decode()


def test_resolving_an_issue_without_a_resolution_is_refused(client, world, project):
    issue = new_issue(project, world.pm)
    client.force_login(world.pm)
    edit = reverse("risks:issue_edit", args=[issue.reference])

    response = client.post(edit, issue_fields(owner=world.pm.pk, state="resolved", resolution=" "), **EN)

    assert "Say how the issue was resolved: the resolution is required." in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == Issue.State.OPEN and issue.resolved_on is None


def test_resolving_an_issue_with_a_resolution_dates_it(client, world, project):
    issue = new_issue(project, world.pm)
    client.force_login(world.pm)
    edit = reverse("risks:issue_edit", args=[issue.reference])

    client.post(edit, issue_fields(owner=world.pm.pk, state="resolved", resolution="Licence renouvelée"))

    issue.refresh_from_db()
    assert issue.state == Issue.State.RESOLVED and issue.resolved_on == date.today()


def test_an_issue_from_a_risk_links_back_to_it(client, world, project):
    risk = make_risk(project=project, by=world.pm, title="Panne du fournisseur")
    issue = risk_occurred(risk=risk, by=world.pm)
    client.force_login(world.member)

    html = client.get(issue.get_absolute_url(), **EN).content.decode()

    assert risk.get_absolute_url() in html and f"This issue is risk {risk.reference}, which occurred." in html


def test_issue_permissions_follow_the_risks_rules(client, world, project):
    issue = new_issue(project, world.pm)
    secret = new_issue(ProjectFactory(confidential=True, project_manager=world.pm), world.pm)
    edit = reverse("risks:issue_edit", args=[issue.reference])

    client.force_login(world.other_pm)
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert client.get(edit).status_code == 403
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("risks:issue_create") + f"?project={project.code}").status_code == 403

    client.force_login(world.executive)
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert client.get(edit).status_code == 403


def test_the_issue_list_filters_by_state_severity_and_project(client, world, project):
    other = ProjectFactory(directorate=world.finance)
    critical = new_issue(project, world.pm, severity="critical", title="Critique")
    new_issue(project, world.pm, severity="low", title="Mineur")
    new_issue(other, other.project_manager, severity="critical", title="Ailleurs")
    resolved = new_issue(project, world.pm, severity="critical", title="Réglé")
    resolved.state, resolved.resolution = Issue.State.RESOLVED, "Fait"
    resolved.save()
    client.force_login(world.pmo)
    issues = reverse("risks:issue_list")

    found = client.get(issues, {"severity": "critical", "project": project.pk, "state": "open_states"})
    assert [i.pk for i in found.context["page"].object_list] == [critical.pk]
    by_directorate = client.get(issues, {"directorate": world.finance.pk}).context["page"].object_list
    assert [i.title for i in by_directorate] == ["Ailleurs"]
    everything = client.get(issues).context["page"].object_list
    assert [i.title for i in everything][-1] == "Réglé"  # open first, the most severe on top
    assert [i.title for i in client.get(issues, {"sort": "-due"}).context["page"].object_list]


def test_the_issue_list_hides_a_confidential_projects_issues(client, world):
    secret = ProjectFactory(confidential=True, project_manager=world.pm, code="PRJ-0999")
    new_issue(secret, world.pm, title="Secret")
    client.force_login(world.other_pm)
    html = client.get(reverse("risks:issue_list"), **EN).content.decode()
    assert "Secret" not in html and "PRJ-0999" not in html


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("risks:issue_list")).status_code == 200
    return len(captured)


def test_the_issue_list_query_count_does_not_grow_with_issues(client, world, project):
    new_issue(project, world.pm)
    client.force_login(world.pmo)
    few = list_queries(client)
    for n in range(30):
        new_issue(ProjectFactory(), UserFactory(), title=f"Problème {n}", risk=make_risk())

    # session, user, groups (roles); the count and the page of issues with project, directorate,
    # portfolio, owner and risk in one join; the filter form's owners, directorates and projects.
    assert list_queries(client) == few == 8
