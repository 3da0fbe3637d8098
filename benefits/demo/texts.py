"""The words of the benefits demo: benefits the projects promise and the lessons they learned (French, as
the demo's projects are)."""

from __future__ import annotations

from typing import NamedTuple


class Financial(NamedTuple):
    title: str
    description: str


class Measure(NamedTuple):
    title: str
    description: str
    unit: str
    baseline: int
    target: int  # may be below the baseline: a delay or a rate brought down


FINANCIAL = [
    Financial(
        "Économies de coûts de fonctionnement", "Baisse des coûts annuels de traitement et de maintenance."
    ),
    Financial("Revenus additionnels", "Produit net bancaire supplémentaire généré chaque année."),
    Financial("Licences et contrats arrêtés", "Fin des licences et des contrats d'infogérance remplacés."),
    Financial("Pertes évitées", "Pertes de fraude et pénalités évitées chaque année."),
    Financial("Productivité des équipes", "Temps des équipes libéré, valorisé au coût moyen d'un ETP."),
]

NON_FINANCIAL = [
    Measure(
        "Délai de traitement des dossiers", "Délai moyen entre la demande et la réponse.", "jours", 12, 4
    ),
    Measure("Satisfaction client (NPS)", "Score NPS mesuré par l'enquête trimestrielle.", "points", 18, 35),
    Measure("Taux de dématérialisation", "Part des dossiers traités sans papier.", "%", 20, 85),
    Measure("Disponibilité du service", "Disponibilité mensuelle mesurée par la supervision.", "%", 97, 99),
    Measure("Incidents de production", "Incidents majeurs par mois.", "incidents", 14, 4),
    Measure(
        "Clients actifs en ligne", "Clients connectés au moins une fois dans le mois.", "milliers", 120, 210
    ),
]

ACTUAL_NOTE = "Relevé mensuel"


class Text(NamedTuple):
    category: str  # Lesson.Category
    effect: str  # Lesson.Effect
    title: str
    what_happened: str
    recommendation: str


