"""The French business texts of the governance demo: minutes, decisions, actions (see governance.demo)."""

from __future__ import annotations

RAG_WORDS = {"green": "verte", "amber": "orange", "red": "rouge"}

REVIEW_MINUTES = [
    "{pm} présente l'avancement : {percent} % réalisé, météo {rag}. {summary} "
    "Le comité prend acte et demande {ask}.",
    "Point d'avancement présenté par {pm} (météo {rag}). {summary} Les échanges portent sur le planning "
    "de la phase en cours et sur la disponibilité des équipes métier. Le comité {verdict}.",
    "{pm} rappelle les jalons à venir et l'état du budget ({percent} % d'avancement déclaré). {summary} "
    "Le sponsor confirme son soutien ; le comité demande {ask}.",
    "Revue du projet sur la base du dernier reporting (météo {rag}). {summary} Après discussion, "
    "le comité {verdict} et demande {ask}.",
]
REVIEW_ASKS = [
    "un plan de rattrapage chiffré pour le prochain comité",
    "une mise à jour du planning détaillé sous quinze jours",
    "de sécuriser la disponibilité des utilisateurs clés pour la recette",
    "une analyse d'impact sur les projets dépendants",
    "de remonter tout nouveau risque majeur au PMO sans attendre la prochaine séance",
]
REVIEW_VERDICTS = [
    "valide la poursuite des travaux selon le planning présenté",
    "maintient sa vigilance sur la consommation budgétaire",
    "souhaite un point dédié lors de la prochaine séance",
    "salue la qualité du travail de l'équipe projet",
]
NO_REPORT = "Aucun reporting hebdomadaire n'a encore été soumis."

ACTION_REVIEW_MINUTES = [
    "Le secrétariat passe en revue les actions de la séance précédente. Les actions réalisées sont soldées ; "
    "les porteurs des actions en retard s'engagent sur une nouvelle échéance.",
    "Revue des actions ouvertes : la plupart sont en cours. Le président rappelle que toute action en retard "
    "de plus de deux semaines sera remontée au sponsor.",
    "Point rapide sur les actions : pas de difficulté particulière signalée, les échéances sont maintenues.",
]

INFORMATION_ITEMS = [
    (
        "Calendrier de la campagne budgétaire 2027",
        "Le PMO présente le calendrier de la campagne budgétaire : remontée des besoins par les directions "
        "avant la fin du mois, arbitrages en CODIR le mois suivant.",
    ),
    (
        "Retour d'expérience sur la dernière mise en production",
        "Présentation du retour d'expérience : la bascule s'est bien déroulée, deux incidents mineurs "
        "ont été corrigés dans la journée. Les bonnes pratiques seront reprises dans le guide "
        "de mise en production.",
    ),
    (
        "Conformité à la loi 09-08 sur la protection des données",
        "Le Responsable Conformité rappelle les obligations de déclaration auprès de la CNDP pour les "
        "nouveaux traitements. Chaque chef de projet vérifie la situation de son projet.",
    ),
    (
        "Plan de charge des équipes de la DSI",
        "La DSI présente le plan de charge du trimestre : les équipes d'intégration sont saturées en fin de "
        "période ; les demandes nouvelles seront priorisées en comité de portefeuille.",
    ),
    (
        "Nouvelle procédure de gestion des changements",
        "Le PMO présente la procédure : toute demande de changement ayant un impact de plus de 10 jours "
        "ou de 200 000 MAD est soumise au comité. Le support est diffusé avec le compte rendu.",
    ),
    (
        "Résultats de l'enquête de satisfaction des utilisateurs",
        "Taux de satisfaction en hausse de six points ; les délais de traitement restent le premier motif "
        "d'insatisfaction. Un plan d'amélioration sera présenté lors d'une prochaine séance.",
    ),
]

OTHER_MINUTES = [
    "Aucune question diverse.",
    "Le président remercie les participants. Prochaine séance selon le calendrier prévu.",
    "Le comité est informé du départ de l'architecte référent ; son remplacement est en cours.",
    "Un membre demande que les supports soient diffusés deux jours avant la séance ; accord du comité.",
]

MEETING_NOTES = [
    "Quorum atteint. Séance ouverte par le président à l'heure prévue.",
    "Quorum atteint. Le président ouvre la séance et rappelle l'ordre du jour.",
    "Séance ouverte avec quelques minutes de retard ; quorum atteint.",
]
LOCATIONS = [
    "Salle du Conseil, siège Casablanca",
    "Salle Atlas, 4e étage",
    "Salle Anfa, siège Casablanca",
    "Salle Hassan II, 6e étage",
]

