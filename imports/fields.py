"""The fields an import can fill: a project's sheet and its status report for a period.

Each is named as in the models (the names a mapping file uses), labelled with the model's own
verbose name, and has a kind that says how its cells are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from portfolio.models import Confidence, Project, Rag, StatusReport

TEXT, CHOICE, FOREIGN, MONEY, DATE, PERCENT, BOOL = (
    "text",
    "choice",
    "foreign",
    "money",
    "date",
    "percent",
    "bool",
)
# A field is the project's, its status report's, or the assessed delivery confidence's (a
# `DeliveryConfidence` dated by the row's status period: the assessment, never the declared RAG), or
# one another app registers (EXTRA, see `register_project_field`).
PROJECT, STATUS, CONFIDENCE, EXTRA = "project", "status", "confidence", "extra"
_JOINER = re.compile(r"\s*[/\-\u2013\u2014]\s*")  # a slash, a hyphen, an en or an em dash


def choice_key(text: Any) -> str:
    """The form of a choice written in a file used to find it: case and spaces folded, and any slash or
    dash between two words read as one slash ("Amber - Green", "amber/green", "Amber / Green")."""
    from imports.parsing import normalise

    return _JOINER.sub("/", normalise(text))


@dataclass(frozen=True)
class Target:
    name: str
    kind: str
    on: str  # PROJECT, STATUS, CONFIDENCE or EXTRA
    synonyms: tuple[str, ...] = ()  # header words that suggest this field (normalised, English and French)
    label_override: Any = None
    value_words: tuple[tuple[str, str], ...] = ()  # (word, choice) a file may write beside the labels

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
        if self.on == CONFIDENCE:
            return list(Confidence.choices)
        field = Project._meta.get_field(self.name)
        return [(str(value), label) for value, label in field.choices]

    def choice_names(self) -> dict[str, str]:
        """Every way a choice may be written in a file (its value, its label in each language) -> value."""
        names: dict[str, str] = {}
        for value, label in self.choices:
            names[choice_key(value)] = value
            for language in ("en", "fr"):
                with override(language):
                    names[choice_key(str(label))] = value
        for word, value in self.value_words:
            names[choice_key(word)] = str(value)
        return names


def _status_label_text(verbose: Any) -> str:
    return str(_("Status: %(field)s") % {"field": verbose})


_status_label = lazy(_status_label_text, str)

# The five levels as files write them beyond their labels: the IPA's English and a French PMO's words
# (compared through `choice_key`, so "Amber-Green" and "amber / green" are "Amber/Green").
CONFIDENCE_WORDS: tuple[tuple[str, str], ...] = (
    ("G", Confidence.GREEN),
    ("A/G", Confidence.AMBER_GREEN),
    ("AG", Confidence.AMBER_GREEN),
    ("A", Confidence.AMBER),
    ("A/R", Confidence.AMBER_RED),
    ("AR", Confidence.AMBER_RED),
    ("R", Confidence.RED),
    ("Vert", Confidence.GREEN),
    ("Ambre/Vert", Confidence.AMBER_GREEN),
    ("Orange/Vert", Confidence.AMBER_GREEN),
    ("Jaune/Vert", Confidence.AMBER_GREEN),
    ("Ambre", Confidence.AMBER),
    ("Orange", Confidence.AMBER),
    ("Ambre/Rouge", Confidence.AMBER_RED),
    ("Orange/Rouge", Confidence.AMBER_RED),
    ("Rouge", Confidence.RED),
)

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
    # "Delivery confidence" is not a synonym of the declared RAG: a file's delivery confidence is an
    # assessment (the IPA's, an assurance review's), imported as one (`delivery_confidence`).
    Target("overall_rag", CHOICE, STATUS, ("rag", "overall", "status", "rating", "météo")),
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
    Target(
        "delivery_confidence",
        CHOICE,
        CONFIDENCE,
        (
            "delivery confidence",
            "delivery confidence assessment",
            "ipa delivery confidence assessment",
            "ipa delivery confidence",
            "dca",
            "ipa dca",
            "confiance dans la livraison",
            "confiance",
            "évaluation de la confiance",
        ),
        label_override=_("Delivery confidence (assessed)"),
        value_words=CONFIDENCE_WORDS,
    ),
    Target(
        "confidence_reason",
        TEXT,
        CONFIDENCE,
        ("dca commentary", "delivery confidence commentary", "confidence reason", "raison de la confiance"),
        label_override=_("Delivery confidence: reason"),
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

# Extra project fields registered by other apps (imports comes before them and imports none of them):
# name -> apply(project=, value=, author=, today=), called once the row's project is saved, in the row's
# savepoint. It returns (before, after) when it changed something, None when not, and raises
# django.core.exceptions.ValidationError for the row's error. The field is read as its kind says.
EXTRA_FIELDS: dict[str, Callable[..., tuple[Any, Any] | None]] = {}


def register_project_field(target: Target, apply: Callable[..., tuple[Any, Any] | None]) -> None:
    """Add a column an import may map to (`target.on` is EXTRA) and what applying its value does."""
    if target.name not in BY_NAME:
        TARGETS.append(target)
        BY_NAME[target.name] = target
    EXTRA_FIELDS[target.name] = apply
