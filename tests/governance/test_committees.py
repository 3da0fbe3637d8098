import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Committee, Membership
from tests.factories import CommitteeFactory, PortfolioFactory, ProjectFactory, UserFactory, planned_meeting

pytestmark = pytest.mark.django_db

LIST = reverse("governance:committee_list")
CREATE = reverse("governance:committee_create")


def detail(committee) -> str:
    return reverse("governance:committee_detail", args=[committee.code])


def edit(committee) -> str:
    return reverse("governance:committee_edit", args=[committee.code])


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.fixture
def copil(world):
    """A steering committee the `member` sits on (voting), run by its secretary `pm`."""
    committee = CommitteeFactory(
        code="copil-crm",
        name="COPIL Refonte CRM",
        secretary=world.pm,
        members=[world.member, (world.executive, Membership.Role.ADVISORY)],
        quorum=1,
    )
    committee.scope_projects.add(ProjectFactory(code="PRJ-0042", name="Refonte CRM", directorate=world.it))
    return committee


# --- Who sees what ---------------------------------------------------------------------------------------


def test_a_member_lists_only_the_committees_they_sit_on(client, world, copil):
    CommitteeFactory(name="Comité d'architecture")
    client.force_login(world.member)

    page = client.get(LIST).content.decode()

    assert "COPIL Refonte CRM" in page
    assert "Comité d&#x27;architecture" not in page


def test_the_pmo_lists_every_committee_with_its_people_and_next_meeting(client, world, copil):
    meeting = planned_meeting(committee=copil, by=world.pmo)
    client.force_login(world.pmo)

    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    row = next(c for c in response.context["committees"] if c.pk == copil.pk)
    assert row.member_count == 2
    assert row.listed_project_count == 1
    assert str(world.pm) in page  # the secretary
    assert reverse("governance:meeting_detail", args=[meeting.pk]) in page
    assert "1 listed project" in page
    assert "New committee" in page


def test_committee_list_query_count_does_not_grow_with_committees(client, world):
    client.force_login(world.member)

    def committees(count):
        for _ in range(count):
            committee = CommitteeFactory(members=[world.member, UserFactory(), UserFactory()])
            committee.scope_projects.add(ProjectFactory())
            planned_meeting(committee=committee)

    committees(2)
    few = queries_for(client, LIST)
    committees(12)

    # 1 session, 2 user, 3 groups (roles), 4 the committees the member may see, with chair, secretary,
    # portfolio and directorate joined and the member count, listed project count and next meeting
    # as subqueries.
    assert queries_for(client, LIST) == few == 4


