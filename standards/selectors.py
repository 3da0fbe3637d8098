"""The standard a project follows, read in a fixed number of queries whatever the number of projects:
its methodology (chosen, or the default of its approach), the deliverables it requires and the tolerance
that applies. Every page, report, check and API answer about methodologies reads them here."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from standards.models import DeliverableRequirement, Methodology, ProjectMethodology, Tolerance


def methodologies_of(projects: Iterable) -> dict[int, Methodology | None]:
    """{project id: the methodology it follows}: the one the PMO chose, else the default methodology of
    the project's approach, else None (no standard configured). Two queries."""
    projects = list(projects)
    chosen = {
        row.project_id: row.methodology
        for row in ProjectMethodology.objects.filter(project__in=[p.pk for p in projects]).select_related(
            "methodology"
        )
    }
    defaults = {m.approach: m for m in Methodology.objects.filter(is_default=True, is_active=True)}
    return {p.pk: chosen.get(p.pk) or defaults.get(p.methodology) for p in projects}


def methodology_of(project) -> Methodology | None:
    return methodologies_of([project])[project.pk]


def requirements_of(methodology: Methodology | None, *, phase=None) -> list[DeliverableRequirement]:
    """The deliverables the methodology requires (in `phase` only, when given), in phase order."""
    if methodology is None:
        return []
    requirements = DeliverableRequirement.objects.filter(
        methodology=methodology, deliverable_type__is_active=True
    ).select_related("phase", "deliverable_type")
    if phase is not None:
        requirements = requirements.filter(phase=phase)
    return list(requirements)


def tolerance_band(tolerances: Iterable[Tolerance], budget: Decimal | None) -> Tolerance | None:
    """The band that applies to a project of this budget: the largest minimum the budget reaches (a blank
    minimum fits every budget, an unknown budget fits only it)."""
    fitting = [
        t for t in tolerances if t.min_budget is None or (budget is not None and budget >= t.min_budget)
    ]
    return max(fitting, key=lambda t: (t.min_budget is not None, t.min_budget or 0), default=None)


def tolerances_of(projects: Iterable) -> dict[int, Tolerance | None]:
    """{project id: the tolerance band that applies to it, or None}. Three queries."""
    projects = list(projects)
    methodologies = methodologies_of(projects)
    bands: dict[int, list[Tolerance]] = {}
    for tolerance in Tolerance.objects.filter(
        methodology__in={m.pk for m in methodologies.values() if m is not None}
    ):
        bands.setdefault(tolerance.methodology_id, []).append(tolerance)
    return {
        p.pk: tolerance_band(bands.get(methodologies[p.pk].pk, []), p.budget) if methodologies[p.pk] else None
        for p in projects
    }


def tolerance_of(project) -> Tolerance | None:
    return tolerances_of([project])[project.pk]
