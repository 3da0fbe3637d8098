"""The standard a project follows, read in a fixed number of queries whatever the number of projects:
its methodology (chosen, or the default of its approach), the deliverables it requires and the tolerance
that applies. Every page, report, check and API answer about methodologies reads them here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from standards.models import Deliverable, DeliverableRequirement, Methodology, ProjectMethodology, Tolerance

# The project page draws three standards panels and a signal from one project object: what one of them read
# (the methodology, what is due) is kept on that object for the others, so each is read once per request.
# A write that changes them (`forget`) drops what was kept.
_KEPT = "_standards_kept"


def _kept(project) -> dict:
    return project.__dict__.setdefault(_KEPT, {})


def remember_methodology(project, methodology: Methodology | None) -> None:
    _kept(project)["methodology"] = methodology


def forget(project) -> None:
    """After a change to the project's methodology or deliverables: read them again next time."""
    project.__dict__.pop(_KEPT, None)


def methodologies_of(projects: Iterable, *, kept: bool = False) -> dict[int, Methodology | None]:
    """{project id: the methodology it follows}: the one the PMO chose, else the default methodology of
    the project's approach, else None (no standard configured). Two queries; `kept`: what the project page's
    panels read once (none when it was read already)."""
    projects = list(projects)
    if kept and all("methodology" in _kept(p) for p in projects):
        return {p.pk: _kept(p)["methodology"] for p in projects}
    chosen = {
        row.project_id: row.methodology
        for row in ProjectMethodology.objects.filter(project__in=[p.pk for p in projects]).select_related(
            "methodology"
        )
    }
    defaults = {m.approach: m for m in Methodology.objects.filter(is_default=True, is_active=True)}
    found = {p.pk: chosen.get(p.pk) or defaults.get(p.methodology) for p in projects}
    if kept:
        for project in projects:
            remember_methodology(project, found[project.pk])
    return found


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


@dataclass(frozen=True)
class DueDeliverable:
    """A deliverable the project's methodology requires of a phase it has reached, with what the
    project provided (None: nothing yet, "missing")."""

    requirement: DeliverableRequirement
    deliverable: Deliverable | None
    current_phase_id: int | None = None

    @property
    def state(self) -> str:
        return self.deliverable.state if self.deliverable is not None else Deliverable.State.MISSING

    @property
    def is_done(self) -> bool:
        return self.deliverable is not None and self.deliverable.is_done

    @property
    def in_current_phase(self) -> bool:
        return self.requirement.phase_id == self.current_phase_id


def deliverables_due(projects: Iterable, *, kept: bool = False) -> dict[int, list[DueDeliverable]]:
    """{project id: the deliverables due}: what its methodology requires of each phase up to its current
    one (the phases it left and the one it is in, by the PMO's phase order), each with the project's
    deliverable. A project without a phase or a methodology owes nothing. Four queries, any number of
    projects; `kept`: what the project page's panels read once (none when it was read already). The gate
    check, the deliverables page, the compliance score and its KPI all read this."""
    projects = list(projects)
    if kept and all("due" in _kept(p) for p in projects):
        return {p.pk: _kept(p)["due"] for p in projects}
    methodologies = methodologies_of(projects, kept=kept)
    requirements: dict[int, list[DeliverableRequirement]] = {}
    for requirement in DeliverableRequirement.objects.filter(
        methodology__in={m.pk for m in methodologies.values() if m is not None},
        deliverable_type__is_active=True,
    ).select_related("phase", "deliverable_type"):
        requirements.setdefault(requirement.methodology_id, []).append(requirement)
    provided = {
        (d.project_id, d.deliverable_type_id, d.phase_id): d
        for d in Deliverable.objects.filter(project__in=[p.pk for p in projects])
    }
    phase_order = {p.pk: (p.phase.order, p.phase.pk) for p in projects if p.phase_id is not None}
    due: dict[int, list[DueDeliverable]] = {}
    for project in projects:
        methodology = methodologies[project.pk]
        if methodology is None or project.pk not in phase_order:
            due[project.pk] = []
            continue
        rows = []
        for requirement in requirements.get(methodology.pk, []):
            if (requirement.phase.order, requirement.phase.pk) <= phase_order[project.pk]:
                key = (project.pk, requirement.deliverable_type_id, requirement.phase_id)
                rows.append(DueDeliverable(requirement, provided.get(key), project.phase_id))
        due[project.pk] = rows
    if kept:
        for project in projects:
            _kept(project)["due"] = due[project.pk]
    return due
