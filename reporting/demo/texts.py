"""The demo KPIs' definitions: names and descriptions in French and English, and the manual KPIs a
bank's PMO follows. Computed ones in the dashboard's order; `None` for order: off the dashboard."""

from __future__ import annotations

from typing import NamedTuple

from reporting.models import Kpi
from reporting.periods import Frequency


class Text(NamedTuple):
    name: str
    name_en: str
    description: str
    description_en: str


# The computed KPIs, in the dashboard's order; `None` for order: off the dashboard.
COMPUTED_TEXTS: dict[str, tuple[int | None, str, Text]] = {
    "rag_red_share": (
        10,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Projets au rouge",
            "Projects in red",
            "Part des projets actifs dont la météo de la semaine est rouge : le signal d'alerte du "
            "portefeuille, à examiner en comité.",
            "Share of active projects whose status for the week is red: the portfolio's alarm signal, "
            "to be examined in committee.",
        ),
    ),
    "rag_green_share": (
        20,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Projets au vert",
            "Projects in green",
            "Part des projets actifs dont la météo de la semaine est verte (un projet qui n'a pas "
            "rendu sa météo n'est pas compté vert).",
            "Share of active projects whose status for the week is green (a project that has not "
            "reported is not counted green).",
        ),
    ),
    "status_compliance": (
        30,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Conformité des météos projet",
            "Status-report compliance",
            "Part des projets actifs dont le chef de projet a rendu la météo de la semaine. Sans météo "
            "à jour, les autres indicateurs ne disent pas la vérité.",
            "Share of active projects whose manager submitted the week's status report. Without "
            "current statuses, the other indicators cannot be trusted.",
        ),
    ),
    "milestones_met": (
        40,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Jalons tenus",
            "Milestones met",
            "Part des jalons dont la date de référence tombe dans le mois et qui ont été atteints "
            "avant la fin du mois.",
            "Share of the milestones whose baseline date falls in the month that were achieved by "
            "the end of the month.",
        ),
    ),
    "portfolio_cpi": (
        50,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Performance des coûts (CPI)",
            "Cost performance (CPI)",
            "Valeur acquise de tous les projets rapportée à leur coût réel. Au-dessous de 1, le "
            "portefeuille dépense plus que ce qu'il produit.",
            "Earned value of all projects over their actual cost. Below 1, the portfolio spends "
            "more than it delivers.",
        ),
    ),
    "portfolio_spi": (
        60,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Performance des délais (SPI)",
            "Schedule performance (SPI)",
            "Valeur acquise de tous les projets rapportée à la valeur planifiée à date. Au-dessous "
            "de 1, le portefeuille est en retard sur ses plans de référence.",
            "Earned value of all projects over the value planned to date. Below 1, the portfolio "
            "is behind its baseline plans.",
        ),
    ),
    "forecast_to_budget": (
        70,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Prévision à terminaison / budget",
            "Forecast at completion to budget",
            "Somme des prévisions à terminaison des projets actifs divisée par la somme de leurs "
            "budgets. 1,10 annonce un dépassement de 10 %.",
            "Sum of the active projects' forecasts at completion divided by the sum of their "
            "budgets. 1.10 announces a 10 % overrun.",
        ),
    ),
    "risk_exposure": (
        80,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Exposition aux risques",
            "Risk exposure",
            "Somme des scores (probabilité × impact) des risques ouverts. Les seuils sont fixés "  # noqa: RUF001
            "à partir de l'exposition médiane du dernier trimestre.",
            "Sum of the scores (probability × impact) of the open risks. The thresholds are set "  # noqa: RUF001
            "from the median exposure of the last quarter.",
        ),
    ),
    "critical_risks": (
        90,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Risques critiques",
            "Critical risks",
            "Nombre de risques ouverts de niveau critique selon la politique de risque. Les seuils sont "
            "fixés à partir du nombre médian du dernier trimestre.",
            "Number of open risks at the critical level by the risk policy. The thresholds are set "
            "from the median number of the last quarter.",
        ),
    ),
    "overdue_actions": (
        100,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Actions en retard",
            "Overdue actions",
            "Actions issues des comités et des risques dont l'échéance est passée sans qu'elles "
            "soient terminées.",
            "Actions from committees and risks whose due date has passed without their being done.",
        ),
    ),
    "decisions_on_time": (
        110,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Décisions mises en œuvre à temps",
            "Decisions implemented on time",
            "Part des décisions dont la mise en œuvre était attendue dans le mois et qui ont été "
            "mises en œuvre à la date prévue.",
            "Share of the decisions due for implementation in the month that were implemented by "
            "their due date.",
        ),
    ),
    "benefits_realised": (
        115,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Bénéfices réalisés par rapport au plan",
            "Benefits realised against plan",
            "Gains financiers réalisés par les projets (dernière mesure de chaque profil de bénéfices "
            "approuvé, moins sa base de référence) en part des gains prévus à la même date, en devise "
            "de reporting. Calculé à partir des profils de bénéfices.",
            "Financial gains realised by the projects (each approved benefit profile's latest "
            "measurement less its baseline) as a share of the gains planned at the same date, in the "
            "reporting currency. Computed from the benefit profiles.",
        ),
    ),
    "compliance": (
        None,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Conformité au standard",
            "Compliance with the standard",
            "Moyenne des scores de conformité des projets actifs : livrables dus approuvés, statuts "
            "hebdomadaires remis à temps, conditions des jalons levées, risques revus à temps. "
            "Calculé à partir des projets.",
            "Mean of the active projects' compliance scores: deliverables due approved, weekly "
            "statuses on time, gate conditions closed, risks reviewed on time. Computed from the "
            "projects.",
        ),
    ),
    "rag_amber_share": (
        None,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Projets à l'orange",
            "Projects in amber",
            "Part des projets actifs dont la météo de la semaine est orange : les projets à surveiller.",
            "Share of active projects whose status for the week is amber: the projects to watch.",
        ),
    ),
    "budget_at_completion": (
        None,
        Kpi.Scope.DIRECTORATE,
        Text(
            "Budget à terminaison",
            "Budget at completion",
            "Somme des budgets des projets actifs de chaque direction.",
            "Sum of the budgets of each directorate's active projects.",
        ),
    ),
    "forecast_at_completion": (
        None,
        Kpi.Scope.DIRECTORATE,
        Text(
            "Prévision à terminaison",
            "Forecast at completion",
            "Somme des prévisions à terminaison des projets actifs de chaque direction, telles que "
            "les chefs de projet les déclarent dans leurs météos.",
            "Sum of the forecasts at completion of each directorate's active projects, as their "
            "managers report them in their statuses.",
        ),
    ),
    "decisions_taken": (
        None,
        Kpi.Scope.PORTFOLIO,
        Text(
            "Décisions prises",
            "Decisions taken",
            "Nombre de décisions enregistrées au journal des décisions dans le mois.",
            "Number of decisions recorded in the decision log in the month.",
        ),
    ),
}


