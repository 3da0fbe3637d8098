"""Reading the audit trail: historical records turned into what a person reads on a History tab.

"14 November 2026 10:32 — Salma Bennani changed Forecast end from 30/06/2027 to 30/09/2027;
Priority from Medium to High". Each app's view only fetches the object (with the rule of the object's
page, so whoever may not see it gets 404) and says which records its tab shows (`Source`); this module
compares each record with the one before it, names the fields by their verbose name, the choices by
their label, the related objects by their `str()`, formats dates and numbers in the reader's language,
and pages newest first. A page costs the same few queries however many records it shows: one per
source, one per source for the records the oldest ones are compared with, one per kind of related
object named in the changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from pmo.templatetags.pmo_tags import money

PAGE_SIZE = 20
# History's own columns, and those no reader needs to see change (identifiers, creation stamps).
NOT_SHOWN = {"id", "created_at", "recorded_at", "submitted_at", "created_by", "recorded_by", "submitted_by"}
SHORT_TEXT = 120  # longer texts are shown in full under a disclosure, not in the sentence


@dataclass(frozen=True)
class Wording:
    """How a tab says what happened: `%(who)s` is the person, `%(subject)s` what `Source.subject`
    names (a milestone's name, a status report's week)."""

    created: str
    changed: str
    deleted: str
    # Between the sentence and its changes: a space after "Salma Bennani changed", a colon after
    # "Salma Bennani changed the milestone “Go-live”".
    joiner: str = " "


OWN = Wording(
    created=gettext_lazy("%(who)s created it"),
    changed=gettext_lazy("%(who)s changed"),
    deleted=gettext_lazy("%(who)s deleted it"),
)


@dataclass(frozen=True)
class Source:
    """One kind of historical record a tab shows, e.g. `project.history.all()`, or the records of
    the project's milestones."""

    records: models.QuerySet
    wording: Wording = OWN
    subject: Callable[[Any], str] | None = None
    # A record is compared with the previous record of the same series: the same object ("id"), or
    # for status reports, which are never changed but succeeded, the project's previous report.
    series: str = "id"
    fields: Sequence[str] | None = None  # compared and shown; default every tracked field but NOT_SHOWN
    money: Sequence[str] = ()
    percent: Sequence[str] = ()
    currency: str = ""

    @property
    def model(self) -> type[models.Model]:
        return self.records.model

    def compared_fields(self) -> list[models.Field]:
        tracked = {f.name: f for f in self.model.tracked_fields}
        if self.fields is not None:
            return [tracked[name] for name in self.fields]
        return [f for name, f in tracked.items() if name not in NOT_SHOWN]


@dataclass
class Change:
    label: str
    old: str
    new: str
    long: bool = False  # a long text: the tab shows both versions under a disclosure

    @property
    def sentence(self) -> str:
        if self.long:
            return _("%(field)s rewritten") % {"field": self.label}
        if not self.old:
            return _("%(field)s set to %(new)s") % {"field": self.label, "new": self.new}
        if not self.new:
            return _("%(field)s cleared (was %(old)s)") % {"field": self.label, "old": self.old}
        return _("%(field)s from %(old)s to %(new)s") % {
            "field": self.label,
            "old": self.old,
            "new": self.new,
        }


@dataclass
class Entry:
    when: datetime
    headline: str
    joiner: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    kind: str = "~"

    @property
    def long_changes(self) -> list[Change]:
        return [change for change in self.changes if change.long]


@dataclass
class HistoryPage:
    entries: list[Entry]
    offset: int
    next_offset: int | None  # None: nothing older


def timeline(
    sources: Sequence[Source],
    *,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    restricted: dict[type[models.Model], models.QuerySet] | None = None,
) -> HistoryPage:
    """The records of `sources`, newest first, from `offset`, `limit` of them.

    `restricted` maps a model to the objects of it the reader may see: a related object outside it
    is named without its `str()` (a confidential project's name is not shown to those who may not
    see it, even in the history of an object they may see)."""
    offset = max(offset, 0)
    fetched: list[tuple[Any, int]] = []
    for index, source in enumerate(sources):
        rows = (
            source.records.select_related("history_user")
            .annotate(previous_history_id=_previous(source))
            .order_by("-history_date", "-history_id")[: offset + limit + 1]
        )
        fetched += [(row, index) for row in rows]
    fetched.sort(key=lambda pair: (pair[0].history_date, -pair[1], pair[0].history_id), reverse=True)
    page = fetched[offset : offset + limit]
    previous = _previous_records(sources, fetched, page)

    pairs = []
    for row, index in page:
        before = previous.get((index, row.previous_history_id))
        pairs.append((row, sources[index], _differences(sources[index], row, before)))
    names = _related_names(pairs, restricted or {})
    entries = [
        entry for row, source, diffs in pairs if (entry := _entry(row, source, diffs, names)) is not None
    ]
    more = len(fetched) > offset + limit
    return HistoryPage(entries=entries, offset=offset, next_offset=offset + limit if more else None)


