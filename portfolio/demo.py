"""Demo portfolios and projects (see pmo.demo for how seed_demo runs the seeders)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from pmo.demo import DemoContext
from portfolio.models import Portfolio, Project


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

State = Project.State
STATES = [State.ACTIVE, State.PROPOSED, State.ON_HOLD, State.CLOSED, State.CANCELLED]
STATE_WEIGHTS = [70, 10, 8, 10, 2]
PM1_PROJECTS = (6, 8)
CONFIDENTIAL_SHARE = 0.05
BUDGET_RANGE = (500_000, 80_000_000)


def has_data() -> bool:
    return Project.objects.exists() or Portfolio.objects.exists()


def reset() -> None:
    Project.objects.all().delete()
    Portfolio.objects.all().delete()


def seed(ctx: DemoContext) -> None:
    directorates = {directorate.code: directorate for directorate in ctx.directorates}
    ctx.portfolios = Portfolio.objects.bulk_create(
        Portfolio(
            code=theme.code,
            name=theme.name,
            description=theme.description,
            directorate=directorates[theme.directorate],
            owner=ctx.sponsors_by_directorate[directorates[theme.directorate].pk][0],
        )
        for theme in THEMES
    )
    ctx.count(Portfolio, len(ctx.portfolios))
    ctx.projects = Project.objects.bulk_create(_projects(ctx))
    ctx.count(Project, len(ctx.projects))


def _projects(ctx: DemoContext) -> list[Project]:
    rng, count = ctx.rng, ctx.project_count
    pm1, *others = ctx.project_managers
    # pm1 is the project manager people log in as: a handful of projects, one late, one confidential.
    pm1_projects = sorted(rng.sample(range(count), min(count, rng.randint(*PM1_PROJECTS))))
    late_one, confidential_one = pm1_projects[0], pm1_projects[min(1, len(pm1_projects) - 1)]
    workloads = [rng.uniform(0.5, 1.5) for _pm in others]
    names = _Names(rng)
    projects = []
    for index in range(count):
        portfolio_index = rng.choices(range(len(THEMES)), weights=THEME_WEIGHTS)[0]
        theme, portfolio = THEMES[portfolio_index], ctx.portfolios[portfolio_index]
        # Mostly the portfolio's own directorate; some projects are run by another unit.
        directorate = portfolio.directorate if rng.random() < 0.75 else rng.choice(ctx.directorates)
        sponsor = rng.choice(ctx.sponsors_by_directorate.get(directorate.pk) or ctx.sponsors)
        manager = pm1 if index in pm1_projects or not others else rng.choices(others, weights=workloads)[0]
        state = rng.choices(STATES, weights=STATE_WEIGHTS)[0]
        slip = 0 if state == State.PROPOSED else _slip(rng)
        if index == late_one:
            state, slip = State.ACTIVE, rng.randint(30, 120)
        baseline_start, baseline_end = _baseline(rng, ctx.today, state, slip)
        name = names.next(theme)
        projects.append(
            Project(
                code=f"PRJ-{index + 1:04d}",
                name=name,
                description=f"{rng.choice(theme.goals)} {rng.choice(SCOPES)}",
                directorate=directorate,
                portfolio=portfolio,
                sponsor=sponsor,
                project_manager=manager,
                state=state,
                baseline_start=baseline_start,
                baseline_end=baseline_end,
                forecast_start=baseline_start,
                forecast_end=baseline_end + timedelta(days=slip),
                budget=_budget(rng),
                currency=settings.DEFAULT_CURRENCY,
                confidential=index == confidential_one or rng.random() < CONFIDENTIAL_SHARE,
            )
        )
    return projects


class _Names:
    """Project names from a theme's actions and objects; a repeated name gets a lot, phase or region."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: dict[str, int] = {}
        self.used: set[str] = set()

    def next(self, theme: Theme) -> str:
        action = self.rng.choice(list(theme.names))
        base = f"{action} {self.rng.choice(theme.names[action])}"
        occurrence = self.seen[base] = self.seen.get(base, 0) + 1
        name = base
        if occurrence > 1:
            name = f"{base} — {self.rng.choice([f'lot {occurrence}', f'phase {occurrence}', *REGIONS])}"
            if name in self.used:
                name = f"{base} — lot {occurrence}"
        self.used.add(name)
        return name


def _slip(rng: random.Random) -> int:
    """Days between the baseline end and the forecast end: mostly on time, some late, a few ahead."""
    draw = rng.random()
    if draw < 0.60:
        return 0
    if draw < 0.85:
        return rng.randint(10, 90)
    if draw < 0.95:
        return rng.randint(90, 200)
    return -rng.randint(10, 30)


def _baseline(rng: random.Random, today: date, state: str, slip: int) -> tuple[date, date]:
    """Baseline dates that fit the state: a proposed project starts later, a closed one has finished."""
    if state == State.PROPOSED:
        start = today + timedelta(days=rng.randint(15, 182))
    elif state == State.CLOSED:
        start = today - timedelta(days=rng.randint(400, 730))
        # Its forecast (here: actual) end falls at least two weeks before today.
        room = (today - timedelta(days=15 + max(slip, 0)) - start).days
        return start, start + timedelta(days=rng.randint(183, min(room, 1095)))
    else:
        start = today - timedelta(days=rng.randint(14, 730))
    end = start + timedelta(days=round(rng.randint(6, 36) * 30.44))
    if state == State.PROPOSED:
        return start, end
    # A live project has not yet passed its forecast end (baseline end + slip).
    return start, max(end, today + timedelta(days=rng.randint(30, 120) - slip))


def _budget(rng: random.Random) -> Decimal:
    """Spread log-uniformly: many small projects, a few very large programmes."""
    low, high = BUDGET_RANGE
    amount = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(int(round(amount, -3)))