LESSONS = [
    Text("governance", "negative", "Sponsor trop peu disponible",
         "Les arbitrages attendaient le comité mensuel ; trois décisions ont pris plus de six semaines.",
         "Prévoir un point sponsor toutes les deux semaines et une délégation écrite pour les arbitrages "
         "courants."),
    Text("governance", "positive", "Comité de pilotage resserré",
         "Un COPIL de cinq personnes a tranché rapidement les sujets de périmètre.",
         "Limiter le COPIL aux décideurs ; inviter les experts sur les seuls points qui les concernent."),
    Text("scope", "negative", "Exigences réglementaires découvertes tardivement",
         "La conformité a ajouté des contrôles en phase de réalisation : deux sprints de reprise.",
         "Associer la conformité dès le cadrage et faire valider les exigences avant la conception."),
    Text("scope", "positive", "Périmètre découpé en lots livrables",
         "Trois lots livrés séparément ont apporté de la valeur dès le quatrième mois.",
         "Découper les grands projets en lots utilisables par les métiers."),
    Text("planning", "negative", "Planning bâti sans marge pour la recette",
         "La recette utilisateur a débordé de cinq semaines sur la période de clôture comptable.",
         "Réserver une marge de 20 % sur la recette et éviter les périodes de clôture."),
    Text("planning", "negative", "Dépendance à un autre projet non suivie",
         "La livraison de l'API socle a glissé sans que le projet en soit informé.",
         "Déclarer les dépendances dans l'outil et les revoir à chaque comité."),
    Text("cost", "negative", "Coûts de licences sous-estimés",
         "Le nombre d'utilisateurs a doublé après le déploiement, et le coût des licences avec lui.",
         "Chiffrer les licences sur le nombre d'utilisateurs cible, pas sur le pilote."),
    Text("cost", "positive", "Suivi mensuel des engagements",
         "La revue mensuelle des engagements avec le contrôle de gestion a évité un dépassement.",
         "Rapprocher chaque mois engagé, facturé et prévu avec le contrôleur de gestion."),
    Text("people", "negative", "Départ de l'architecte clé",
         "Le départ de l'architecte en cours de réalisation a bloqué les choix techniques un mois.",
         "Documenter les décisions d'architecture et nommer un suppléant pour chaque rôle clé."),
    Text("people", "positive", "Équipe métier détachée à temps plein",
         "Deux experts métier détachés à plein temps ont accéléré la conception et la recette.",
         "Négocier le détachement des experts métier dès le cadrage, avec leur direction."),
    Text("suppliers", "negative", "Contrat au forfait sans critères de recette",
         "Le prestataire contestait les anomalies faute de critères d'acceptation contractuels.",
         "Annexer au contrat des critères de recette mesurables et un plan de tests."),
    Text("suppliers", "positive", "Points hebdomadaires avec l'éditeur",
         "Un point hebdomadaire avec l'éditeur a permis de corriger les anomalies bloquantes en 48 heures.",
         "Prévoir un interlocuteur dédié chez l'éditeur et un point hebdomadaire pendant la recette."),
    Text("technical", "negative", "Environnement de test indisponible",
         "L'environnement de pré-production a été partagé avec deux autres projets.",
         "Réserver les environnements de test au planning de la DSI dès le lancement."),
    Text("technical", "positive", "Tests automatisés dès le premier sprint",
         "Les tests de non-régression automatisés ont divisé par trois la durée des recettes.",
         "Budgéter l'automatisation des tests dès le cadrage."),
    Text("technical", "negative", "Reprise des données sous-estimée",
         "La qualité des données historiques a imposé trois répétitions de migration au lieu d'une.",
         "Profiler les données dès le cadrage et prévoir au moins deux migrations à blanc."),
    Text("risk", "positive", "Risque fournisseur traité à temps",
         "Le risque de défaillance du fournisseur, suivi au registre, a déclenché un plan de secours.",
         "Revoir les risques fournisseurs à chaque comité et préparer l'alternative avant qu'elle serve."),
    Text("risk", "negative", "Risque identifié mais sans porteur",
         "Le risque de saturation des équipes était connu mais personne n'en suivait les actions.",
         "Nommer un porteur et une échéance pour chaque action de mitigation."),
    Text("change", "negative", "Formation des agences trop tardive",
         "Les conseillers ont été formés la semaine du déploiement : nombreux appels au support.",
         "Former les utilisateurs un mois avant le déploiement et prévoir des relais en agence."),
    Text("change", "positive", "Ambassadeurs dans chaque direction régionale",
         "Un réseau d'ambassadeurs a relayé les nouveautés et remonté les irritants.",
         "Identifier des ambassadeurs métier dès la conception."),
    Text("communication", "negative", "Parties prenantes informées trop tard",
         "La direction juridique a découvert le projet à la signature du contrat.",
         "Cartographier les parties prenantes au lancement et les informer à chaque jalon."),
    Text("communication", "positive", "Lettre d'information mensuelle",
         "Une lettre mensuelle courte a maintenu l'adhésion des métiers pendant les 18 mois du projet.",
         "Communiquer régulièrement, même quand il n'y a pas de livraison."),
    Text("planning", "positive", "Jalons intermédiaires tenus",
         "Des jalons mensuels visibles du comité ont permis de détecter le glissement très tôt.",
         "Fixer des jalons au plus tous les deux mois, avec un livrable vérifiable."),
    Text("cost", "negative", "Change requests acceptés sans chiffrage",
         "Plusieurs demandes de changement ont été acceptées avant d'en connaître le coût.",
         "Chiffrer toute demande de changement et la faire valider par le sponsor avant de l'engager."),
    Text("scope", "negative", "Besoin métier mal formulé",
         "Les premiers écrans ne répondaient pas au besoin réel des gestionnaires.",
         "Faire des ateliers de maquettage avec les utilisateurs finaux avant la conception détaillée."),
    Text("governance", "negative", "Décision de lancement sans analyse de capacité",
         "Le projet a démarré alors que les développeurs étaient déjà engagés sur deux autres projets.",
         "Vérifier la capacité par rôle avant chaque décision de lancement (G0)."),
]  # fmt: skip

OBJECTIVES = {
    "met": "Objectifs atteints : la solution est en service et utilisée par l'ensemble des équipes cibles.",
    "partly": (
        "Objectifs partiellement atteints : le socle est livré, mais une partie des fonctionnalités a été "
        "reportée à une phase ultérieure."
    ),
}
HANDOVER = (
    "Bénéfices transmis au sponsor, responsable de leur suivi ; mesure mensuelle dans l'outil pendant "
    "deux ans."
)
