"""Benefits realisation in the other apps, through their registries (none of them depends on benefits):

- a panel on the project page (portfolio.panels): the profiles, planned against realised, and the link;
- the derived signal "benefits_at_risk" (portfolio.indicators): amber when an approved profile is at
  risk (benefits.selectors.at_risk), red when all of them are;
- the agenda source "benefits_at_risk" (benefits.meetings);
- the gate check "benefit_profile_approved" (governance.extensions): met when the project has an
  approved profile;
- the import's column "baseline_benefits" (imports.fields): the project's imported profile
  (benefits.benefit_import).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PANEL = "benefits/benefit_panel.html"
GATE_CHECK = "benefit_profile_approved"


def project_panel(*, project, user, today: date) -> dict:
    """Two or three queries: the profiles, their actuals (and their KPIs' measurements)."""
    from benefits.selectors import benefit_rows, profiles_of
    from portfolio.models import Project

    profiles = profiles_of(Project.objects.filter(pk=project.pk))
    return {"project": project, "rows": benefit_rows(profiles, on=today)}


def at_risk_signal(*, project, user, today: date) -> list:
    from benefits.models import BenefitProfile
    from benefits.selectors import benefit_rows
    from portfolio.indicators import AMBER, RED, Signal

    profiles = list(BenefitProfile.objects.approved().filter(project=project.pk))
    if not profiles:
        return []
    rows = [row for row in benefit_rows(profiles, on=today) if row.at_risk]
    if not rows:
        return []
    level = RED if len(rows) == len(profiles) else AMBER
    message = _("Benefits at risk: %(titles)s") % {"titles": ", ".join(row.profile.title for row in rows)}
    return [Signal("benefits_at_risk", level, message)]


def has_approved_profile(project) -> bool:
    from benefits.models import BenefitProfile

    return BenefitProfile.objects.approved().filter(project=project.pk).exists()


def explain_approved_profile(project) -> str:
    if has_approved_profile(project):
        return _("The project has an approved benefit profile.")
    return _("The project has no approved benefit profile.")


def register() -> None:
    from benefits import benefit_import, meetings
    from governance.extensions import GateCheckRule, register_agenda_source, register_gate_check
    from portfolio.indicators import register_signal_provider
    from portfolio.panels import register_panel

    register_panel(PANEL, project_panel, order=35)
    benefit_import.register()
    register_signal_provider("benefits_at_risk", at_risk_signal)
    register_agenda_source("benefits_at_risk", meetings.at_risk_proposals)
    register_gate_check(
        GateCheckRule(
            GATE_CHECK,
            gettext_lazy("An approved benefit profile"),
            check=has_approved_profile,
            explain=explain_approved_profile,
        )
    )
