"""How methodologies plug into governance: a gate criterion may apply only to the projects following a
methodology (its scope "methodology:<code>")."""

from __future__ import annotations


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


def register() -> None:
    from governance.extensions import register_criterion_scopes

    register_criterion_scopes("standards.methodology", _scopes, _choices)
