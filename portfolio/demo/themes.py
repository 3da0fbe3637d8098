"""The demo's portfolios, one per theme, and the words its project names and descriptions are made of."""

from __future__ import annotations

from typing import NamedTuple


class Theme(NamedTuple):
    code: str
    name: str
    directorate: str
    description: str
    weight: int  # share of the projects
    names: dict[str, list[str]]  # an action, and the objects it reads naturally with
    goals: list[str]


THEMES = [
    Theme(
        "PF-DIG",
        "Transformation digitale",
        "DTD",
        "Les parcours clients et collaborateurs de bout en bout en ligne.",
        20,
        {
            "Digitalisation": [
                "de l'ouverture de compte",
                "du parcours crédit consommation",
                "de l'entrée en relation entreprises",
                "des demandes de cartes et chéquiers",
            ],
            "Dématérialisation": [
                "des crédits",
                "des dossiers clients",
                "des contrats de prêt",
                "des remises de chèques",
            ],
            "Déploiement": [
                "de la signature électronique",
                "de l'agence en ligne",
                "du paiement mobile",
                "du e-KYC",
            ],
            "Refonte": ["de l'application mobile", "de la banque en ligne entreprises"],
        },
        [
            "Offrir un parcours entièrement en ligne aux clients particuliers et professionnels.",
            "Réduire l'usage du papier et les délais de réponse au client.",
            "Permettre la souscription à distance, sans passage en agence.",
        ],
    ),
    Theme(
        "PF-SI",
        "Modernisation du SI",
        "DSI",
        "Le socle applicatif et technique : core banking, infrastructures, sécurité.",
        20,
        {
            "Migration": [
                "du core banking",
                "vers le cloud privé",
                "de la messagerie",
                "de la plateforme monétique",
                "des bases Oracle vers PostgreSQL",
            ],
            "Modernisation": ["du poste de travail", "du réseau des agences", "de la supervision"],
            "Refonte": ["du datacenter", "de la gestion des identités (IAM)", "du système de paiement"],
            "Mise en place": [
                "d'une plateforme API",
                "du plan de reprise d'activité",
                "du bus d'échanges (ESB)",
            ],
            "Décommissionnement": ["des applications legacy", "du mainframe"],
        },
        [
            "Réduire la dette technique et les coûts de maintenance du SI.",
            "Sécuriser la continuité d'activité et la disponibilité des services.",
            "Remplacer des composants en fin de support par des solutions standard.",
        ],
    ),
    Theme(
        "PF-REG",
        "Conformité réglementaire",
        "DRC",
        "Les chantiers imposés par Bank Al-Maghrib, l'ACPR et les normes internationales.",
        15,
        {
            "Déploiement": [
                "IFRS 17",
                "IFRS 9 (provisionnement)",
                "du dispositif LCB-FT",
                "de la circulaire BAM sur le risque de liquidité",
            ],
            "Mise en conformité": ["Bâle IV", "RGPD", "loi 09-08 (CNDP)", "FATCA / CRS", "DORA"],
            "Refonte": ["du reporting réglementaire", "du dispositif KYC", "du filtrage des sanctions"],
            "Automatisation": ["des déclarations réglementaires", "du reporting COREP / FINREP"],
        },
        [
            "Respecter l'échéance réglementaire fixée par le superviseur.",
            "Fiabiliser les données transmises au régulateur et réduire les retraitements manuels.",
            "Lever les recommandations de la dernière mission d'inspection.",
        ],
    ),
    Theme(
        "PF-CX",
        "Expérience client",
        "DCOM",
        "La relation client sur tous les canaux : agences, centre de relation, digital.",
        12,
        {
            "Refonte": [
                "du portail client",
                "du parcours crédit immobilier",
                "de l'espace client entreprises",
            ],
            "Déploiement": [
                "du CRM",
                "du centre de relation client omnicanal",
                "de la prise de rendez-vous en ligne",
            ],
            "Lancement": ["du programme de fidélité", "de l'offre bancassurance", "de l'offre jeunes actifs"],
            "Mise en place": [
                "de la mesure de satisfaction (NPS)",
                "du traitement des réclamations en ligne",
            ],
        },
        [
            "Améliorer la satisfaction client et réduire l'attrition.",
            "Donner aux conseillers une vue unique du client et de ses demandes.",
            "Augmenter l'équipement des clients existants.",
        ],
    ),
    Theme(
        "PF-OPS",
        "Efficacité opérationnelle",
        "DOP",
        "Les back-offices, le réseau et les achats : faire mieux à coût maîtrisé.",
        12,
        {
            "Automatisation": [
                "des back-offices (RPA)",
                "du traitement des virements",
                "du rapprochement bancaire",
            ],
            "Centralisation": ["des traitements monétiques", "des back-offices crédits"],
            "Refonte": [
                "du processus de recouvrement",
                "de la gestion des garanties",
                "du traitement des successions",
            ],
            "Optimisation": ["du réseau d'agences", "de la gestion du cash", "des achats"],
        },
        [
            "Réduire les délais de traitement et le coût unitaire des opérations.",
            "Supprimer les saisies multiples et les contrôles manuels redondants.",
            "Libérer du temps commercial dans le réseau d'agences.",
        ],
    ),
    Theme(
        "PF-DATA",
        "Data & IA",
        "DSI",
        "Les données comme actif : plateformes, gouvernance et cas d'usage d'intelligence artificielle.",
        10,
        {
            "Mise en place": [
                "du data lake",
                "de la gouvernance des données",
                "du référentiel client unique (MDM)",
            ],
            "Déploiement": [
                "du scoring crédit par machine learning",
                "de la détection de fraude par IA",
                "d'un assistant conversationnel client",
                "des tableaux de bord de pilotage",
            ],
            "Industrialisation": ["des modèles de risque", "de la plateforme de data science"],
        },
        [
            "Exploiter les données clients pour mieux cibler et mieux décider.",
            "Mesurer la qualité des données et désigner leurs propriétaires.",
            "Passer des prototypes d'IA à des modèles en production, suivis et auditables.",
        ],
    ),
    Theme(
        "PF-FIN",
        "Pilotage financier",
        "DF",
        "Les outils et processus de la Direction Financière.",
        6,
        {
            "Déploiement": ["de l'ERP financier", "de l'outil de consolidation"],
            "Refonte": ["du contrôle de gestion", "de la comptabilité analytique", "du processus budgétaire"],
            "Automatisation": ["de la clôture comptable", "du rapprochement intragroupe"],
        },
        [
            "Raccourcir la clôture mensuelle et fiabiliser les comptes consolidés.",
            "Donner aux directions un suivi budgétaire mensuel et partagé.",
        ],
    ),
    Theme(
        "PF-RH",
        "Capital humain",
        "DRH",
        "Les outils et services aux collaborateurs.",
        5,
        {
            "Déploiement": ["du SIRH", "de la plateforme e-learning", "de l'entretien annuel en ligne"],
            "Refonte": ["de la paie", "de la gestion des talents"],
            "Dématérialisation": ["des dossiers du personnel", "des notes de frais"],
        },
        [
            "Simplifier les démarches des collaborateurs et des managers.",
            "Fiabiliser la paie et les données RH de l'ensemble du groupe.",
        ],
    ),
]

THEME_WEIGHTS = [theme.weight for theme in THEMES]
SCOPES = [
    "Déploiement progressif par lots, en coordination avec la DSI.",
    "Pilote sur deux régions avant la généralisation au réseau.",
    "Le périmètre couvre la maison mère et les filiales.",
    "Projet mené en mode agile avec un intégrateur externe.",
    "Le projet s'appuie sur une solution du marché, paramétrée plutôt que développée.",
    "Les filiales africaines rejoignent le projet dans une seconde phase.",
]
REGIONS = [
    "région Casablanca-Settat",
    "région Rabat-Salé-Kénitra",
    "région Tanger-Tétouan-Al Hoceïma",
    "région Fès-Meknès",
    "région Marrakech-Safi",
    "région Souss-Massa",
    "région de l'Oriental",
    "filiale France",
    "filiales Afrique de l'Ouest",
]
