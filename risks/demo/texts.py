"""The business texts of the risks demo (see risks.demo).

As in the other apps' demos, the organisation writes its records in French (the interface is translated,
the data is not); only the configurable lists the PMO keeps in both languages have an English name.
"""

from __future__ import annotations

from typing import NamedTuple

# (key, French name, English name), in the order the PMO lists them.
CATEGORIES = [
    ("tech", "Technique", "Technical"),
    ("fin", "Financier", "Financial"),
    ("reg", "Réglementaire et conformité", "Regulatory and compliance"),
    ("sup", "Fournisseurs et sous-traitance", "Suppliers and subcontracting"),
    ("res", "Ressources humaines", "Resources"),
    ("sec", "Sécurité de l'information", "Information security"),
    ("chg", "Conduite du changement", "Change management"),
    ("plan", "Planning et dépendances", "Schedule and dependencies"),
]


class Template(NamedTuple):
    category: str
    title: str
    cause: str
    effect: str
    mitigation: str
    response: str  # avoid, reduce, transfer, accept
    actions: tuple[str, ...]


TEMPLATES = [
    Template(
        "sup",
        "Retard de livraison de la solution par l'éditeur",
        "L'éditeur a réaffecté une partie de son équipe sur un autre client.",
        "Décalage de la recette et de la mise en production d'un à deux mois.",
        "Points hebdomadaires avec l'éditeur, pénalités de retard activables, plan de livraison par lots.",
        "reduce",
        ("Obtenir un planning de livraison engageant de l'éditeur", "Activer la clause de pénalités"),
    ),
    Template(
        "sup",
        "Défaillance financière d'un sous-traitant clé",
        "Le sous-traitant affiche des difficultés de trésorerie depuis deux trimestres.",
        "Arrêt des développements confiés et perte de la connaissance du code.",
        "Mise sous séquestre du code source, identification d'un prestataire de secours.",
        "transfer",
        ("Qualifier un prestataire de secours", "Vérifier le dépôt du code source sous séquestre"),
    ),
    Template(
        "res",
        "Indisponibilité des utilisateurs clés pour la recette",
        "Les équipes métier sont mobilisées par la clôture annuelle.",
        "Recette incomplète, anomalies découvertes en production.",
        "Planifier la recette hors période de clôture, désigner des suppléants.",
        "reduce",
        ("Faire valider le calendrier de recette par les directions métier", "Désigner des suppléants"),
    ),
    Template(
        "res",
        "Départ de l'architecte référent du projet",
        "Marché tendu sur les profils d'architectes ; offre concurrente reçue.",
        "Perte de la vision d'ensemble et ralentissement des arbitrages techniques.",
        "Binôme avec un second architecte, documentation des choix structurants.",
        "reduce",
        ("Organiser le binôme avec un second architecte", "Documenter les décisions d'architecture"),
    ),
    Template(
        "res",
        "Sous-dimensionnement de l'équipe de développement",
        "Le chiffrage initial n'intégrait pas les évolutions demandées en cadrage.",
        "Glissement du planning de la phase de réalisation.",
        "Renfort ponctuel par un prestataire, priorisation du périmètre.",
        "reduce",
        ("Chiffrer le renfort nécessaire", "Prioriser le backlog avec le métier"),
    ),
    Template(
        "fin",
        "Dépassement du budget de la phase de réalisation",
        "Hausse des tarifs journaliers des prestataires et travaux supplémentaires.",
        "Besoin d'une enveloppe complémentaire à faire valider en comité.",
        "Suivi mensuel du reste à faire, revue des demandes d'évolution.",
        "reduce",
        ("Présenter un reste à faire chiffré au contrôle de gestion",),
    ),
    Template(
        "fin",
        "Variation du taux de change sur les licences en devises",
        "Les licences sont facturées en euros et en dollars.",
        "Surcoût de 5 à 10 % sur le budget des licences.",
        "Couverture de change par la Trésorerie sur les échéances connues.",
        "transfer",
        ("Demander une couverture de change à la Trésorerie",),
    ),
    Template(
        "reg",
        "Non-conformité à la loi 09-08 sur les données personnelles",
        "Nouveaux traitements de données clients non encore déclarés à la CNDP.",
        "Sanction de l'autorité et report de la mise en service.",
        "Déclaration des traitements en amont, revue par le Responsable Conformité.",
        "avoid",
        ("Déposer la déclaration des traitements auprès de la CNDP", "Faire valider l'analyse d'impact"),
    ),
    Template(
        "reg",
        "Évolution de la réglementation Bank Al-Maghrib en cours de projet",
        "Une nouvelle circulaire est annoncée pour le prochain semestre.",
        "Reprise des spécifications et des développements déjà réalisés.",
        "Veille réglementaire avec la Conformité, conception paramétrable.",
        "accept",
        ("Organiser une veille mensuelle avec la Conformité",),
    ),
    Template(
        "sec",
        "Vulnérabilités relevées lors du test d'intrusion",
        "Composants open source non mis à jour dans la solution.",
        "Report de la mise en production jusqu'à correction.",
        "Correction des vulnérabilités critiques, nouveau test avant bascule.",
        "reduce",
        ("Corriger les vulnérabilités critiques", "Planifier un second test d'intrusion"),
    ),
    Template(
        "sec",
        "Accès des prestataires au système d'information non maîtrisés",
        "Comptes génériques partagés entre plusieurs intervenants.",
        "Risque de fuite de données et non-conformité aux exigences du RSSI.",
        "Comptes nominatifs, bastion d'administration, revue trimestrielle des accès.",
        "avoid",
        ("Mettre en place des comptes nominatifs via le bastion",),
    ),
    Template(
        "tech",
        "Performances insuffisantes de la solution en charge",
        "Volumétrie réelle trois fois supérieure aux hypothèses du cahier des charges.",
        "Temps de réponse dégradés pour les agences aux heures de pointe.",
        "Tests de charge anticipés, optimisation des requêtes, dimensionnement de l'infrastructure.",
        "reduce",
        ("Réaliser un test de charge sur la volumétrie cible",),
    ),
    Template(
        "tech",
        "Complexité de l'interface avec le système central",
        "Le système central est peu documenté et ses experts sont rares.",
        "Retards d'intégration et anomalies en recette de bout en bout.",
        "Atelier d'architecture dédié, bouchons de test, expert détaché du système central.",
        "reduce",
        ("Tenir l'atelier d'architecture sur les interfaces", "Livrer les bouchons de test"),
    ),
    Template(
        "tech",
        "Obsolescence de l'infrastructure d'hébergement",
        "Les serveurs arrivent en fin de support constructeur.",
        "Incidents non couverts par le support et indisponibilité prolongée.",
        "Migration anticipée vers la nouvelle plateforme d'hébergement.",
        "avoid",
        ("Planifier la migration vers la nouvelle plateforme",),
    ),
    Template(
        "tech",
        "Qualité insuffisante des données à reprendre",
        "Doublons et données incomplètes dans l'application historique.",
        "Reprise de données en échec et retard de la bascule.",
        "Campagne de nettoyage des données avec le métier, reprises à blanc.",
        "reduce",
        ("Lancer la campagne de nettoyage des données", "Réaliser une reprise à blanc"),
    ),
    Template(
        "chg",
        "Résistance au changement des équipes en agence",
        "Nouvelle organisation du travail perçue comme une charge supplémentaire.",
        "Faible adoption de l'outil et maintien de circuits parallèles.",
        "Réseau d'ambassadeurs, formations de proximité, communication du sponsor.",
        "reduce",
        ("Constituer le réseau d'ambassadeurs", "Planifier les sessions de formation"),
    ),
    Template(
        "chg",
        "Formation des utilisateurs non terminée avant la bascule",
        "Le plan de formation a démarré tardivement.",
        "Hausse des sollicitations du support et erreurs de saisie.",
        "Formations en ligne complémentaires, support renforcé les premières semaines.",
        "reduce",
        ("Renforcer le support pendant les quatre premières semaines",),
    ),
    Template(
        "plan",
        "Dépendance au projet de refonte du référentiel clients",
        "Le référentiel clients doit être livré avant nos développements.",
        "Décalage mécanique de notre planning en cas de retard du projet amont.",
        "Point de synchronisation bimensuel entre les deux chefs de projet.",
        "accept",
        ("Organiser le point de synchronisation entre les projets",),
    ),
    Template(
        "plan",
        "Gel des mises en production de fin d'année",
        "La période de gel commence mi-décembre.",
        "Mise en production repoussée à janvier si la recette glisse.",
        "Avancer la recette, prévoir une fenêtre de mise en production dérogatoire.",
        "avoid",
        ("Réserver une fenêtre de mise en production avant le gel",),
    ),
]

