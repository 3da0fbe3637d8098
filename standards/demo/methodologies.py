"""The demo's methodologies: what each phase requires, an extra methodology with its own gate criteria,
a tolerance band for large classic projects, and a few projects the PMO gave a methodology.

The three default methodologies (classic, agile, hybrid), the deliverable types and the +10 % / +4 weeks
tolerance come from standards' data migration; this adds to them, deterministically (phases and types are
found by their order, the projects drawn from the app's own random stream).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from governance.models import GateCheck, GateCriterion
from pmo import audit
from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Phase, Project
from standards.models import (
    DeliverableRequirement,
    DeliverableType,
    Methodology,
    ProjectMethodology,
    Tolerance,
)

EXTRA = "agile-safe"
LARGE_BUDGET = Decimal("20000000")  # the classic band for large projects, in their currency
# (phase index, deliverable type index, required at the gate), indexes in the PMO's order.
REQUIREMENTS = {
    "classic": [(0, 0, True), (0, 1, True), (1, 2, True), (3, 3, True), (5, 4, True)],
    "hybrid": [(0, 0, True), (0, 1, True), (1, 2, True), (3, 3, False), (5, 4, True)],
    "agile": [(0, 0, True), (0, 1, True), (2, 3, False), (5, 4, True)],
    EXTRA: [(0, 0, True), (0, 1, True), (1, 2, False), (2, 3, True), (5, 4, True)],
}
CRITERIA = [  # the SAFe methodology's own: (phase index, French, English)
    (0, "Epic validée par le Lean Portfolio Management", "Epic approved by Lean Portfolio Management"),
    (2, "Démonstration système de l'incrément acceptée", "Program increment system demo accepted"),
]
REASONS = [
    "Train agile constitué avec les équipes métier",
    "Projet à fort enjeu réglementaire : cycle en V exigé par l'audit",
    "Découpage en incréments validé en comité",
    "Alignement sur le cadre SAFe du programme",
]


def has_data() -> bool:
    return Methodology.objects.filter(code=EXTRA).exists() or ProjectMethodology.objects.exists()


def reset() -> None:
    scoped = GateCriterion.objects.filter(scope__startswith="methodology:")
    GateCheck.objects.filter(criterion__in=scoped).delete()
    scoped.delete()
    audit.forget_history(ProjectMethodology)
    ProjectMethodology.objects.all().delete()
    DeliverableRequirement.objects.all().delete()
    Tolerance.objects.filter(methodology__code="classic", min_budget=LARGE_BUDGET).delete()
    Methodology.objects.filter(code=EXTRA).delete()


def seed(ctx: DemoContext) -> None:
    phases = list(Phase.objects.all())
    types = list(DeliverableType.objects.filter(is_active=True))
    if not phases or not types:
        return
    extra = Methodology.objects.create(
        code=EXTRA,
        name="Agile à l'échelle (SAFe)",
        name_en="Scaled agile (SAFe)",
        approach=Project.Methodology.AGILE,
        description=(
            "Pour les programmes organisés en trains agiles : incréments de programme de dix semaines, "
            "démonstration système à chaque incrément."
        ),
    )
    Tolerance.objects.create(
        methodology=extra, cost_percent=Decimal("15"), schedule_days=42, scope_percent=Decimal("20")
    )
    methodologies = {m.code: m for m in Methodology.objects.filter(code__in=REQUIREMENTS)}
    Tolerance.objects.create(
        methodology=methodologies["classic"],
        min_budget=LARGE_BUDGET,
        cost_percent=Decimal("5"),
        schedule_days=14,
        scope_percent=Decimal("5"),
    )
    requirements = [
        DeliverableRequirement(
            methodology=methodologies[code],
            phase=phases[min(phase, len(phases) - 1)],
            deliverable_type=types[min(kind, len(types) - 1)],
            required_at_gate=at_gate,
        )
        for code, rows in REQUIREMENTS.items()
        if code in methodologies
        for phase, kind, at_gate in rows
    ]
    DeliverableRequirement.objects.bulk_create(requirements, ignore_conflicts=True)
    GateCriterion.objects.bulk_create(
        GateCriterion(
            phase=phases[min(phase, len(phases) - 1)],
            text=text,
            text_en=text_en,
            order=90 + index,
            scope=extra.scope_key,
        )
        for index, (phase, text, text_en) in enumerate(CRITERIA)
    )
    _assign(ctx, extra, methodologies)
    ctx.created += [
        (DeliverableRequirement, len(requirements)),
        (ProjectMethodology, ProjectMethodology.objects.count()),
    ]


def _assign(ctx: DemoContext, extra: Methodology, methodologies: dict[str, Methodology]) -> None:
    """A few live projects the PMO gave a methodology: agile ones to SAFe, one hybrid made classic, one
    confidential among them when there is one (its page must stay its people's)."""
    live = [p for p in ctx.projects if p.state in (Project.State.ACTIVE, Project.State.ON_HOLD)]
    agile = [p for p in live if p.methodology == Project.Methodology.AGILE]
    hybrid = [p for p in live if p.methodology == Project.Methodology.HYBRID]
    secret = [p for p in live if p.confidential]
    chosen = ctx.rng.sample(agile, min(2, len(agile))) + ctx.rng.sample(hybrid, min(1, len(hybrid)))
    chosen += [p for p in secret[:1] if p not in chosen]
    pmo = ctx.demo_users.get(Role.PMO)
    rows = []
    for index, project in enumerate(chosen):
        target = methodologies.get("classic") if project.methodology == Project.Methodology.HYBRID else extra
        rows.append(
            ProjectMethodology(
                project=project,
                methodology=target,
                reason=REASONS[index % len(REASONS)],
                changed_by=pmo,
            )
        )
        if project.methodology != target.approach:
            Project.objects.filter(pk=project.pk).update(methodology=target.approach)
            project.methodology = target.approach
    ProjectMethodology.objects.bulk_create(rows)
    for days, row in enumerate(ProjectMethodology.objects.order_by("pk"), start=1):
        ProjectMethodology.objects.filter(pk=row.pk).update(changed_at=ctx.morning - timedelta(days=7 * days))


def seed_history(ctx: DemoContext) -> None:
    ctx.history_records += audit.record_created(
        ProjectMethodology,
        ProjectMethodology.objects.order_by("pk"),
        when=lambda row: row["changed_at"],
        who=lambda row: row["changed_by_id"],
    )
