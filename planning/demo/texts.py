"""The business texts of the planning demo (see planning.demo).

As in the other apps' demos, the organisation writes its records in French (the interface is translated,
the data is not): change requests are written by French-speaking project managers. What the audit trail
says of them is in English in the code and translated (`gettext_noop` in planning.demo.history).
"""

from __future__ import annotations

from typing import NamedTuple


class Change(NamedTuple):
    title: str
    reason: str
    scope_change: str  # empty when the scope does not change
    added_milestone: str  # a milestone the change adds, or empty


# Changes a project asks for when its dates or budget no longer hold; each fits a slip and a budget rise.
CHANGES = [
    Change(
        "Report de la mise en production suite au retard de l'éditeur",
        "L'éditeur a livré la version cible avec six semaines de retard ; la recette ne peut démarrer "
        "qu'après la livraison corrective. Le planning de bascule est décalé d'autant.",
        "",
        "",
    ),
    Change(
        "Intégration des exigences réglementaires de Bank Al-Maghrib",
        "La nouvelle circulaire de Bank Al-Maghrib impose des contrôles supplémentaires sur les flux "
        "concernés ; ils doivent être en place dès la mise en production.",
        "Ajout des contrôles de conformité et des états réglementaires associés.",
        "Validation des états réglementaires",
    ),
    Change(
        "Extension du périmètre au réseau d'agences du Nord",
        "La direction commerciale demande que le déploiement couvre aussi les agences de la région Nord, "
        "initialement prévues dans un second temps.",
        "Déploiement étendu à 45 agences supplémentaires, formation des conseillers incluse.",
        "Déploiement des agences du Nord",
    ),
    Change(
        "Renfort de l'équipe de recette et décalage du pilote",
        "Le volume d'anomalies relevé en recette d'intégration impose une campagne de tests "
        "supplémentaire avant le pilote.",
        "",
        "",
    ),
    Change(
        "Migration des données historiques sur cinq ans",
        "Les métiers ont besoin de l'historique complet dans la nouvelle solution dès le démarrage ; "
        "la reprise initialement limitée à deux ans est étendue.",
        "Reprise de cinq ans d'historique au lieu de deux, avec contrôles de réconciliation.",
        "Reprise des données historiques validée",
    ),
    Change(
        "Indisponibilité des équipes métier pendant la clôture annuelle",
        "Les utilisateurs clés de la Direction Financière sont mobilisés par la clôture des comptes ; "
        "la recette utilisateur est décalée après l'arrêté.",
        "",
        "",
    ),
    Change(
        "Remplacement du prestataire d'intégration",
        "Le prestataire d'intégration a été remplacé après la résiliation de son contrat ; la reprise "
        "par le nouveau titulaire demande un temps de transition.",
        "",
        "",
    ),
    Change(
        "Ajout d'un parcours de souscription en ligne",
        "Le comité de direction a demandé d'ajouter la souscription en ligne au périmètre pour "
        "répondre à l'offre de la concurrence.",
        "Nouveau parcours de souscription 100 % en ligne sur l'application mobile.",
        "Parcours en ligne livré en recette",
    ),
]
APPROVAL_NOTES = [
    "Approuvé : le nouveau planning et le budget révisé constituent la référence du projet.",
    "Approuvé sous réserve d'un suivi mensuel de la consommation budgétaire.",
    "Approuvé ; le chef de projet informe les projets dépendants du nouveau calendrier.",
]
BASELINE_NOTES = {
    "gate": "Référence prise au passage en réalisation.",
    "pmo": "Référence prise par le PMO à la mise en service de l'outil, sur le planning en vigueur.",
}
