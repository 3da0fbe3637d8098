"""What a value may become on the values step: each field's choices and references, and first guesses."""

from __future__ import annotations

from typing import Any

from imports.fields import CHOICE, FOREIGN, TARGETS, Target, choice_key
from imports.parsing import normalise
from pmo.models import Directorate, User
from pmo.roles import Role
from portfolio.models import Phase, Portfolio


class TargetOptions:
    """Options per field as (value a mapping stores, label), read once per page (five queries)."""

    def __init__(self) -> None:
        self.options: dict[str, list[tuple[str, str]]] = {
            target.name: [(value, str(label)) for value, label in target.choices]
            for target in TARGETS
            if target.kind == CHOICE
        }
        self._names: dict[str, dict[str, str]] = {
            target.name: target.choice_names() for target in TARGETS if target.kind == CHOICE
        }
        self._add("directorate", Directorate.objects.filter(is_active=True), "code", ("code", "name"))
        self._add("portfolio", Portfolio.objects.all(), "code", ("code", "name"))
        self._add("phase", Phase.objects.all(), "name", ("name", "name_en"))
        people = ("username", "email", "full_name")
        self._add("project_manager", User.objects.with_role(Role.PROJECT_MANAGER), "username", people)
        self._add("sponsor", User.objects.filter(is_active=True), "username", people)

    def _add(self, name: str, queryset, stored: str, keys: tuple[str, ...]) -> None:
        options, names = [], {}
        for obj in queryset:
            value = getattr(obj, stored)
            label = (
                f"{value} — {obj}"
                if stored == "code"
                else (f"{obj} ({value})" if stored == "username" else str(obj))
            )
            options.append((value, label))
            for key in keys:
                text = obj.get_full_name() if key == "full_name" else getattr(obj, key)
                if text:
                    names.setdefault(normalise(text), value)
        self.options[name] = options
        self._names[name] = names

    def guess(self, target: Target, text: Any) -> str | None:
        """The option a value names by itself (a choice's label, a directorate's code...), if any."""
        if target.kind not in (CHOICE, FOREIGN):
            return None
        if target.kind == CHOICE:
            return self._names.get(target.name, {}).get(choice_key(text))
        return self._names.get(target.name, {}).get(normalise(text))
