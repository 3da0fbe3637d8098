"""Demo portfolios and projects (see pmo.demo for how seed_demo runs the seeders)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from pmo.audit import forget_history
from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Milestone, Phase, Portfolio, Project, ProjectDependency, Rag, StatusReport
from portfolio.models.status import period_of


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
    forget_history(Project, StatusReport, Milestone)
    Project.objects.all().delete()
    Portfolio.objects.all().delete()


def seed_history(ctx: DemoContext) -> None:
    """The audit trail of the rows `seed` made (see portfolio.demo_history)."""
    from portfolio.demo_history import seed_history as seed_portfolio_history

    seed_portfolio_history(ctx)


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
    projects = _projects(ctx)
    # The details below draw from a stream of their own, so the projects above stay as they were.
    rng = random.Random(f"{ctx.seed}:portfolio-details")
    _details(projects, rng, ctx.today)
    ctx.projects = Project.objects.bulk_create(projects)
    ctx.count(Project, len(ctx.projects))
    _seed_team_members(ctx, rng)
    _seed_milestones(ctx, rng)
    _seed_dependencies(ctx, rng)
    _seed_status_history(ctx, rng)


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


# --- Details, teams, milestones, dependencies and status history -------------------------------------

OBJECTIVES = [
    "Croissance du produit net bancaire",
    "Excellence opérationnelle",
    "Conformité et maîtrise des risques",
    "Satisfaction et fidélisation client",
    "Transformation digitale",
    "Réduction des coûts",
    "Sécurité et résilience du SI",
    "Valorisation des données",
]
METHODOLOGIES = [Project.Methodology.CLASSIC, Project.Methodology.AGILE, Project.Methodology.HYBRID]
METHODOLOGY_WEIGHTS = [50, 30, 20]
PRIORITY_WEIGHTS = [10, 30, 45, 15]  # critical, high, medium, low
# The phase a live project is in, by its share of work done: (upper bound of % complete, phase order).
PHASE_BY_PROGRESS = [(10, 0), (25, 1), (70, 2), (90, 3), (101, 4)]
MILESTONE_NAMES = [
    "Lancement du projet",
    "Validation du cadrage",
    "Expression de besoin validée",
    "Conception générale validée",
    "Fin des développements",
    "Recette utilisateur validée",
    "Pilote en agence",
    "Mise en production",
    "Bilan de clôture",
]
DEPENDENCY_NOTES = [
    "",
    "",
    "Livrable attendu avant le démarrage de la recette.",
    "Mêmes équipes d'intégration, arbitrage nécessaire au comité.",
    "Interface commune à spécifier ensemble.",
]
# This week and the 52 complete weeks before it: a year of weekly KPIs has a status behind each week.
HISTORY_WEEKS = 53
NOT_REPORTED_SHARE = 0.2
# How often a project misses a past week (no report that week): most managers report nearly every week,
# a few often skip. So the compliance of past weeks is not always 100 %.
SKIP_RATES = [0.0, 0.03, 0.08, 0.2]
SKIP_WEIGHTS = [40, 35, 18, 7]
# How the overall RAG moves over the weeks: steady, slipping (green → amber → red), recovering.
TRENDS = ["green", "amber", "slipping", "recovering"]
TREND_WEIGHTS = [62, 10, 18, 10]
SUMMARIES = {
    Rag.GREEN: [
        "Le projet avance conformément au planning et au budget.",
        "Avancement nominal, pas de point bloquant.",
        "Les travaux se déroulent comme prévu ; l'équipe est au complet.",
    ],
    Rag.AMBER: [
        "Léger retard sur les développements, rattrapable d'ici le prochain jalon.",
        "Vigilance sur la disponibilité des équipes métier pour la recette.",
        "Dérive budgétaire à surveiller suite à des demandes d'évolution.",
    ],
    Rag.RED: [
        "Retard significatif : le jalon de mise en production est menacé.",
        "Dépassement budgétaire confirmé, arbitrage nécessaire.",
        "Blocage fournisseur : la livraison attendue n'a pas eu lieu.",
    ],
}
ACHIEVEMENTS = [
    "Ateliers de conception tenus avec les métiers.",
    "Livraison du lot 1 en environnement de recette.",
    "Spécifications fonctionnelles validées.",
    "Comité de pilotage tenu, décisions actées.",
    "Campagne de tests de non-régression terminée.",
    "Migration des données de test réalisée.",
    "Formation des utilisateurs clés lancée.",
]
NEXT_STEPS = [
    "Préparer le comité de pilotage du mois.",
    "Lancer la recette utilisateur.",
    "Finaliser le plan de bascule.",
    "Valider le chiffrage du lot suivant.",
    "Planifier la formation du réseau.",
    "Sécuriser les ressources pour la phase de déploiement.",
]
HELP_NEEDED = [
    "Arbitrage de la direction sur le périmètre du lot 2.",
    "Renfort d'un architecte pendant quatre semaines.",
    "Validation urgente du budget complémentaire.",
    "Escalade auprès du fournisseur au niveau direction.",
]
EXPLANATIONS = [
    "Retard de livraison du fournisseur.",
    "Indisponibilité des experts métier.",
    "Évolutions de périmètre non prévues au budget.",
    "Anomalies bloquantes en recette.",
]
LIVE_STATES = (State.ACTIVE, State.ON_HOLD)


def _progress(project: Project, day: date) -> float:
    """Share of the work done at `day` if it goes at the pace of its forecast: the elapsed share of the
    span from its start to its forecast end (a late project is behind its baseline)."""
    if project.state == State.CLOSED:
        return 1.0
    span = (project.forecast_end - project.baseline_start).days
    return min(max((day - project.baseline_start).days / span, 0.0), 1.0) if span > 0 else 0.0


def _details(projects: list[Project], rng: random.Random, today: date) -> None:
    """Methodology, priority, strategic objective and a phase that fits the work done."""
    phases = list(Phase.objects.order_by("order", "pk"))
    for project in projects:
        project.methodology = rng.choices(METHODOLOGIES, weights=METHODOLOGY_WEIGHTS)[0]
        project.priority = rng.choices(Project.Priority.values, weights=PRIORITY_WEIGHTS)[0]
        project.strategic_objective = rng.choice(OBJECTIVES)
        if not phases:
            continue
        if project.state == State.PROPOSED:
            project.phase = phases[0]
        elif project.state == State.CLOSED:
            project.phase = phases[-1]
        else:
            done = 100 * _progress(project, today)
            order = next(order for bound, order in PHASE_BY_PROGRESS if done < bound)
            project.phase = phases[min(order, len(phases) - 1)]


def _seed_team_members(ctx: DemoContext, rng: random.Random) -> None:
    people = [*ctx.project_managers, *ctx.users_by_role.get(Role.COMMITTEE_MEMBER, [])]
    through = Project.team_members.through
    rows = []
    for project in ctx.projects:
        candidates = [
            user for user in people if user.pk not in (project.project_manager_id, project.sponsor_id)
        ]
        for user in rng.sample(candidates, min(len(candidates), rng.randint(2, 5))):
            rows.append(through(project_id=project.pk, user_id=user.pk))
    through.objects.bulk_create(rows)


def _seed_milestones(ctx: DemoContext, rng: random.Random) -> None:
    """3 to 6 milestones spread over the baseline; forecasts drift with the project's slip, and the
    milestones already passed have an actual date (a few live ones are overdue)."""
    milestones = []
    for project in ctx.projects:
        count = rng.randint(3, 6)
        names = [
            MILESTONE_NAMES[0],
            *sorted(rng.sample(MILESTONE_NAMES[1:-1], count - 2), key=MILESTONE_NAMES.index),
        ]
        names.append(MILESTONE_NAMES[-1] if project.state == State.CLOSED else MILESTONE_NAMES[-2])
        span = (project.baseline_end - project.baseline_start).days
        slip = (project.forecast_end - project.baseline_end).days
        for rank, name in enumerate(names):
            share = rank / (len(names) - 1)
            baseline = project.baseline_start + timedelta(days=round(span * share))
            forecast = baseline + timedelta(days=round(slip * share))
            actual = None
            if forecast < ctx.today and project.state != State.PROPOSED:
                overdue = project.state in LIVE_STATES and rng.random() < 0.05
                actual = None if overdue else min(forecast + timedelta(days=rng.randint(-3, 3)), ctx.today)
            milestones.append(
                Milestone(
                    project=project,
                    name=name,
                    baseline_date=baseline,
                    forecast_date=forecast,
                    actual_date=actual,
                    weight=Decimal(rng.choice([1, 1, 2, 3, 5])),
                )
            )
    Milestone.objects.bulk_create(milestones)
    ctx.count(Milestone, len(milestones))


def _seed_dependencies(ctx: DemoContext, rng: random.Random) -> None:
    candidates = [project for project in ctx.projects if project.state in (*LIVE_STATES, State.PROPOSED)]
    if len(candidates) < 2:
        return
    seen: set[tuple[int, int]] = set()
    dependencies = []
    for _attempt in range(len(ctx.projects) // 5):
        source, target = rng.sample(candidates, 2)
        if (source.pk, target.pk) in seen or (target.pk, source.pk) in seen:
            continue
        seen.add((source.pk, target.pk))
        dependencies.append(
            ProjectDependency(
                from_project=source,
                to_project=target,
                kind=rng.choice(ProjectDependency.Kind.values),
                criticality=rng.choices(ProjectDependency.Criticality.values, weights=[3, 5, 2])[0],
                note=rng.choice(DEPENDENCY_NOTES),
            )
        )
    ProjectDependency.objects.bulk_create(dependencies)
    ctx.count(ProjectDependency, len(dependencies))


def _seed_status_history(ctx: DemoContext, rng: random.Random) -> None:
    """Up to a year of weekly reports per live project, with a week missed now and then; about a fifth
    have not yet reported this week (pm1 has both kinds); each project's last report is then its latest."""
    this_week = period_of(ctx.today)
    live = [project for project in ctx.projects if project.state in LIVE_STATES]
    late_reporters = {project.pk for project in live if rng.random() < NOT_REPORTED_SHARE}
    pm1 = ctx.project_managers[0] if ctx.project_managers else None
    mine = [project for project in live if pm1 and project.project_manager_id == pm1.pk]
    if len(mine) >= 2:
        late_reporters.add(mine[0].pk)
        late_reporters.discard(mine[1].pk)
    reports = []
    latest: dict[int, StatusReport] = {}
    for project in live:
        started = period_of(max(project.baseline_start, this_week - timedelta(weeks=HISTORY_WEEKS)))
        newest = 1 if project.pk in late_reporters else 0
        skips = rng.choices(SKIP_RATES, weights=SKIP_WEIGHTS)[0]
        periods = [
            this_week - timedelta(weeks=weeks_ago)
            for weeks_ago in range(HISTORY_WEEKS - 1, newest - 1, -1)
            if this_week - timedelta(weeks=weeks_ago) >= started
            # The last two weeks are as NOT_REPORTED_SHARE says; before, a week is missed now and then.
            and (weeks_ago < 2 or rng.random() >= skips)
        ]
        history = _history(project, periods, rng)
        reports.extend(history)
        if history:
            latest[project.pk] = history[-1]
    StatusReport.objects.bulk_create(reports)
    ctx.count(StatusReport, len(reports))
    for project in ctx.projects:
        project.last_report = latest.get(project.pk)
    Project.objects.bulk_update([project for project in ctx.projects if project.last_report], ["last_report"])