class Manual(NamedTuple):
    code: str
    text: Text
    unit: str
    direction: str
    frequency: str
    scope: str
    levels: tuple[float, float, float] | None  # target, amber, red
    on_dashboard: bool


MANUAL = [
    Manual(
        "business_case_current",
        Text(
            "Business cases à jour",
            "Up-to-date business cases",
            "Part des projets actifs dont le business case a été revu dans les six derniers mois ou "
            "depuis le dernier changement de périmètre.",
            "Share of active projects whose business case was reviewed in the last six months or "
            "since the last change of scope.",
        ),
        Kpi.Unit.PERCENT,
        Kpi.Direction.HIGHER,
        Frequency.MONTHLY,
        Kpi.Scope.PORTFOLIO,
        (90, 80, 65),
        False,
    ),
    Manual(
        "stakeholder_satisfaction",
        Text(
            "Satisfaction des parties prenantes",
            "Stakeholder satisfaction",
            "Part des sponsors et utilisateurs clés satisfaits ou très satisfaits, selon l'enquête "
            "trimestrielle menée sur les projets prioritaires. Saisi par le chef de projet.",
            "Share of sponsors and key users satisfied or very satisfied, from the quarterly survey "
            "of the priority projects. Entered by the project manager.",
        ),
        Kpi.Unit.PERCENT,
        Kpi.Direction.HIGHER,
        Frequency.QUARTERLY,
        Kpi.Scope.PROJECT,
        (80, 70, 55),
        False,
    ),
    Manual(
        "staff_on_projects",
        Text(
            "Collaborateurs mobilisés sur les projets",
            "Staff on projects",
            "Équivalents temps plein internes affectés aux projets, par direction, d'après les "
            "feuilles de temps du mois.",
            "Internal full-time equivalents assigned to projects, by directorate, from the month's "
            "timesheets.",
        ),
        Kpi.Unit.COUNT,
        Kpi.Direction.HIGHER,
        Frequency.MONTHLY,
        Kpi.Scope.DIRECTORATE,
        None,
        False,
    ),
]
SATISFACTION_COMMENTS = {
    "down": [
        "Baisse liée au report de la mise en production.",
        "Les utilisateurs clés attendent toujours la formation promise.",
        "Insatisfaction du sponsor sur la tenue des délais.",
    ],
    "up": [
        "Retours très positifs après le pilote en agence.",
        "Nette amélioration depuis la nouvelle organisation de la recette.",
    ],
    "steady": ["", "", "", "Enquête menée auprès du sponsor et de cinq utilisateurs clés."],
}