def render_history(request, sources: Sequence[Source], *, url: str, **kwargs):
    """The htmx partial of a History tab; `?offset=N` gives the next entries (the "Show more")."""
    try:
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        offset = 0
    page = timeline(sources, offset=offset, **kwargs)
    template = "includes/_history_entries.html" if offset else "includes/_history.html"
    return render(request, template, {"page": page, "url": url})


# --- Comparing records ------------------------------------------------------------------------------


def _previous(source: Source) -> Subquery:
    """The id of the record before this one in its series (same date: the one written before)."""
    earlier = source.model.objects.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        **{source.series: OuterRef(source.series)},
    ).order_by("-history_date", "-history_id")
    return Subquery(earlier.values("history_id")[:1])


def _previous_records(sources, fetched, page) -> dict[tuple[int, int], Any]:
    """The records the page's records are compared with: most were fetched already, the others are
    read in one query per source."""
    known = {(index, row.history_id): row for row, index in fetched}
    missing: dict[int, set[int]] = defaultdict(set)
    for row, index in page:
        key = (index, row.previous_history_id)
        if row.previous_history_id is not None and key not in known:
            missing[index].add(row.previous_history_id)
    for index, ids in missing.items():
        for row in sources[index].model.objects.filter(history_id__in=ids):
            known[(index, row.history_id)] = row
    return known


def _differences(source: Source, row, before) -> list[tuple[models.Field, Any, Any]]:
    if before is None or row.history_type == "-":
        return []
    diffs = []
    for f in source.compared_fields():
        old, new = getattr(before, f.attname), getattr(row, f.attname)
        if old != new:
            diffs.append((f, old, new))
    return diffs


def _related_names(pairs, restricted) -> dict[tuple[type, Any], str]:
    """`str()` of every related object named in the changes: one query per related model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for _row, _source, diffs in pairs:
        for f, old, new in diffs:
            if f.is_relation:
                wanted[f.related_model].update(value for value in (old, new) if value is not None)
    names: dict[tuple[type, Any], str] = {}
    for model, ids in wanted.items():
        found = model._base_manager.in_bulk(ids)
        visible = (
            set(restricted[model].filter(pk__in=ids).values_list("pk", flat=True))
            if model in restricted
            else None
        )
        for pk in ids:
            if pk not in found:
                names[(model, pk)] = _("%(model)s no longer in the application") % {
                    "model": capfirst(model._meta.verbose_name)
                }
            elif visible is not None and pk not in visible:
                names[(model, pk)] = _("a %(model)s you may not see") % {"model": model._meta.verbose_name}
            else:
                names[(model, pk)] = str(found[pk])
    return names


# --- Saying it ---------------------------------------------------------------------------------------


def _entry(row, source: Source, diffs, names) -> Entry | None:
    reason = _(row.history_change_reason) if row.history_change_reason else ""
    if row.history_type == "~" and not diffs and not reason:
        return None  # nothing a reader would see changed
    original = row.instance_type
    changes = []
    for f, old, new in diffs:
        model_field = original._meta.get_field(f.name)
        change = Change(
            label=capfirst(model_field.verbose_name),
            old=_value(source, model_field, old, names),
            new=_value(source, model_field, new, names),
        )
        if (
            isinstance(model_field, models.TextField)
            and max(len(str(old or "")), len(str(new or ""))) > SHORT_TEXT
        ):
            # Too long for a sentence: both versions in full under a disclosure.
            change.old, change.new = str(old or ""), str(new or "")
            change.long = True
        changes.append(change)
    who = str(row.history_user) if row.history_user else _("The application")
    wording = {"+": source.wording.created, "~": source.wording.changed, "-": source.wording.deleted}
    headline = str(wording[row.history_type]) % {
        "who": who,
        "subject": source.subject(row) if source.subject else "",
    }
    return Entry(
        when=row.history_date,
        headline=headline,
        joiner=str(source.wording.joiner),
        changes=changes,
        reason=reason,
        kind=row.history_type,
    )


def _value(source: Source, model_field: models.Field, value, names) -> str:
    """A value as the object's page would show it, in the reader's language; "" for nothing."""
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        return names.get((model_field.related_model, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if model_field.name in source.money:
        return money(value, source.currency or settings.DEFAULT_CURRENCY)
    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral_value() else 2
        text = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
        return f"{text}\N{NO-BREAK SPACE}%" if model_field.name in source.percent else text
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    # Free text in quotation marks, so that the sentence around it stays readable.
    text = str(value)
    if isinstance(model_field, models.TextField) and len(text) > SHORT_TEXT:
        return text  # shown in full under a disclosure (Change.long)
    return quoted(Truncator(text).chars(SHORT_TEXT))


def quoted(text: str) -> str:
    """A name inside a sentence, with the reader's language's quotation marks."""
    return pgettext("quoted name in a sentence", "“%(name)s”") % {"name": text}


JOIN_CHANGES = pgettext_lazy("history, between the sentence and its list of changes", ": ")
