"""How the compliance part of standards plugs into the other apps' registries (none depends on it):

- a panel on the project page (portfolio.panels): the score, its components in one line, the link;
- the derived signal "low_compliance" (portfolio.indicators): amber when the score is below the KPI's
  amber threshold (`standards.compliance.AMBER_FROM`), red below its red one;
- the `compliance` KPI is in reporting's catalogue (reporting.kpis), which reads standards.compliance.

The panel and the signal read `compliance_of`, kept on the project for the request: one computation.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

PANEL = "standards/_compliance_panel.html"
RED_BELOW = 40  # the signal turns red below it (the KPI's default red threshold)


def project_panel(*, project, user, today: date) -> dict | None:
    from portfolio.models import Project
    from standards.compliance import compliance_of

    if project.state != Project.State.ACTIVE:
        return None
    return {"project": project, "compliance": compliance_of(project, on=today)}


def low_compliance_signal(*, project, user, today: date) -> list:
    from portfolio.indicators import AMBER, RED, Signal
    from portfolio.models import Project
    from standards.compliance import AMBER_FROM, compliance_of

    if project.state != Project.State.ACTIVE:
        return []
    score = compliance_of(project, on=today).score
    if score is None or score >= AMBER_FROM:
        return []
    message = _("Compliance with the standard %(score)d %%: below %(threshold)d %%.") % {
        "score": score,
        "threshold": AMBER_FROM,
    }
    return [Signal("low_compliance", RED if score < RED_BELOW else AMBER, message)]


def register() -> None:
    from portfolio.indicators import register_signal_provider
    from portfolio.panels import register_panel

    register_panel(PANEL, project_panel, order=45)
    register_signal_provider("low_compliance", low_compliance_signal)
