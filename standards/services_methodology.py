"""What the methodology pages read, and the one write that spans apps: giving a project its methodology.

Reads take a fixed number of queries whatever the number of methodologies, phases, criteria or bands
(the pages pin their counts). The project's methodology is the standards app's row, with its history; the
project's approach (portfolio.Project.methodology) follows it, saved through the project's audited save
with its version bumped, as the other services that change a project do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_noop

from governance.extensions import gate_check
from governance.models import GateCriterion
from pmo import audit
from portfolio.models import Phase, Project
from standards.models import DeliverableRequirement, Methodology, ProjectMethodology, Tolerance
from standards.selectors import forget, methodology_of


def methodology_listing():
    """Every methodology with what it holds: required deliverables, own gate criteria, tolerance bands and
    the projects the PMO assigned to it. One query."""
    criteria = (
        GateCriterion.objects.filter(
            scope=Concat(Value("methodology:"), OuterRef("code"), output_field=CharField()), is_active=True
        )
        .order_by()
        .values("scope")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Methodology.objects.annotate(
        requirement_count=Count("requirements", distinct=True),
        tolerance_count=Count("tolerances", distinct=True),
        assigned_count=Count("assignments", distinct=True),
        criterion_count=Coalesce(Subquery(criteria, output_field=IntegerField()), 0),
    ).order_by("approach", "-is_default", "name")


@dataclass
class PhaseStandard:
    """What the methodology asks of one phase: its gate's criteria (every project's and its own) and the
    deliverables it requires."""

    phase: Phase
    criteria: list[GateCriterion] = field(default_factory=list)
    requirements: list[DeliverableRequirement] = field(default_factory=list)


def phases_of(methodology: Methodology) -> list[PhaseStandard]:
    """The PMO's phases in order, each with the gate criteria that apply to a project following the
    methodology and the deliverables it requires there. Three queries."""
    by_phase = {phase.pk: PhaseStandard(phase) for phase in Phase.objects.all()}
    for criterion in GateCriterion.objects.filter(scope__in=["", methodology.scope_key]).order_by(
        "order", "pk"
    ):
        criterion.check_rule = gate_check(criterion.automatic_check) if criterion.automatic_check else None
        by_phase[criterion.phase_id].criteria.append(criterion)
    for requirement in DeliverableRequirement.objects.filter(methodology=methodology).select_related(
        "deliverable_type"
    ):
        by_phase[requirement.phase_id].requirements.append(requirement)
    return list(by_phase.values())


def tolerances_for(methodology: Methodology) -> list[Tolerance]:
    """Its bands, smallest minimum first (the blank minimum, every size, before all)."""
    bands = list(methodology.tolerances.all())
    return sorted(bands, key=lambda t: (t.min_budget is not None, t.min_budget or 0))


@dataclass(frozen=True)
class MethodologyChange:
    """One line of a project's methodology history: who, when, from what (None: the default of its
    approach, before the PMO chose one), to what, why."""

    by: object
    at: object
    before: Methodology | None
    after: Methodology | None
    reason: str


def methodology_history(project: Project) -> list[MethodologyChange]:
    """The changes of the project's methodology, latest first. One query."""
    records = list(
        ProjectMethodology.history.filter(project_id=project.pk)
        .select_related("methodology", "changed_by", "history_user")
        .order_by("history_date", "history_id")
    )
    changes, before = [], None
    for record in records:
        after = record.methodology if record.history_type != "-" else None
        by = record.changed_by or record.history_user
        changes.append(MethodologyChange(by, record.history_date, before, after, record.reason))
        before = after
    return changes[::-1]


@transaction.atomic
def project_methodology_set(
    *, project: Project, methodology: Methodology, reason: str, by
) -> ProjectMethodology:
    """The project follows `methodology` from now on, and takes its approach (agile reports its sprints).
    The choice and its reason are kept in the history; the project's version is bumped."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    row = ProjectMethodology.objects.filter(project=locked).first() or ProjectMethodology(project=locked)
    row.methodology, row.reason, row.changed_by = methodology, reason, by
    audit.note(row, by=by, reason=gettext_noop("methodology changed"))
    row.save()
    if locked.methodology != methodology.approach:
        locked.methodology = methodology.approach
    locked.version += 1
    audit.note(locked, by=by, reason=gettext_noop("methodology changed"))
    locked.save(update_fields=["methodology", "version", "updated_at"])
    project.methodology, project.version = locked.methodology, locked.version
    forget(project)
    return row


def followed_and_assigned(project: Project) -> tuple[Methodology | None, Methodology | None]:
    """(the methodology the project follows, the one the PMO chose or None)."""
    assigned = ProjectMethodology.objects.filter(project=project).select_related("methodology").first()
    return (assigned.methodology if assigned else methodology_of(project)), (
        assigned.methodology if assigned else None
    )
