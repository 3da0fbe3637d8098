"""The words of the demand demo: the requests the directorates bring, and what the PMO and the committee
said of them (French, as the demo's projects are)."""

from __future__ import annotations

from typing import NamedTuple


class Idea(NamedTuple):
    directorate: str  # a unit's code (pmo.demo.UNITS)
    title: str
    objectives: str
    strategic_objective: str  # one of portfolio.demo.projects.OBJECTIVES
    expected_benefits: str
    main_risks: str
    financial: bool  # has an expected annual benefit
    regulatory: bool  # has a regulatory deadline


IDEAS = [
    Idea(
        "DCOM",
        "Programme de fidélité multicanal",
        "Récompenser l'usage des cartes et des services en ligne par des points convertibles en avantages.",
        "Satisfaction et fidélisation client",
        "Hausse de l'usage des cartes, baisse de l'attrition des clients particuliers.",
        "Adhésion des commerçants partenaires ; coût des avantages mal maîtrisé.",
        True,
        False,
    ),
    Idea(
        "DSI",
        "Migration du datacenter secondaire vers le cloud privé",
        "Remplacer le site de secours vieillissant par une plateforme de cloud privé redondée.",
        "Sécurité et résilience du SI",
        "Fin de contrat d'hébergement, reprise d'activité testée en moins de 4 heures.",
        "Compétences cloud à renforcer ; migration des applications anciennes.",
        True,
        False,
    ),
    Idea(
        "DOP",
        "Automatisation du traitement des réclamations",
        "Classer, router et suivre les réclamations clients avec des robots et un outil de workflow.",
        "Excellence opérationnelle",
        "Délai de traitement divisé par deux, 6 ETP redéployés sur le conseil.",
        "Qualité des données d'entrée ; adhésion des équipes du back-office.",
        True,
        False,
    ),
    Idea(
        "DRC",
        "Mise en conformité DORA — registre des prestataires TIC",
        "Tenir le registre des prestataires TIC critiques et tester la résilience opérationnelle numérique.",
        "Conformité et maîtrise des risques",
        "Conformité à l'échéance réglementaire ; vision consolidée des dépendances critiques.",
        "Échéance serrée ; données contractuelles dispersées.",
        False,
        True,
    ),
    Idea(
        "DTD",
        "Assistant virtuel pour la banque en ligne",
        "Répondre aux questions courantes des clients en ligne, 24 h sur 24, en français et en arabe.",
        "Transformation digitale",
        "30 % des appels du centre de relation client évités ; meilleure satisfaction.",
        "Qualité des réponses ; protection des données personnelles.",
        True,
        False,
    ),
    Idea(
        "DF",
        "Refonte de la consolidation des comptes du groupe",
        "Un outil unique de consolidation et de reporting IFRS pour les filiales.",
        "Excellence opérationnelle",
        "Clôture consolidée avancée de 5 jours ; moins de retraitements manuels.",
        "Disponibilité des équipes comptables pendant les clôtures.",
        False,
        False,
    ),
    Idea(
        "DRH",
        "Plateforme de gestion des talents",
        "Entretiens annuels, plans de formation et mobilité interne dans un même outil.",
        "Excellence opérationnelle",
        "Taux de réalisation des entretiens à 95 % ; mobilité interne mieux suivie.",
        "Conduite du changement auprès des managers.",
        False,
        False,
    ),
    Idea(
        "DRC",
        "Lutte anti-fraude en temps réel sur les paiements instantanés",
        "Scorer chaque paiement instantané avant son exécution et bloquer les opérations suspectes.",
        "Conformité et maîtrise des risques",
        "Pertes de fraude réduites de 40 % ; exigence du régulateur satisfaite.",
        "Faux positifs gênants pour les clients ; temps de réponse du moteur.",
        True,
        True,
    ),
    Idea(
        "DJ",
        "Gestion électronique des contrats",
        "Centraliser les contrats, leurs échéances et leurs clauses sensibles.",
        "Réduction des coûts",
        "Aucune reconduction tacite subie ; recherche d'un contrat en quelques secondes.",
        "Reprise du stock de contrats papier.",
        True,
        False,
    ),
    Idea(
        "DCOM",
        "Offre bancassurance pour les professionnels",
        "Une offre packagée compte, assurance multirisque et prévoyance pour les TPE.",
        "Croissance du produit net bancaire",
        "Commissions d'assurance en hausse ; équipement des clients professionnels.",
        "Accord avec l'assureur partenaire ; formation du réseau.",
        True,
        False,
    ),
    Idea(
        "DSI",
        "Renouvellement du poste de travail",
        "Remplacer 4 000 postes et migrer vers la dernière version du système d'exploitation.",
        "Sécurité et résilience du SI",
        "Fin du support de l'ancien système ; postes plus sûrs et plus rapides.",
        "Délais d'approvisionnement ; compatibilité des applications métier.",
        False,
        True,
    ),
    Idea(
        "DTD",
        "Ouverture de compte 100 % mobile pour les jeunes",
        "Ouvrir un compte depuis l'application en dix minutes, avec vérification d'identité à distance.",
        "Transformation digitale",
        "20 000 nouveaux clients jeunes par an.",
        "Fraude documentaire ; validation par la conformité.",
        True,
        False,
    ),
    Idea(
        "DOP",
        "Dématérialisation des dossiers de crédit immobilier",
        "Constituer, instruire et archiver les dossiers de crédit immobilier sans papier.",
        "Excellence opérationnelle",
        "Délai d'instruction ramené de 15 à 7 jours.",
        "Intégration avec les notaires ; signature électronique.",
        True,
        False,
    ),
    Idea(
        "DF",
        "Pilotage de la rentabilité client",
        "Calculer la rentabilité par client et par produit chaque mois.",
        "Valorisation des données",
        "Tarification mieux ajustée ; ciblage commercial plus fin.",
        "Qualité des clés de répartition des coûts.",
        True,
        False,
    ),
    Idea(
        "DSI",
        "Supervision de la sécurité 24/7 (SOC)",
        "Mettre en place un centre opérationnel de sécurité avec un prestataire, en service continu.",
        "Sécurité et résilience du SI",
        "Détection des incidents en moins d'une heure.",
        "Dépendance au prestataire ; volume d'alertes.",
        False,
        False,
    ),
    Idea(
        "DRC",
        "Reporting réglementaire des risques climatiques",
        "Collecter les données d'exposition climatique des crédits et produire le reporting demandé.",
        "Conformité et maîtrise des risques",
        "Conformité à la circulaire ; premier pilotage des risques climatiques.",
        "Données des clients entreprises peu disponibles.",
        False,
        True,
    ),
    Idea(
        "DCOM",
        "Application de prise de rendez-vous en agence",
        "Permettre aux clients de réserver un créneau avec leur conseiller depuis le site et l'application.",
        "Satisfaction et fidélisation client",
        "Attente en agence réduite ; agenda des conseillers mieux rempli.",
        "Adoption par le réseau d'agences.",
        False,
        False,
    ),
]

INCOMPLETE_COMMENT = (
    "Merci de préciser le chiffrage par année et les profils nécessaires (analystes, développeurs) ; "
    "le sponsor n'est pas encore désigné."
)
QUALIFIED_COMMENT = "Dossier complet. À présenter au prochain comité de portefeuille."
APPROVED_REASON = "Alignement stratégique fort et budget disponible : lancement en phase d'initialisation."
REJECTED_REASON = (
    "Le bénéfice attendu ne justifie pas le coût ; une solution existante du groupe couvre l'essentiel "
    "du besoin."
)
DEFERRED_REASONS = [
    "Capacité des équipes de développement saturée au prochain semestre : à représenter dans six mois.",
    "Budget de l'année engagé ; la demande sera réexaminée lors de l'arbitrage budgétaire.",
]
SCORE_COMMENTS = {
    "high": "Projet structurant, à prioriser.",
    "low": "Bénéfices surestimés à mon avis, et risque de réalisation élevé.",
}
SCENARIOS = [
    ("Budget contraint", "Enveloppe serrée : les projets en cours et les demandes les mieux notées."),
    (
        "Budget élargi avec obligations réglementaires",
        "Enveloppe élargie ; la demande réglementaire est retenue d'office.",
    ),
]
