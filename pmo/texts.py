"""Texts the application writes into rows, worded in the reader's language when they are shown.

A standard agenda item ("Follow-up of the previous meeting's actions"), a stage gate's title, why an item
is on the agenda: written once, read by French and English readers alike. Such a text is stored as a
key and its parameters (`title_key`, `title_params` beside the row's `title`), and `render` words it in
the active language at display time: the page, the PDF, the email and the calendar each activate their
reader's language first. The row's plain column keeps the wording of the moment it was written, for
search, sorting and anything that reads the column; a text a person typed has no key and is shown as
typed.

Each app words its own keys in its `texts` module (`governance.texts`, `risks.texts`), with functions
registered under `<app>.<name>`: the key names the app whose module is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

Wording = Callable[..., str]
_WORDINGS: dict[str, Wording] = {}


def wording(key: str) -> Callable[[Wording], Wording]:
    """Register the function that words `key` (its keyword arguments are the stored parameters)."""

    def register(function: Wording) -> Wording:
        _WORDINGS[key] = function
        return function

    return register


@dataclass(frozen=True)
class Text:
    """A generated text: its key and JSON-serialisable parameters; `str()` words it in the active language."""

    key: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.key, self.params)

    def stored(self, name: str) -> dict:
        """The model fields that hold it as a row's `<name>` text (`<name>_key`, `<name>_params`)."""
        return {f"{name}_key": self.key, f"{name}_params": self.params}


def columns(name: str, text: Text) -> dict:
    """Every field of a row's `<name>` text: the key, its parameters, and the column worded in the site's
    language (for code that writes rows directly, as the demo does)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {name: str(text), **text.stored(name)}


def stored(name: str, text: Text | None) -> dict:
    """`text.stored(name)`, or no fields at all for a text a person typed."""
    return text.stored(name) if text is not None else {}


def render(key: str, params: dict | None = None, *, fallback: str = "") -> str:
    """`key` worded in the active language, or `fallback` (the row's own column) when there is no key,
    or its wording is gone or does not fit the stored parameters."""
    function = _lookup(key) if key else None
    if function is None:
        return fallback
    try:
        return function(**(params or {}))
    except (TypeError, KeyError, ValueError):
        return fallback


def _lookup(key: str) -> Wording | None:
    if key not in _WORDINGS:
        app = key.partition(".")[0]
        if apps.is_installed(app):
            try:
                import_module(f"{app}.texts")
            except ModuleNotFoundError:
                return None
    return _WORDINGS.get(key)


def in_each_language(**names: str) -> dict:
    """A parameter that is itself data in two languages (a phase's `name` and `name_en`), by language."""
    return {language: name for language, name in names.items() if name}


def localised(value: str | dict) -> str:
    """A parameter from `in_each_language` in the active language (else the site's, else any), or a
    plain value as it is."""
    if not isinstance(value, dict):
        return str(value)
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()), "")


def day(value: str | date | None) -> str:
    """A stored ISO date, in the reader's short date format."""
    if not value:
        return ""
    return date_format(date.fromisoformat(value) if isinstance(value, str) else value, "SHORT_DATE_FORMAT")


def key_field() -> models.CharField:
    """The key of a row's generated text: blank for a text a person typed."""
    return models.CharField(_("generated text"), max_length=60, blank=True, editable=False)


def params_field() -> models.JSONField:
    return models.JSONField(_("generated text's parameters"), default=dict, blank=True, editable=False)