TRANSVERSE = [
    Template(
        "res",
        "Saturation des équipes d'intégration de la DSI",
        "Plusieurs projets majeurs entrent en intégration le même trimestre.",
        "Retards en cascade sur les projets du portefeuille.",
        "Lissage du plan de charge en comité de portefeuille, renfort d'un intégrateur.",
        "reduce",
        (),
    ),
    Template(
        "fin",
        "Réduction de l'enveloppe d'investissement de l'exercice",
        "Arbitrages budgétaires du Groupe attendus au prochain CODIR.",
        "Report ou arrêt de projets non prioritaires du portefeuille.",
        "Priorisation du portefeuille, scénarios budgétaires préparés par le PMO.",
        "accept",
        (),
    ),
    Template(
        "sec",
        "Cyberattaque par rançongiciel sur les environnements projets",
        "Multiplication des attaques visant le secteur bancaire.",
        "Indisponibilité des environnements et perte de travaux non sauvegardés.",
        "Sauvegardes isolées, segmentation des environnements, exercice de crise annuel.",
        "reduce",
        (),
    ),
    Template(
        "sup",
        "Dépendance à un éditeur unique pour les solutions cœur",
        "Trois projets reposent sur le même éditeur.",
        "Pouvoir de négociation réduit et risque de retards simultanés.",
        "Contrat cadre avec engagements de service, stratégie de diversification.",
        "transfer",
        (),
    ),
]

