"""Capacity and demand written by an import (HR's capacity CSV, the projects' demand) and the API.

Rules:
- a capacity row upserts the one capacity of its (directorate, role, month): only the PMO and
  administrators change capacity;
- a demand row upserts the one demand of its (project, role, month, person) (no person: the project's
  unnamed line): whoever may change the project (`Project.objects.editable_by`);
- FTE between 0 and 10,000, two decimals at most; a role is named by its code or its name (either
  language), a directorate by its code, a person by their username or email;
- every write keeps its history, names `updated_by` (the import has no `source` field here: the
  history's user and date say it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.cells import normalise
from imports.datasheets import MONTH, NUMBER, DataField, DataKind, DataRow, ProjectsByCode
from imports.results import CREATE, ERROR, UNCHANGED, UPDATE, RowResult
from pmo.models import Directorate, User
from pmo.roles import Role
from portfolio.models import Project
from resources.models import Capacity, Demand, ResourceRole
from resources.models.capacity import FTE_MAX


def save_capacity(*, directorate: Directorate, role: ResourceRole, month: date, fte: Decimal, by) -> str:
    """Upsert one capacity; CREATE, UPDATE or UNCHANGED."""
    found = Capacity.objects.filter(directorate=directorate, role=role, month=month).first()
    if found is not None and found.fte == fte:
        return UNCHANGED
    record = found or Capacity(directorate=directorate, role=role, month=month)
    record.fte, record.updated_by = fte, by
    record._history_user = by
    record.save()
    return UPDATE if found else CREATE


def save_demand(*, project: Project, role: ResourceRole, month: date, fte: Decimal, person, by) -> str:
    """Upsert one demand line (the person's, or the project's unnamed one); CREATE, UPDATE or UNCHANGED."""
    found = Demand.objects.filter(project=project, role=role, month=month, person=person).first()
    if found is not None and found.fte == fte:
        return UNCHANGED
    record = found or Demand(project=project, role=role, month=month, person=person)
    record.fte, record.updated_by = fte, by
    record._history_user = by
    record.save()
    return UPDATE if found else CREATE


def may_change_capacity(user) -> bool:
    return user is None or user.has_role(Role.PMO, Role.ADMINISTRATOR)


def check_fte(fte: Decimal) -> str | None:
    if fte != fte.quantize(Decimal("0.01")):
        return _("At most two decimals.")
    if fte < 0 or fte > FTE_MAX:
        return _("Between 0 and %(max)s FTE.") % {"max": FTE_MAX}
    return None


class _PeopleImport:
    def __init__(self, *, by) -> None:
        self.by = by
        self.roles: dict[str, ResourceRole] = {}
        for role in ResourceRole.objects.all():
            for key in (role.code, role.name, role.name_en):
                self.roles.setdefault(normalise(key), role)
        self.seen: dict[tuple, int] = {}

    def _role(self, row: DataRow) -> ResourceRole | None:
        if not row.value("role"):
            return None
        role = self.roles.get(normalise(row.value("role")))
        if role is None:
            row.error("role", _("No role has this code or name."))
        return role

    def _fte(self, row: DataRow) -> Decimal | None:
        fte = row.value("fte")
        if fte is not None:
            problem = check_fte(fte)
            if problem:
                row.error("fte", problem)
                return None
        return fte

    def _once(self, row: DataRow, key: tuple) -> bool:
        if key in self.seen:
            row.error("month", _("Line %(row)s of this sheet says it already.") % {"row": self.seen[key]})
            return False
        self.seen[key] = row.number
        return True

    def finish(self) -> None:
        pass


class CapacityImport(_PeopleImport):
    def __init__(self, *, by) -> None:
        super().__init__(by=by)
        self.directorates = {normalise(d.code): d for d in Directorate.objects.all()}

    def row(self, row: DataRow, result: RowResult) -> str:
        if not may_change_capacity(self.by):
            row.error("directorate", _("Only the PMO and administrators change capacity."))
            return ERROR
        directorate = None
        if row.value("directorate"):
            directorate = self.directorates.get(normalise(row.value("directorate")))
            if directorate is None:
                row.error("directorate", _("No directorate has this code."))
        role, month, fte = self._role(row), row.value("month"), self._fte(row)
        result.key = directorate.code if directorate else ""
        result.name = f"{role.code if role else ''} {month:%Y-%m}" if month else ""
        if row.errors or None in (directorate, role, month, fte):
            return ERROR
        if not self._once(row, (directorate.pk, role.pk, month)):
            return ERROR
        return save_capacity(directorate=directorate, role=role, month=month, fte=fte, by=self.by)


class DemandImport(_PeopleImport):
    def __init__(self, *, by) -> None:
        super().__init__(by=by)
        self._project = ProjectsByCode(by=by, refusal=_("You may not change this project's demand."))
        self.people: dict[str, User | None] = {}

    def _person(self, row: DataRow) -> User | None:
        text = row.value("person")
        if not text:
            return None
        key = text.casefold()
        if key not in self.people:
            self.people[key] = (
                User.objects.filter(is_active=True)
                .filter(Q(username__iexact=text) | Q(email__iexact=text))
                .first()
            )
        if self.people[key] is None:
            row.error("person", _("No active user has this username or email."))
        return self.people[key]

    def row(self, row: DataRow, result: RowResult) -> str:
        project, role, month, fte = self._project(row), self._role(row), row.value("month"), self._fte(row)
        person = self._person(row)
        result.key = project.code if project else ""
        result.name = f"{role.code if role else ''} {month:%Y-%m}" if month else ""
        if row.errors or None in (project, role, month, fte):
            return ERROR
        if not self._once(row, (project.pk, role.pk, month, person.pk if person else None)):
            return ERROR
        return save_demand(project=project, role=role, month=month, fte=fte, person=person, by=self.by)


ROLE = DataField("role", gettext_lazy("Role"), synonyms=("role", "rôle", "profil", "compétence"))
MONTH_FIELD = DataField("month", gettext_lazy("Month"), MONTH, ("month", "mois", "période", "period", "date"))
FTE = DataField(
    "fte", gettext_lazy("FTE"), NUMBER, ("fte", "etp", "ETP", "capacity", "capacité", "demand", "demande")
)
CAPACITY = DataKind(
    name="capacity",
    title=gettext_lazy("Capacity"),
    sheet_names=("capacity", "capacité", "capacite"),
    fields=(
        DataField(
            "directorate",
            gettext_lazy("Directorate code"),
            synonyms=("directorate", "direction", "code direction"),
        ),
        ROLE,
        MONTH_FIELD,
        FTE,
    ),
    applier=CapacityImport,
    order=20,
)
DEMAND = DataKind(
    name="demand",
    title=gettext_lazy("Demand"),
    sheet_names=("demand", "demande", "demandes"),
    fields=(
        DataField(
            "project",
            gettext_lazy("Project code"),
            synonyms=("project", "projet", "code", "code projet", "code du projet"),
        ),
        ROLE,
        MONTH_FIELD,
        FTE,
        DataField(
            "person",
            gettext_lazy("Person"),
            synonyms=("person", "personne", "username", "email", "identifiant"),
            required=False,
        ),
    ),
    applier=DemandImport,
    order=30,
)