def test_a_committee_page_shows_mandate_members_with_roles_scope_and_meetings(client, world, copil):
    copil.mandate = "Arbitrer les priorités du programme CRM."
    copil.save()
    meeting = planned_meeting(committee=copil, by=world.pm)
    client.force_login(world.member)

    page = client.get(detail(copil), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Arbitrer les priorités du programme CRM." in page
    assert "Voting member" in page and "Advisory member" in page
    assert "PRJ-0042" in page
    assert meeting.get_absolute_url() in page
    assert "Plan a meeting" not in page  # members read; the secretary and the PMO plan


def test_the_secretary_and_the_pmo_see_plan_a_meeting_only_the_pmo_edits(client, world, copil):
    client.force_login(world.pm)
    page = client.get(detail(copil), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Plan a meeting" in page and edit(copil) not in page

    client.force_login(world.pmo)
    page = client.get(detail(copil), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Plan a meeting" in page and edit(copil) in page


@pytest.mark.parametrize(
    ("who", "method", "url", "status"),
    [
        ("other_pm", "get", "detail", 404),  # outsider
        ("other_pm", "get", "edit", 404),
        ("member", "get", "edit", 403),  # reader trying to write
        ("member", "post", "edit", 403),
        ("pm", "get", "edit", 403),  # the secretary runs meetings, not the committee's setup
        ("member", "get", "create", 403),
        ("executive", "post", "create", 403),
        ("pmo", "get", "edit", 200),
        ("admin", "get", "create", 200),
    ],
)
def test_access_to_committee_pages(client, world, copil, who, method, url, status):
    client.force_login(getattr(world, who))
    path = {"detail": detail(copil), "edit": edit(copil), "create": CREATE}[url]

    assert getattr(client, method)(path).status_code == status


# --- The PMO's sheet -------------------------------------------------------------------------------------


def sheet(world, **overrides) -> dict:
    data = {
        "name": "Comité de portefeuille DSI",
        "code": "cp-dsi",
        "kind": Committee.Kind.PORTFOLIO,
        "mandate": "Arbitrer le portefeuille.",
        "chair": world.executive.pk,
        "secretary": world.pmo.pk,
        "cadence": Committee.Cadence.MONTHLY,
        "quorum": 2,
        "scope_directorate": world.it.pk,
        "is_active": "on",
        "members-TOTAL_FORMS": 3,
        "members-INITIAL_FORMS": 0,
        "members-0-user": world.member.pk,
        "members-0-role": Membership.Role.VOTING,
        "members-1-user": world.pm.pk,
        "members-1-role": Membership.Role.GUEST,
        # An empty line as the browser posts it: its role select keeps its default.
        "members-2-role": Membership.Role.VOTING,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_pmo_creates_a_committee_with_its_members(client, world):
    client.force_login(world.pmo)
    portfolio = PortfolioFactory(directorate=world.it)

    response = client.post(CREATE, sheet(world, scope_portfolio=portfolio.pk))

    committee = Committee.objects.get(code="cp-dsi")
    assert response.status_code == 302 and response.url == detail(committee)
    assert committee.chair == world.executive and committee.scope_portfolio == portfolio
    assert {(m.user, m.role) for m in committee.memberships.all()} == {
        (world.member, Membership.Role.VOTING),
        (world.pm, Membership.Role.GUEST),
    }


def test_the_quorum_cannot_exceed_the_voting_members_and_nothing_is_lost(client, world):
    client.force_login(world.pmo)

    # Voting: the member and the chair; the guest does not count.
    response = client.post(CREATE, sheet(world, quorum=3), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert not Committee.objects.exists()
    page = response.content.decode()
    assert "The quorum (3) cannot exceed the number of voting members (2)." in page
    assert 'value="Comité de portefeuille DSI"' in page


def test_an_inactive_chair_or_secretary_is_refused(client, world):
    client.force_login(world.pmo)
    gone = UserFactory(username="gone", is_active=False)

    response = client.post(CREATE, sheet(world, chair=gone.pk, secretary=gone.pk), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert not Committee.objects.exists()
    assert response.context["form"].errors.keys() == {"chair", "secretary"}


def test_editing_keeps_an_existing_chair_who_left_visible_and_asks_for_another(client, world, copil):
    copil.chair.is_active = False
    copil.chair.save()
    client.force_login(world.pmo)

    form = client.get(edit(copil)).context["form"]

    assert copil.chair in form.fields["chair"].queryset


def test_the_pmo_edits_members_and_removes_one(client, world, copil):
    client.force_login(world.pmo)
    member_line, advisory_line = sorted(copil.memberships.all(), key=lambda m: m.user.username != "member")
    data = sheet(
        world,
        name=copil.name,
        code=copil.code,
        kind=copil.kind,
        chair=copil.chair.pk,
        secretary=world.pm.pk,
        quorum=1,
        scope_directorate="",
        **{
            "members-TOTAL_FORMS": 5,
            "members-INITIAL_FORMS": 2,
            "members-0-id": member_line.pk,
            "members-0-user": world.member.pk,
            "members-0-role": Membership.Role.VOTING,
            "members-1-id": advisory_line.pk,
            "members-1-user": world.executive.pk,
            "members-1-role": Membership.Role.ADVISORY,
            "members-1-DELETE": "on",
            "members-2-user": world.other_pm.pk,
            "members-2-role": Membership.Role.ADVISORY,
            "members-3-role": Membership.Role.VOTING,
            "members-4-role": Membership.Role.VOTING,
        },
    )

    response = client.post(edit(copil), data)

    assert response.status_code == 302
    assert {m.user.username for m in copil.memberships.all()} == {"member", "other_pm"}


def test_a_member_listed_twice_is_refused(client, world):
    client.force_login(world.pmo)

    response = client.post(
        CREATE, sheet(world, **{"members-1-user": world.member.pk, "members-1-role": Membership.Role.VOTING})
    )

    assert response.status_code == 200
    assert not Committee.objects.exists()
