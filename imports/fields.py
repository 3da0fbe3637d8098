"""The fields an import can fill: a project's sheet and its status report for a period.

Each is named as in the models (the names a mapping file uses), labelled with the model's own
verbose name, and has a kind that says how its cells are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from portfolio.models import Project, Rag, StatusReport

TEXT, CHOICE, FOREIGN, MONEY, DATE, PERCENT, BOOL = (
    "text",
    "choice",
    "foreign",
    "money",
    "date",
    "percent",
    "bool",
)
PROJECT, STATUS = "project", "status"


@dataclass(frozen=True)
class Target:
    name: str
    kind: str
    on: str  # PROJECT or STATUS
    synonyms: tuple[str, ...] = ()  # header words that suggest this field (normalised, English and French)
    label_override: Any = None

    @property
    def label(self) -> Any:
        if self.label_override is not None:
            return self.label_override
        model = Project if self.on == PROJECT else StatusReport
        verbose = model._meta.get_field(self.name).verbose_name
        if self.on == STATUS:
            return _status_label(verbose)
        return lazy(capfirst, str)(verbose)

    @property
    def choices(self) -> list[tuple[str, Any]]:
        """(value, label) of a choice field, values as text (priority's numbers too)."""
        if self.kind != CHOICE:
            return []
        if self.on == STATUS:
            return list(Rag.choices)
        field = Project._meta.get_field(self.name)
        return [(str(value), label) for value, label in field.choices]

    def choice_names(self) -> dict[str, str]:
        """Every way a choice may be written in a file (its value, its label in each language) -> value."""
        names: dict[str, str] = {}
        from imports.parsing import normalise

        for value, label in self.choices:
            names[normalise(value)] = value
            for language in ("en", "fr"):
                with override(language):
                    names[normalise(str(label))] = value
        return names


def _status_label_text(verbose: Any) -> str:
    return str(_("Status: %(field)s") % {"field": verbose})


_status_label = lazy(_status_label_text, str)

TARGETS: list[Target] = [
    Target(
        "code", TEXT, PROJECT, ("code", "id", "project id", "project code", "reference", "ref", "id number")
    ),
    Target("name", TEXT, PROJECT, ("name", "project name", "title", "project", "nom", "intitulé", "projet")),
    Target("description", TEXT, PROJECT, ("description", "aims", "objectives", "objet")),
    Target("directorate", FOREIGN, PROJECT, ("directorate", "department", "direction", "division", "entité")),
    Target("portfolio", FOREIGN, PROJECT, ("portfolio", "programme", "program", "portefeuille", "category")),
    Target("phase", FOREIGN, PROJECT, ("phase", "stage", "étape")),
    Target("methodology", CHOICE, PROJECT, ("methodology", "method", "méthodologie", "approach")),
    Target("priority", CHOICE, PROJECT, ("priority", "priorité")),
    Target("strategic_objective", TEXT, PROJECT, ("strategic objective", "objectif stratégique")),
    Target("state", CHOICE, PROJECT, ("state", "lifecycle", "état", "statut")),
    Target("project_manager", FOREIGN, PROJECT, ("project manager", "manager", "pm", "chef de projet")),
    Target("sponsor", FOREIGN, PROJECT, ("sponsor", "sro", "senior responsible owner", "commanditaire")),
    Target(
        "baseline_start", DATE, PROJECT, ("start date", "start", "baseline start", "date de début", "début")
    ),
    Target("baseline_end", DATE, PROJECT, ("end date", "end", "baseline end", "date de fin", "fin")),
    Target("forecast_start", DATE, PROJECT, ("forecast start", "début prévu")),
    Target("forecast_end", DATE, PROJECT, ("forecast end", "fin prévue")),
    Target("budget", MONEY, PROJECT, ("budget", "whole life cost", "bac", "total budget", "coût total")),
    Target("currency", TEXT, PROJECT, ("currency", "devise")),
    Target("confidential", BOOL, PROJECT, ("confidential", "confidentiel")),
    Target(
        "status_period",
        DATE,
        STATUS,
        ("period", "report date", "as at", "période", "date du statut"),
        label_override=_("Status: period (a day of the reported week)"),
    ),
    Target(
        "overall_rag", CHOICE, STATUS, ("rag", "overall", "status", "rating", "delivery confidence", "météo")
    ),
    Target("schedule_rag", CHOICE, STATUS, ("schedule rag", "schedule", "délais")),
    Target("cost_rag", CHOICE, STATUS, ("cost rag", "coûts")),
    Target("scope_rag", CHOICE, STATUS, ("scope rag", "scope", "périmètre")),
    Target("resources_rag", CHOICE, STATUS, ("resources rag", "resources", "ressources")),
    Target(
        "percent_complete", PERCENT, STATUS, ("% complete", "percent complete", "completion", "avancement")
    ),
    Target("actual_cost", MONEY, STATUS, ("actual cost", "spend to date", "coût réel", "consommé")),
    Target(
        "forecast_at_completion", MONEY, STATUS, ("forecast at completion", "eac", "estimate at completion")
    ),
    Target("summary", TEXT, STATUS, ("summary", "résumé", "synthèse")),
    Target("achievements", TEXT, STATUS, ("achievements", "réalisations")),
    Target("next_steps", TEXT, STATUS, ("next steps", "prochaines étapes")),
    Target("help_needed", TEXT, STATUS, ("help needed", "escalation", "points d'attention")),
    Target(
        "explanation", TEXT, STATUS, ("explanation", "commentary", "comment", "commentaire", "justification")
    ),
]
BY_NAME: dict[str, Target] = {target.name: target for target in TARGETS}
RATING_FIELDS = ("overall_rag", *StatusReport.DIMENSIONS)
# Fields a value mapping applies to besides choices and references: their texts that are no
# amount or date ("Exempt under Section 43", "n/a") are mapped to blank there, or reported.
VALUE_MAPPED_KINDS = (CHOICE, FOREIGN, MONEY, DATE, PERCENT, BOOL)
# Directorates and portfolios may be created by an import when the mapping says so; people never
# are (accounts are the administrators'), nor phases (the PMO's configured lifecycle).
CREATABLE = ("directorate", "portfolio")
