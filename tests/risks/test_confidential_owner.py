"""The owner of a risk, an issue or an action about a confidential project they may not open reads
what they own, not which project it is about: every page, export and email shows "Confidential
project" where the project's manager reads its code and name."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance import services as governance
from governance.models import Action
from governance.tasks import send_action_reminders
from risks.models import Issue, Risk
from risks.services import issue_create, risk_close
from risks.tasks import send_review_reminders
from tests.factories import ProjectFactory, make_risk
from tests.spreadsheets import read_csv, read_xlsx

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CODE, NAME = "PRJ-0083", "Projet Fusion"
PLACEHOLDER = "Confidential project"


@pytest.fixture(name="owned")
def owned_about_a_secret(world):
    """`pm`'s confidential project, with an open and a closed risk, an issue and an action that
    `other_pm` owns (and may not open the project: they get 404 on it)."""
    secret = ProjectFactory(
        code=CODE, name=NAME, confidential=True, project_manager=world.pm, directorate=world.it
    )
    risk = make_risk(project=secret, owner=world.other_pm, title="Fuite", by=world.pm)
    closed = make_risk(project=secret, owner=world.other_pm, title="Rumeur", by=world.pm)
    risk_close(risk=closed, by=world.pm, note="Démentie")
    issue = issue_create(
        issue=Issue(project=secret, owner=world.other_pm, title="Panne du coffre"), by=world.pm
    )
    action = governance.action_create(
        title="Bilan", owner=world.other_pm, due_date=date(2030, 1, 1), by=world.pmo, project=secret
    )
    return SimpleNamespace(project=secret, risk=risk, closed=closed, issue=issue, action=action)


def pages(owned) -> dict[str, tuple[str, dict]]:
    """Every page that shows the owner one of these things, by name: (url, query)."""
    risk, closed, issue, action = owned.risk, owned.closed, owned.issue, owned.action
    return {
        "risk page": (reverse("risks:risk_detail", args=[risk.reference]), {}),
        "closed risk page": (reverse("risks:risk_detail", args=[closed.reference]), {}),
        "risk edit page": (reverse("risks:risk_edit", args=[risk.reference]), {}),
        "register": (reverse("risks:register"), {}),
        "register, closed": (reverse("risks:register"), {"state": "closed"}),
        "register, all states": (reverse("risks:register"), {"state": "all"}),
        "heatmap": (reverse("risks:heatmap"), {}),
        "issue list": (reverse("risks:issue_list"), {}),
        "issue page": (reverse("risks:issue_detail", args=[issue.reference]), {}),
        "issue edit page": (reverse("risks:issue_edit", args=[issue.reference]), {}),
        "my actions": (reverse("governance:my_actions"), {}),
        "action page": (reverse("governance:action_detail", args=[action.reference]), {}),
    }


def test_the_owner_reads_their_things_without_the_confidential_projects_code_or_name(client, world, owned):
    client.force_login(world.other_pm)
    assert client.get(reverse("portfolio:project_detail", args=[CODE])).status_code == 404

    for page, (url, query) in pages(owned).items():
        response = client.get(url, query, **EN)
        html = response.content.decode()
        assert response.status_code == 200, page
        assert CODE not in html and NAME not in html, page
        assert PLACEHOLDER in html, page


def test_the_projects_manager_reads_its_code_and_name_on_the_same_pages(client, world, owned):
    client.force_login(world.pm)
    for page, (url, query) in pages(owned).items():
        if page == "my actions":  # the actions are other_pm's
            continue
        html = client.get(url, query, **EN).content.decode()
        assert CODE in html and NAME in html, page


@pytest.mark.parametrize("query", [{}, {"state": "closed"}, {"state": "all"}], ids=["open", "closed", "all"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_register_export_says_confidential_project_to_the_owner(client, world, owned, query, kind):
    client.force_login(world.other_pm)
    response = client.get(reverse("risks:register"), {**query, "export": kind}, **EN)
    sheet = read_csv(response) if kind == "csv" else read_xlsx(response)

    homes = sheet.column("Project or home")
    assert homes and set(homes) == {PLACEHOLDER}
    assert not [row for row in sheet.rows if any(CODE in str(cell) or NAME in str(cell) for cell in row)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_issue_export_says_confidential_project_to_the_owner_and_names_it_to_its_manager(
    client, world, owned, kind
):
    read = read_csv if kind == "csv" else read_xlsx
    client.force_login(world.other_pm)
    assert read(client.get(reverse("risks:issue_list"), {"export": kind}, **EN)).column(
        "Project or home"
    ) == [PLACEHOLDER]

    client.force_login(world.pm)
    homes = read(client.get(reverse("risks:issue_list"), {"export": kind}, **EN)).column("Project or home")
    assert homes == [f"{CODE} {NAME}"]


def test_the_review_reminder_does_not_name_the_confidential_project_to_the_owner(world, owned):
    Risk.objects.filter(pk=owned.risk.pk).update(next_review_on=timezone.localdate() - timedelta(days=2))

    assert send_review_reminders() == 1

    body = mail.outbox[0].body  # in the site's language, French
    assert owned.risk.reference in body and "Projet confidentiel" in body
    assert CODE not in body and NAME not in body


def test_the_action_reminder_does_not_name_the_confidential_project_to_the_owner(world, owned):
    Action.objects.filter(pk=owned.action.pk).update(due_date=timezone.localdate() - timedelta(days=1))

    assert send_action_reminders() == 1

    body = mail.outbox[0].body
    assert owned.action.reference in body and "Projet confidentiel" in body
    assert CODE not in body and NAME not in body
