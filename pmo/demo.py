"""Demo data for the core: the directorates of a banking group and its people, one demo login per role.

`manage.py seed_demo` calls `seed(ctx)` in the `demo` module of each domain
app, in the order of settings.DOMAIN_APPS, with one shared DemoContext: a
seeder reads what earlier apps put there (directorates, users, portfolios,
projects) and adds its own. A `demo` module may also define `has_data()`
(does the database already hold rows this seeder would create?) and
`reset()` (delete them); `seed_demo --reset` calls the resets in reverse
order, so rows go before the rows they point at. The seeders write no audit
trail (django-simple-history is paused while they run); once all have run, each
app's optional `seed_history(ctx)` writes the trail of its rows in bulk
(pmo.audit.record_created / record), so that the History tabs have a past.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from pmo import audit
from pmo.models import Directorate, User
from pmo.roles import Role

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from portfolio.models import Portfolio, Project

DEMO_PASSWORD = "demo"  # noqa: S105 - the published password of every demo login
EMAIL_DOMAIN = "demo.example"


@dataclass
class DemoContext:
    """One run of seed_demo: its parameters, then what the seeders have created so far."""

    rng: random.Random  # seed_demo gives each app its own stream, derived from `seed` and the app label
    seed: int
    project_count: int  # the N of --projects
    today: date
    head_office: Directorate | None = None
    directorates: list[Directorate] = field(default_factory=list)  # the units that own projects
    demo_users: dict[Role, User] = field(default_factory=dict)  # the fixed login of each role
    users_by_role: dict[Role, list[User]] = field(default_factory=dict)
    project_managers: list[User] = field(default_factory=list)  # pm1 first
    sponsors: list[User] = field(default_factory=list)
    sponsors_by_directorate: dict[int, list[User]] = field(default_factory=dict)  # by directorate id
    portfolios: list[Portfolio] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    logins: list[tuple[str, Promise | str, str]] = field(default_factory=list)  # username, role, password
    created: list[tuple[type[models.Model], int]] = field(default_factory=list)  # for the summary
    history_records: int = 0  # the audit trail's records the `seed_history` hooks wrote
    started_at: datetime = field(default_factory=timezone.now)  # the wall clock when the run began

    @property
    def morning(self) -> datetime:
        """The demo's "now": 8:00 on its anchor day. What the services did during the run is dated then."""
        return audit.local(self.today, 8)

    def dated(self, moment: datetime) -> datetime:
        """`moment` as the audit trail should tell it: a time the services stamped with the wall clock
        during the run is this morning (whatever the hour the command ran, or the day it ran on when
        anchored elsewhere), and nothing is later than this morning. Same seed and day, same trail."""
        return self.morning if moment >= self.started_at else min(moment, self.morning)

    @classmethod
    def start(cls, *, seed: int, project_count: int, today: date) -> DemoContext:
        return cls(rng=random.Random(seed), seed=seed, project_count=project_count, today=today)

    def use_stream(self, label: str) -> None:
        """Draw from now on from a stream of the seed and `label`: each app seeds from its own stream, so a
        change in one app's seeder leaves the other apps' data as it was."""
        self.rng = random.Random(f"{self.seed}:{label}")

    def count(self, model: type[models.Model], number: int) -> None:
        self.created.append((model, number))


class Unit(NamedTuple):
    code: str
    name: str
    director: tuple[str, str]  # the head's title, masculine and feminine
    weight: int  # share of the project managers who work there


HEAD_OFFICE = ("DG", "Direction Générale")
UNITS = [
    Unit(
        "DSI",
        "Direction des Systèmes d'Information",
        ("Directeur des Systèmes d'Information", "Directrice des Systèmes d'Information"),
        35,
    ),
    Unit(
        "DTD",
        "Direction de la Transformation Digitale",
        ("Directeur de la Transformation Digitale", "Directrice de la Transformation Digitale"),
        22,
    ),
    Unit("DF", "Direction Financière", ("Directeur Financier", "Directrice Financière"), 6),
    Unit(
        "DRC",
        "Direction des Risques et de la Conformité",
        ("Directeur des Risques et de la Conformité", "Directrice des Risques et de la Conformité"),
        9,
    ),
    Unit("DCOM", "Direction Commerciale", ("Directeur Commercial", "Directrice Commerciale"), 10),
    Unit("DOP", "Direction des Opérations", ("Directeur des Opérations", "Directrice des Opérations"), 11),
    Unit(
        "DRH",
        "Direction des Ressources Humaines",
        ("Directeur des Ressources Humaines", "Directrice des Ressources Humaines"),
        4,
    ),
    Unit("DJ", "Direction Juridique", ("Directeur Juridique", "Directrice Juridique"), 3),
]


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",")]


