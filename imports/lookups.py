"""Finding the directorate, portfolio, phase or person a cell names, by code or name.

One Lookups per import run: each kind's rows are read once, then every row is answered from
memory. Directorates and portfolios a mapping allows to be created are created in the import's
transaction (so a dry run, rolled back, leaves none behind).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from imports.parsing import ParseError, normalise
from pmo.models import Directorate, User
from pmo.roles import Role
from portfolio.models import Phase, Portfolio


class Lookup:
    def __init__(
        self, *, keys: tuple[str, ...], queryset: Any, missing: Any, ambiguous: Any, creatable: bool = False
    ) -> None:
        self.keys = keys
        self.queryset = queryset
        self.missing = missing  # 'No directorate is called “%(value)s”.'
        self.ambiguous = ambiguous
        self.creatable = creatable
        self._index: dict[str, set[int]] | None = None
        self._names: dict[int, str] = {}
        self._created_in_row: list[tuple[list[str], int]] = []

    def _load(self) -> dict[str, set[int]]:
        if self._index is None:
            self._index = defaultdict(set)
            for obj in self.queryset:
                self._remember(obj)
        return self._index

    def _remember(self, obj: Model) -> list[str]:
        assert self._index is not None
        names = []
        for key in self.keys:
            value = self._value(obj, key)
            if value:
                names.append(normalise(value))
                self._index[normalise(value)].add(obj.pk)
        self._names[obj.pk] = str(obj)
        return names

    @staticmethod
    def _value(obj: Model, key: str) -> str:
        if key == "full_name":
            return obj.get_full_name()
        return str(getattr(obj, key) or "")

    def resolve(self, text: str, *, source: str = "") -> int:
        """The pk of the one object `text` names; ParseError when none or several do."""
        found = self._load().get(normalise(text), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise ParseError(self.ambiguous % {"value": text})
        if self.creatable:
            return self._create(code=text, name=source or text)
        raise ParseError(self.missing % {"value": text})

    def _create(self, *, code: str, name: str) -> int:
        model = self.queryset.model
        obj = model(code=code.strip(), name=" ".join(name.split())[:200])
        try:
            obj.full_clean()
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
            raise ParseError(
                _("“%(value)s” cannot be created: %(errors)s") % {"value": code, "errors": messages}
            ) from None
        obj.save()
        self._load()
        self._created_in_row.append((self._remember(obj), obj.pk))
        return obj.pk

    def display(self, pk: int | None) -> str:
        if pk is None:
            return ""
        self._load()
        if pk not in self._names:
            obj = self.queryset.model._default_manager.filter(pk=pk).first()
            self._names[pk] = str(obj) if obj else str(pk)
        return self._names[pk]

    def row_committed(self) -> None:
        self._created_in_row.clear()

    def row_rolled_back(self) -> None:
        """Forget what this row created: its savepoint is rolled back, the rows no longer exist."""
        for names, pk in self._created_in_row:
            for name in names:
                self._load()[name].discard(pk)
        self._created_in_row.clear()


class PeopleLookup(Lookup):
    """People by username, email or full name; a project manager must hold the role."""

    def __init__(self, *, managers_only: bool = False) -> None:
        super().__init__(
            keys=("username", "email", "full_name"),
            queryset=User.objects.filter(is_active=True),
            missing=_("No one is called “%(value)s” (username, email or full name)."),
            ambiguous=_("Several people are called “%(value)s”: use a username."),
        )
        self.managers_only = managers_only
        self._managers: set[int] | None = None

    def resolve(self, text: str, *, source: str = "") -> int:
        pk = super().resolve(text, source=source)
        if self.managers_only:
            if self._managers is None:
                self._managers = set(
                    User.objects.with_role(Role.PROJECT_MANAGER).values_list("pk", flat=True)
                )
            if pk not in self._managers:
                raise ParseError(_("%(person)s is not a project manager.") % {"person": self.display(pk)})
        return pk


class Lookups:
    """The lookups of one import run, by field name."""

    def __init__(self, *, create: list[str] | tuple[str, ...] = ()) -> None:
        self.by_field: dict[str, Lookup] = {
            "directorate": Lookup(
                keys=("code", "name"),
                queryset=Directorate.objects.all(),
                missing=_("No directorate is called “%(value)s”."),
                ambiguous=_("Several directorates are called “%(value)s”: use a code."),
                creatable="directorate" in create,
            ),
            "portfolio": Lookup(
                keys=("code", "name"),
                queryset=Portfolio.objects.all(),
                missing=_("No portfolio is called “%(value)s”."),
                ambiguous=_("Several portfolios are called “%(value)s”: use a code."),
                creatable="portfolio" in create,
            ),
            "phase": Lookup(
                keys=("name", "name_en"),
                queryset=Phase.objects.all(),
                missing=_("No phase is called “%(value)s”."),
                ambiguous=_("Several phases are called “%(value)s”."),
            ),
            "project_manager": PeopleLookup(managers_only=True),
            "sponsor": PeopleLookup(),
        }

    def __getitem__(self, name: str) -> Lookup:
        return self.by_field[name]

    def row_committed(self) -> None:
        for lookup in self.by_field.values():
            lookup.row_committed()

    def row_rolled_back(self) -> None:
        for lookup in self.by_field.values():
            lookup.row_rolled_back()