FIRST_ASSESSMENT = "Première évaluation"
REVIEW_NOTES = [
    "Revue mensuelle avec l'équipe projet.",
    "Réévaluation après le dernier comité.",
    "Le plan de mitigation commence à produire ses effets.",
    "Nouvelles informations du fournisseur : le risque augmente.",
    "Revue avec le PMO.",
    "Situation inchangée depuis la dernière revue.",
]
RESIDUAL_REASON = "Le plan de réponse déplace le risque sur une période plus exposée."
CLOSING_NOTES = [
    "Le risque ne s'est pas matérialisé : la phase concernée est terminée.",
    "Levé : le fournisseur a livré dans les délais.",
    "Sans objet après la réduction du périmètre décidée en comité.",
    "Plan de mitigation réalisé, risque résiduel jugé négligeable.",
]
ACTION_DONE_NOTES = [
    "Réalisé, compte rendu partagé avec l'équipe projet.",
    "Fait : document validé par le sponsor.",
]
ESCALATION_REASONS = [
    "Le risque dépasse la tolérance du projet : le comité doit arbitrer le plan de mitigation et son coût.",
    "La mitigation demande un budget de contingence que le projet ne peut pas engager seul.",
    "Décision attendue sur le recours à une solution de secours avant la fin du mois.",
    "Le sponsor demande que le comité se prononce sur l'acceptation du risque.",
]
ESCALATION_DECISIONS = [
    ("Validation du plan de mitigation présenté pour {reference}", "approved", ""),
    (
        "Budget de contingence accordé pour traiter {reference}",
        "conditional",
        "Rendre compte de la consommation du budget à chaque comité.",
    ),
    ("Recours à une solution de secours pour {reference}", "approved", ""),
    ("Risque {reference} accepté en l'état, à revoir dans un mois", "approved", ""),
]
ESCALATION_MINUTES = (
    "{owner} présente le risque {reference} (score {score}) et son évolution depuis la dernière revue. "
    "Le comité examine les options de mitigation et leur coût."
)

ISSUES = [
    ("Indisponibilité de l'environnement de recette", "Les tests sont bloqués depuis trois jours.", "high"),
    (
        "Anomalie bloquante sur le calcul des commissions",
        "Écart constaté sur un échantillon de dossiers.",
        "critical",
    ),
    ("Retard de signature du bon de commande", "Le circuit de validation des achats est allongé.", "medium"),
    ("Licences insuffisantes pour la formation", "Vingt utilisateurs n'ont pas encore accès.", "low"),
    ("Flux de données quotidien en échec", "Le traitement de nuit échoue une fois sur trois.", "high"),
    ("Absence prolongée du référent métier", "Les validations fonctionnelles sont suspendues.", "medium"),
]
ISSUE_RESOLUTIONS = [
    "Environnement rétabli après intervention de l'hébergeur.",
    "Correctif livré et validé en recette.",
]