# Moroccan and French names, as in a group with offices in Casablanca and Paris.
FIRST_NAMES = (
    _words(
        "Youssef, Mehdi, Karim, Omar, Hamza, Anas, Amine, Adil, Rachid, Hicham, Nabil, Khalid, Reda, Saïd, "
        "Badr, Ayoub, Othmane, Driss, Thomas, Nicolas, Julien, Pierre, Antoine, Mathieu, Olivier, Laurent, "
        "Éric, François, Jérôme, Sébastien"
    ),
    _words(
        "Salma, Imane, Fatima Zahra, Khadija, Meryem, Nadia, Sanaa, Houda, Ghita, Zineb, Kenza, Leïla, "
        "Asmae, Hind, Loubna, Yasmine, Sophie, Camille, Claire, Isabelle, Nathalie, Émilie, Julie, Céline, "
        "Aurélie, Hélène, Marie, Anne"
    ),
)
LAST_NAMES = _words(
    "Alaoui, Bennani, El Idrissi, Benjelloun, Tazi, Berrada, Chraïbi, El Amrani, Lahlou, Fassi Fihri, "
    "Kettani, Sefrioui, Bouzidi, Ouazzani, Benkirane, Cherkaoui, Squalli, Naciri, El Fassi, Zniber, "
    "Bensouda, Guessous, Skalli, Mernissi, Hajji, Ziani, Martin, Bernard, Dubois, Durand, Lefebvre, "
    "Moreau, Girard, Roux, Fontaine, Rousseau, Lambert, Mercier, Garnier, Faure, Chevalier, Perrin"
)
PM_TITLES = [
    (("Chef de projet", "Cheffe de projet"), 6),
    (("Chef de projet senior", "Cheffe de projet senior"), 3),
    (("Directeur de programme", "Directrice de programme"), 1),
]
COMMITTEE_TITLES = [
    ("DF", ("Contrôleur de gestion", "Contrôleuse de gestion")),
    ("DSI", ("Responsable de la Sécurité des SI", "Responsable de la Sécurité des SI")),
    ("DOP", ("Directeur des Achats", "Directrice des Achats")),
    ("DRC", ("Responsable Conformité", "Responsable Conformité")),
    ("DF", ("Directeur de la Trésorerie", "Directrice de la Trésorerie")),
]
GENERATED_COMMITTEE_MEMBERS = 4


class DemoUser(NamedTuple):
    username: str
    role: Role
    first_name: str
    last_name: str
    directorate: str
    job_title: str


DEMO_USERS = [
    DemoUser("admin", Role.ADMINISTRATOR, "Julien", "Moreau", "DSI", "Administrateur de la plateforme"),
    DemoUser("pmo", Role.PMO, "Salma", "Bennani", "DTD", "Responsable du bureau des projets (PMO)"),
    DemoUser("pm1", Role.PROJECT_MANAGER, "Imane", "El Idrissi", "DSI", "Cheffe de projet"),
    DemoUser("exec", Role.EXECUTIVE, "Omar", "Berrada", "DG", "Directeur Général Adjoint"),
    DemoUser("committee", Role.COMMITTEE_MEMBER, "Claire", "Dubois", "DG", "Directrice de l'Audit Interne"),
]
DEMO_USERNAMES = [user.username for user in DEMO_USERS]


def project_manager_count(projects: int) -> int:
    """About one project manager per ten projects, never fewer than six (pm1 included)."""
    return max(6, round(projects / 10))


def has_data() -> bool:
    return Directorate.objects.exists() or User.objects.filter(username__in=DEMO_USERNAMES).exists()


def reset() -> None:
    User.objects.all().delete()
    # A unit protects its sub-units: delete from the leaves up.
    while Directorate.objects.exists():
        Directorate.objects.filter(children__isnull=True).delete()


def seed(ctx: DemoContext) -> None:
    _seed_directorates(ctx)
    _seed_users(ctx)


