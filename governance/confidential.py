"""What a reader is shown of a meeting that touches a project they may not see.

The rule is `Project.objects.visible_to` (docs/confidentiality.md). A meeting's agenda is the
committee's, and its items name projects the committee chose; a reader who may not see one of them
sees the item as a "Confidential item": no code, no name, no reason, no minutes, no presenter, and
none of the decisions or actions recorded under it. A free-text title or reason that spells out a
hidden project's code or name is hidden the same way, whatever project the item is about.

A `Veil` is built once per request (one query: the confidential projects the reader may not see) or
once per pack and minutes PDF, which are built for everyone who reads the committee
(`Veil.for_committee`), then applied to lists already read: it adds no query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portfolio.models import Project

CONFIDENTIAL_ITEM = _("Confidential item")


@dataclass(frozen=True)
class Veil:
    hidden_ids: frozenset[int] = frozenset()
    words: tuple[str, ...] = ()  # the hidden projects' codes and names, casefolded

    @classmethod
    def of(cls, projects) -> Veil:
        rows = list(projects.values_list("pk", "code", "name"))
        words = {w.casefold() for _pk, code, name in rows for w in (code, name) if w}
        return cls(frozenset(pk for pk, *_ in rows), tuple(sorted(words)))

    @classmethod
    def for_reader(cls, user) -> Veil:
        return cls.of(Project.objects.hidden_from(user))

    @classmethod
    def for_committee(cls, committee_id: int) -> Veil:
        """For a document built once and read by anyone who reads the committee."""
        seen = Project.objects.seen_by_every_member_of(committee_id)
        return cls.of(Project.objects.filter(confidential=True).exclude(pk__in=seen.values("pk")))

    def __bool__(self) -> bool:
        return bool(self.hidden_ids)

    def mentions(self, *texts: str) -> bool:
        if not self.words:
            return False
        folded = " ".join(t for t in texts if t).casefold()
        return any(word in folded for word in self.words)

    def hides_project(self, project_id: int | None) -> bool:
        return project_id is not None and project_id in self.hidden_ids

    def keeps(self, record) -> bool:
        """A decision, an action, a risk: shown unless about a hidden project or naming one."""
        return not self.hides_project(getattr(record, "project_id", None)) and not self.mentions(
            getattr(record, "title", ""), getattr(record, "reference", "")
        )

    def filter(self, records: Iterable) -> list:
        return [record for record in records if self.keeps(record)]

    def hides(self, item) -> bool:
        return self.hides_project(item.project_id) or self.mentions(item.title, item.reason)

    def items(self, items: list) -> list:
        """Agenda items as the reader may read them (changed in memory, never saved), with the
        decisions and actions prefetched under them left to those the reader may read."""
        for item in items:
            item.is_confidential = bool(self) and self.hides(item)
            if item.is_confidential:
                veil_item(item)
            cache = getattr(item, "_prefetched_objects_cache", {})
            for name in ("decisions", "actions"):
                if name in cache:
                    cache[name] = [] if item.is_confidential else self.filter(cache[name])
        return items


def hidden_count(items: list) -> int:
    """How many of `items` a veil turned into "Confidential item"."""
    return sum(1 for item in items if getattr(item, "is_confidential", False))


def veil_item(item) -> None:
    item.title = CONFIDENTIAL_ITEM  # lazy: in the language of whoever reads it
    item.title_key = item.reason_key = ""
    item.reason = ""
    item.minutes = ""
    item.project = None
    item.presenter = None
    item.gate_review = None
    item.withdrawn_reason = ""
    item.is_confidential = True
