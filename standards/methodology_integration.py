"""How methodologies plug into governance and portfolio: a gate criterion may apply only to the projects
following a methodology (its scope "methodology:<code>"), and the project page shows the standard the
project follows (its methodology and the tolerance that applies)."""

from __future__ import annotations

PANEL = "standards/_project_methodology_panel.html"


def _scopes(project) -> set[str]:
    from standards.selectors import methodology_of

    methodology = methodology_of(project)
    return {methodology.scope_key} if methodology is not None else set()


def _choices() -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    from standards.models import Methodology

    return [
        (m.scope_key, _("Projects following %(methodology)s") % {"methodology": m})
        for m in Methodology.objects.filter(is_active=True)
    ]


def project_panel(*, project, user, today) -> dict:
    """The methodology the project follows and its tolerance band. Two queries: the candidates (the one
    the PMO chose and the default of the project's approach, as standards.selectors.methodologies_of
    reads them), then their bands."""
    from django.db.models import Exists, OuterRef, Q

    from pmo.roles import Role
    from standards.models import Methodology, ProjectMethodology
    from standards.selectors import remember_methodology, tolerance_band

    candidates = list(
        Methodology.objects.filter(
            Q(assignments__project=project.pk)
            | Q(is_default=True, is_active=True, approach=project.methodology)
        )
        .annotate(
            chosen=Exists(ProjectMethodology.objects.filter(project=project.pk, methodology=OuterRef("pk")))
        )
        .prefetch_related("tolerances")
        .distinct()
    )
    methodology = next((m for m in candidates if m.chosen), None) or next(iter(candidates), None)
    remember_methodology(project, methodology)  # for the deliverables and compliance panels after this one
    return {
        "project": project,
        "methodology": methodology,
        "chosen": methodology is not None and methodology.chosen,
        "tolerance": tolerance_band(methodology.tolerances.all(), project.budget) if methodology else None,
        "can_change": user.has_role(Role.PMO, Role.ADMINISTRATOR),
    }


def register() -> None:
    from governance.extensions import register_criterion_scopes
    from portfolio.panels import register_panel

    register_criterion_scopes("standards.methodology", _scopes, _choices)
    register_panel(PANEL, project_panel, order=40)