# (title, options considered, rationale); {amount}, {date}, {count} filled in.
PROJECT_DECISIONS = [
    (
        "Validation du passage en recette du lot 1",
        "",
        "Les développements du lot 1 sont terminés et le plan de recette est prêt.",
    ),
    (
        "Enveloppe complémentaire de {amount}",
        "1. Enveloppe complémentaire ; 2. Réduction du périmètre ; 3. Report au budget de l'an prochain.",
        "L'écart est lié à des évolutions réglementaires non prévues ; le sponsor confirme l'intérêt métier.",
    ),
    (
        "Report de la mise en production au {date}",
        "1. Maintenir la date avec un périmètre réduit ; 2. Reporter la date avec le périmètre complet.",
        "La recette a révélé des anomalies bloquantes ; un report limité sécurise la bascule.",
    ),
    (
        "Renfort de {count} consultants pendant la phase de réalisation",
        "1. Renfort externe ; 2. Mobilisation interne ; 3. Décalage du lot 2.",
        "Les équipes internes ne sont pas disponibles avant la fin du trimestre.",
    ),
    (
        "Réduction du périmètre du lot 2 pour tenir l'échéance",
        "1. Périmètre complet, échéance décalée ; 2. Périmètre réduit, échéance tenue.",
        "L'échéance réglementaire ne peut pas être décalée.",
    ),
    (
        "Lancement de la consultation pour l'hébergement de la solution",
        "1. Hébergement interne ; 2. Cloud privé d'un prestataire agréé.",
        "La solution interne ne permet pas d'atteindre la disponibilité demandée par le métier.",
    ),
    (
        "Gel des demandes d'évolution jusqu'à la mise en production",
        "",
        "Les évolutions en cours menacent le planning de la bascule.",
    ),
    (
        "Pilote limité à trois agences avant la généralisation",
        "1. Déploiement d'emblée sur tout le réseau ; 2. Pilote puis généralisation par région.",
        "Un pilote limite le risque opérationnel et permet d'ajuster la formation.",
    ),
]
GENERAL_DECISIONS = [
    ("Adoption du calendrier des séances du semestre", "Le calendrier est diffusé avec le compte rendu."),
    (
        "Priorisation des demandes nouvelles en comité de portefeuille",
        "La capacité des équipes ne permet pas de lancer toutes les demandes reçues.",
    ),
    (
        "Diffusion des supports deux jours ouvrés avant chaque séance",
        "Les membres doivent pouvoir préparer les arbitrages.",
    ),
]
CONDITIONS = [
    "Présenter un plan de rattrapage chiffré à la prochaine séance.",
    "Obtenir l'avis du RSSI avant la mise en production.",
    "Limiter la dépense au montant validé ; tout dépassement revient au comité.",
    "Faire valider le plan de recette par les utilisateurs clés.",
]
CORRECTION_TITLE = "Report de la mise en production au {date} (rectifie {reference})"
CORRECTION_RATIONALE = (
    "La date retenue lors de la séance précédente ne tenait pas compte du gel des mises en production "
    "de fin de trimestre ; la décision est rectifiée."
)

PROJECT_ACTIONS = [
    "Présenter un plan de rattrapage chiffré",
    "Mettre à jour le planning détaillé",
    "Transmettre le chiffrage du lot 2 au contrôle de gestion",
    "Organiser l'atelier de cadrage avec les métiers",
    "Sécuriser la disponibilité des utilisateurs clés pour la recette",
    "Rédiger la note d'arbitrage pour le sponsor",
    "Relancer le fournisseur sur la livraison attendue",
    "Mettre à jour le registre des risques du projet",
]
MEMBER_ACTIONS = [
    "Consolider les besoins budgétaires de la direction",
    "Relire et valider la note de cadrage",
    "Désigner un référent métier pour le projet",
    "Produire l'avis conformité sur le dispositif",
    "Valider le dossier d'architecture",
    "Faire un point avec la DRH sur les ressources internes",
    "Rendre l'avis de l'audit interne sur le dispositif de contrôle",
]
COMPLETION_NOTES = [
    "Fait : document transmis au PMO et partagé avec les membres du comité.",
    "Soldée : atelier tenu, compte rendu diffusé.",
    "Réalisé ; le planning mis à jour est disponible sur l'espace projet.",
    "Clôturée après validation du sponsor.",
]
CANCEL_NOTE = "Sans objet suite à la décision du comité."

GATE_COMMENTS_MET = ["", "", "Document disponible sur l'espace projet.", "Validé en séance."]
GATE_COMMENT_NOT_MET = "Incomplet à date : complément attendu sous dix jours."
GATE_RATIONALE = {
    "go": "Les critères de sortie de phase sont remplis ; le comité autorise le passage à la phase suivante.",
    "conditional": "Les critères sont remplis à une exception près, à lever avant la fin du mois.",
}
GATE_CONDITION = "Compléter le critère non satisfait du passage de phase et en rendre compte au PMO"
