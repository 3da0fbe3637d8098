"""How the deliverables part plugs into the other apps' registries (none of them depends on standards):

- the gate check "standards.deliverables" (governance.extensions): met when every deliverable required at
  the gate of the project's current phase is approved or waived; its explanation names the others;
- a gate extra: the checklist of the deliverables of the phase being left, beside the gate request and
  review pages;
- a project-page panel (portfolio.panels): the current phase's deliverables, due and approved, the
  missing ones and the link to the page.

All read `standards.selectors.deliverables_due`, the one reading of what a project owes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

GATE_CHECK = "standards.deliverables"
GATE_TEMPLATE = "standards/_deliverable_gate.html"
PANEL_TEMPLATE = "standards/_deliverable_panel.html"


def _due(project, *, kept: bool = False) -> list:
    from standards.selectors import deliverables_due

    return deliverables_due([project], kept=kept)[project.pk]


def gate_rows(project, due: list | None = None) -> list:
    """The deliverables the gate leaving the project's current phase requires (of `due`, when read
    already)."""
    due = _due(project) if due is None else due
    return [row for row in due if row.in_current_phase and row.requirement.required_at_gate]


def deliverables_approved(project) -> bool | None:
    """True when every deliverable required at the gate is approved or waived; None without a phase."""
    if project.phase_id is None:
        return None
    return all(row.is_done for row in gate_rows(project))


def explain_deliverables(project, due: list | None = None) -> str:
    from standards.models import Deliverable

    if project.phase_id is None:
        return _("The project has no phase: no deliverable is due.")
    rows = gate_rows(project, due)
    waiting = [row for row in rows if not row.is_done]
    if not rows:
        return _("No deliverable is required at this gate.")
    if not waiting:
        return _("Every deliverable required at this gate is approved or waived.")
    return _("Not approved yet: %(names)s.") % {
        "names": ", ".join(
            f"{row.requirement.deliverable_type} ({Deliverable.State(row.state).label})" for row in waiting
        )
    }


def gate_extra(project, *, user, phase, review=None) -> dict[str, Any] | None:
    """The deliverables of the phase being left, each with its state. None when that phase owes none."""
    if phase is None:
        return None
    due = _due(project)  # read once for the checklist and its explanation
    rows = [row for row in due if row.requirement.phase_id == phase.pk]
    if not rows:
        return None
    return {"project": project, "phase": phase, "rows": rows, "explain": explain_deliverables(project, due)}


def project_panel(*, project, user, today: date) -> dict[str, Any] | None:
    """The current phase's deliverables. Four queries (deliverables_due); none shown when nothing is due."""
    rows = [row for row in _due(project, kept=True) if row.in_current_phase]
    if not rows:
        return None
    return {
        "project": project,
        "due": len(rows),
        "done": sum(1 for row in rows if row.is_done),
        "missing": [row for row in rows if not row.is_done],
    }


def register() -> None:
    from governance.extensions import GateCheckRule, register_gate_check, register_gate_extra
    from portfolio.panels import register_panel

    register_gate_check(
        GateCheckRule(
            key=GATE_CHECK,
            label=gettext_lazy("Required deliverables approved"),
            check=deliverables_approved,
            explain=explain_deliverables,
        )
    )
    register_gate_extra(GATE_TEMPLATE, gate_extra, order=10)
    register_panel(PANEL_TEMPLATE, project_panel, order=40)
