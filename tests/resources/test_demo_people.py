"""seed_demo's people by role: a catalogue of roles named in French and English, every directorate's
capacity in every role for 24 months from six months back, the demand of the active and proposed projects
over their dates (some naming the project manager), one directorate's developers over-allocated in the
months to come and a few cells near the limit, a portfolio committee meeting planned to look at it; the
same seed gives the same people."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance.models import Committee, Meeting
from pmo.months import add_months, month_of, months_between
from resources.allocation import allocation
from resources.models import Capacity, Demand, ResourceRole

pytestmark = pytest.mark.django_db


def seed_demo(*args: str) -> None:
    call_command("seed_demo", "--reset", "--projects", "60", *args, stdout=StringIO())


@pytest.fixture
def demo():
    seed_demo()


def test_the_catalogue_names_each_role_in_french_and_english(demo):
    roles = list(ResourceRole.objects.all())
    assert len(roles) >= 8
    names = {(role.name, role.name_en) for role in roles}
    assert ("Chef de projet", "Project manager") in names
    assert ("Développeur", "Developer") in names
    assert all(role.name and role.name_en for role in roles)


def test_every_directorate_has_capacity_in_every_role_for_24_months_from_six_months_back(demo):
    this_month = month_of(timezone.localdate())
    window = months_between(add_months(this_month, -6), add_months(this_month, 17))
    directorates = set(Capacity.objects.values_list("directorate", flat=True))
    roles = ResourceRole.objects.count()
    assert Capacity.objects.count() == len(directorates) * roles * len(window)
    assert set(Capacity.objects.values_list("month", flat=True)) == set(window)
    # Every directorate that owns a demanding project is there.
    assert set(Demand.objects.values_list("project__directorate", flat=True)) <= directorates


def test_demand_is_the_active_and_proposed_projects_over_their_dates(demo):
    assert Demand.objects.exists()
    assert set(Demand.objects.values_list("project__state", flat=True)) <= {"active", "proposed"}
    for line in Demand.objects.select_related("project").order_by("pk")[:500]:
        project = line.project
        assert month_of(project.baseline_start) <= line.month <= project.forecast_end, project.code
        assert 0 < line.fte <= 2
    named = Demand.objects.exclude(person=None).select_related("project")
    assert named.exists()
    assert all(line.person_id == line.project.project_manager_id for line in named)


def test_one_directorate_is_over_allocated_next_month_and_a_few_cells_are_near_the_limit(demo):
    next_month = add_months(month_of(timezone.localdate()), 1)
    months = [add_months(next_month, n) for n in range(3)]
    grid = allocation(months=months)
    over = grid.over_cells()
    assert over
    assert any(cell.month == next_month for cell in over)
    # The hot spot: one directorate, one role, as the committee should see it; the demand behind each
    # red cell is more than its capacity.
    assert len({(cell.directorate_id, cell.role_id) for cell in over}) == 1
    assert all(cell.demand > cell.capacity for cell in over)
    near = [cell for cell in grid.cells.values() if cell.level == "near"]
    assert near
    # And it is a few cells, not the whole grid.
    assert len(over) + len(near) < len(grid.cells) / 10


def test_the_portfolio_committee_has_a_meeting_planned_in_the_coming_weeks(demo):
    today = timezone.localdate()
    planned = Meeting.objects.filter(
        committee__kind=Committee.Kind.PORTFOLIO,
        state=Meeting.State.PLANNED,
        starts_at__date__gte=today,
        starts_at__date__lte=today + timedelta(weeks=6),
    )
    assert planned.exists()


def test_the_same_seed_gives_the_same_people(demo):
    def people():
        return (
            list(
                Demand.objects.order_by("project__code", "role__code", "month").values_list(
                    "project__code", "role__code", "month", "fte", "person__username"
                )
            ),
            list(
                Capacity.objects.order_by("directorate__code", "role__code", "month").values_list(
                    "directorate__code", "role__code", "month", "fte"
                )
            ),
        )

    first = people()
    seed_demo()
    assert people() == first