def _seed_directorates(ctx: DemoContext) -> None:
    ctx.head_office = Directorate.objects.create(code=HEAD_OFFICE[0], name=HEAD_OFFICE[1])
    ctx.directorates = Directorate.objects.bulk_create(
        Directorate(code=unit.code, name=unit.name, parent=ctx.head_office) for unit in UNITS
    )
    ctx.count(Directorate, 1 + len(ctx.directorates))


class _People:
    """Draws distinct people from the name lists and gives each a unique username."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[tuple[str, str]] = set()
        self.usernames: set[str] = set(DEMO_USERNAMES)

    def person(self, *, sex: int | None = None) -> tuple[int, str, str]:
        sex = self.rng.randrange(2) if sex is None else sex
        for _attempt in range(20):
            first, last = self.rng.choice(FIRST_NAMES[sex]), self.rng.choice(LAST_NAMES)
            if (first, last) not in self.names:
                break
        self.names.add((first, last))
        return sex, first, last

    def username(self, first: str, last: str) -> str:
        base = f"{_slug(first)}.{_slug(last)}"
        username, number = base, 1
        while username in self.usernames:
            number += 1
            username = f"{base}{number}"
        self.usernames.add(username)
        return username


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(ascii_name.lower().split())


def _seed_users(ctx: DemoContext) -> None:
    # Hashing is slow on purpose (hundreds of thousands of iterations): once for everybody.
    password = make_password(DEMO_PASSWORD)
    rng = ctx.rng
    units = {unit.code: directorate for unit, directorate in zip(UNITS, ctx.directorates, strict=True)}
    units[HEAD_OFFICE[0]] = ctx.head_office
    people = _People(rng)
    planned: list[tuple[User, Role]] = []

    def add(role: Role, username: str, first: str, last: str, directorate: Directorate, title: str) -> User:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{EMAIL_DOMAIN}",
            directorate=directorate,
            job_title=title,
            password=password,
        )
        planned.append((user, role))
        ctx.users_by_role.setdefault(role, []).append(user)
        return user

    for spec in DEMO_USERS:
        people.names.add((spec.first_name, spec.last_name))
        user = add(
            spec.role, spec.username, spec.first_name, spec.last_name, units[spec.directorate], spec.job_title
        )
        user.email = f"{_slug(spec.first_name)}.{_slug(spec.last_name)}@{EMAIL_DOMAIN}"
        user.is_staff = user.is_superuser = spec.role == Role.ADMINISTRATOR
        ctx.demo_users[spec.role] = user
        ctx.logins.append((spec.username, spec.role.label, DEMO_PASSWORD))

    ctx.project_managers = [ctx.demo_users[Role.PROJECT_MANAGER]]
    titles, title_weights = zip(*PM_TITLES, strict=True)
    for _index in range(project_manager_count(ctx.project_count) - 1):
        unit = rng.choices(UNITS, weights=[unit.weight for unit in UNITS])[0]
        sex, first, last = people.person()
        title = rng.choices(titles, weights=title_weights)[0][sex]
        ctx.project_managers.append(
            add(Role.PROJECT_MANAGER, people.username(first, last), first, last, units[unit.code], title)
        )

    # Sponsors are the directors: the head of each unit, and sometimes a deputy.
    for unit, directorate in zip(UNITS, ctx.directorates, strict=True):
        heads = 2 if rng.random() < 0.5 else 1
        for rank in range(heads):
            sex, first, last = people.person()
            title = unit.director[sex] + ("" if rank == 0 else (" adjoint", " adjointe")[sex])
            sponsor = add(Role.EXECUTIVE, people.username(first, last), first, last, directorate, title)
            ctx.sponsors.append(sponsor)
            ctx.sponsors_by_directorate.setdefault(directorate.pk, []).append(sponsor)

    for code, title in rng.sample(COMMITTEE_TITLES, GENERATED_COMMITTEE_MEMBERS):
        sex, first, last = people.person()
        add(Role.COMMITTEE_MEMBER, people.username(first, last), first, last, units[code], title[sex])

    User.objects.bulk_create(user for user, _role in planned)
    groups = _role_groups()
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=groups[role].pk) for user, role in planned
    )
    ctx.count(User, len(planned))


def _role_groups() -> dict[Role, Group]:
    """The group of each role; a data migration creates them, this only repairs a database that lost one."""
    groups = Group.objects.in_bulk(Role.values, field_name="name")
    missing = [Group(name=name) for name in Role.values if name not in groups]
    if missing:
        for group in Group.objects.bulk_create(missing):
            groups[group.name] = group
    return {role: groups[role.value] for role in Role}
