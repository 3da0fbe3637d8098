"""A small world of lessons for the lessons tests: the pm's project in Design, another project of the
same directorate with lessons, and a confidential project whose lessons only its own people may read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from benefits.models import Lesson
from portfolio.models import Phase, Project
from tests.factories import ProjectFactory


def lesson(project, *, title="Leçon", phase=None, category=Lesson.Category.PLANNING, by=None, **fields):
    return Lesson.objects.create(
        project=project,
        title=title,
        what_happened=fields.pop("what_happened", "Ce qui s'est passé."),
        recommendation=fields.pop("recommendation", "Ce qu'il faut faire."),
        category=category,
        phase=phase if phase is not None else project.phase,
        directorate=fields.pop("directorate", project.directorate),
        methodology=fields.pop("methodology", project.methodology),
        recorded_by=by,
        **fields,
    )


@pytest.fixture
def lessons_world(world):
    design, build = Phase.objects.get(name_en="Design"), Phase.objects.get(name_en="Build")
    project = ProjectFactory(code="PRJ-0100", project_manager=world.pm, directorate=world.it, phase=design)
    other = ProjectFactory(code="PRJ-0200", project_manager=world.other_pm, directorate=world.it, phase=build)
    secret = ProjectFactory(
        code="PRJ-0666",
        name="Fusion secrète",
        project_manager=world.other_pm,
        directorate=world.finance,
        phase=design,
        confidential=True,
        methodology=Project.Methodology.AGILE,
    )
    return SimpleNamespace(design=design, build=build, project=project, other=other, secret=secret)