def _history(project: Project, periods: list[date], rng: random.Random) -> list[StatusReport]:
    if not periods:
        return []
    colours = _trend(rng, len(periods), late=(project.forecast_end - project.baseline_end).days > 60)
    pace = rng.uniform(0.9, 1.0)  # reported % complete, against the pace of the forecast
    cpi = rng.uniform(0.8, 1.1) if colours[-1] == Rag.GREEN else rng.uniform(0.8, 0.95)
    driver = rng.choices(StatusReport.DIMENSIONS, weights=[5, 3, 1, 2])[0]
    budget = project.budget or Decimal(0)
    percent, cost = Decimal(0), Decimal(0)
    reports = []
    for period, colour in zip(periods, colours, strict=True):
        done = Decimal(round(100 * pace * _progress(project, period + timedelta(days=4))))
        percent = min(max(percent, done), Decimal(99))
        earned = budget * percent / 100
        cost = max(
            cost, (earned / Decimal(str(round(cpi * rng.uniform(0.97, 1.03), 3)))).quantize(Decimal(1))
        )
        dimensions = dict.fromkeys(StatusReport.DIMENSIONS, Rag.GREEN)
        dimensions[driver] = colour
        other = rng.choice(StatusReport.DIMENSIONS)
        if colour == Rag.RED and other != driver and rng.random() < 0.3:
            dimensions[other] = Rag.AMBER
        red_help = colour == Rag.RED and rng.random() < 0.6
        reports.append(
            StatusReport(
                project=project,
                period=period,
                revision=1,
                is_latest=True,
                overall_rag=colour,
                **dimensions,
                percent_complete=percent,
                actual_cost=cost,
                forecast_at_completion=(budget / Decimal(str(round(cpi, 3)))).quantize(Decimal(1)),
                summary=rng.choice(SUMMARIES[colour]),
                achievements=rng.choice(ACHIEVEMENTS),
                next_steps=rng.choice(NEXT_STEPS),
                help_needed=rng.choice(HELP_NEEDED) if red_help or rng.random() < 0.05 else "",
                explanation="" if colour == Rag.GREEN else rng.choice(EXPLANATIONS),
                submitted_by_id=project.project_manager_id,
            )
        )
    return reports


def _trend(rng: random.Random, weeks: int, *, late: bool) -> list[str]:
    """The overall RAG of each week, oldest first. A project forecast well past its baseline slips more."""
    weights = [40, 15, 35, 10] if late else TREND_WEIGHTS
    trend = rng.choices(TRENDS, weights=weights)[0]
    if trend in ("green", "amber") or weeks < 3:
        return [Rag.GREEN if trend != "amber" else Rag.AMBER] * weeks
    first, second = sorted(rng.sample(range(1, weeks + 2), 2))
    steps = [Rag.GREEN, Rag.AMBER, Rag.RED] if trend == "slipping" else [Rag.RED, Rag.AMBER, Rag.GREEN]
    return [steps[0] if week < first else steps[1] if week < second else steps[2] for week in range(weeks)]
