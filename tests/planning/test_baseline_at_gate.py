"""The first baseline is taken when the project passes the stage gate into the phase that takes it (Build)."""

import pytest

from governance import services
from governance.models import GateReview
from planning.models import Baseline
from planning.services import baseline_take
from portfolio.models import Phase
from tests.factories import CommitteeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def pass_gate(world, project):
    committee = CommitteeFactory(scope_directorate=world.it)
    review = services.gate_review_request(project=project, committee=committee, by=world.pm)
    services.gate_review_decide(review=review, outcome=GateReview.Outcome.GO, by=world.executive)
    project.refresh_from_db()
    return project


def test_passing_the_gate_into_build_takes_baseline_v1_by_the_decider(world):
    project = ProjectFactory(directorate=world.it, phase=Phase.objects.get(name_en="Design"))

    project = pass_gate(world, project)

    assert project.phase.name_en == "Build"
    assert project.baseline_version == 1
    baseline = Baseline.objects.get(project=project)
    assert (baseline.number, baseline.origin, baseline.taken_by) == (1, Baseline.Origin.GATE, world.executive)
    assert (baseline.end, baseline.budget) == (project.baseline_end, project.budget)


def test_a_project_the_pmo_already_baselined_keeps_its_baseline(world):
    project = ProjectFactory(directorate=world.it, phase=Phase.objects.get(name_en="Design"))
    baseline_take(project=project, by=world.pmo, origin=Baseline.Origin.PMO)

    project = pass_gate(world, project)

    assert project.baseline_version == 1
    assert list(Baseline.objects.filter(project=project).values_list("origin", flat=True)) == ["pmo"]


def test_a_gate_into_another_phase_takes_no_baseline(world):
    project = ProjectFactory(directorate=world.it, phase=Phase.objects.get(name_en="Scoping"))

    project = pass_gate(world, project)

    assert project.phase.name_en == "Design"
    assert project.baseline_version == 0 and not Baseline.objects.filter(project=project).exists()
