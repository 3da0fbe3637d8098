"""The quarterly report's lessons section: the lessons of the quarter by category, with their project,
phase and recommendation; none of an earlier quarter, none of a project outside the report's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from benefits.models import Lesson
from reporting.models import Report
from reporting.pdf import kinds
from tests.benefits.lessons_world import lesson
from tests.factories import DirectorateFactory, ProjectFactory
from tests.reporting.test_report_content import _no_charts, portfolio, report_of, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_quarterly_lists_the_lessons_of_the_quarter_by_category(world, portfolio, tmp_path):  # noqa: F811
    first, second = portfolio[0], portfolio[1]
    lesson(first, title="Geler le périmètre", category=Lesson.Category.SCOPE, recommendation="Geler tôt.")
    lesson(second, title="Négocier les pénalités", category=Lesson.Category.SUPPLIERS)
    old = lesson(second, title="Une leçon ancienne")
    Lesson.objects.filter(pk=old.pk).update(recorded_at=timezone.now() - timedelta(days=400))
    elsewhere = ProjectFactory(code="OUT-0001", directorate=DirectorateFactory(code="DX"))
    lesson(elsewhere, title="Hors du périmètre")

    text = text_of(kinds.build(report_of(Report.Kind.QUARTERLY, "en", directorate=world.it)).pdf, tmp_path)

    section = text[text.index("Lessons learned this quarter") : text.index("Appendix")]
    assert section.index("Scope and requirements") < section.index("Suppliers and contracts")
    assert "Geler le périmètre" in section and "Geler tôt." in section and first.code in section
    assert "Négocier les pénalités" in section
    assert "Une leçon ancienne" not in section and "Hors du périmètre" not in section
