"""The PMO's executive pack: the draft of a period's monthly or quarterly whole-portfolio report, its
publication, and the reports built from each publication. The only code that writes `ExecutivePack` and
`PackPublication` rows.

- `pack_open` gives the one draft of a kind and period, creating it if there is none: opening twice
  (the PMO's form, the scheduled run) never makes two.
- `pack_save` writes the draft's content with optimistic locking: the caller says which revision it
  edited; if someone saved since, nothing is written and `PackConflict` carries both versions (the page
  answers 409 and shows them). A save that changes the content of a published pack reopens it as a
  draft; a save that changes nothing writes nothing.
- `pack_publish` freezes the content as the next numbered `PackPublication` (1, 2... every version
  kept), marks the pack published, and asks for the report in every language built from it: the first
  report of that identity (`reports.report_request`), or a new version of it (`reports.report_regenerate`).
  The reports are queued once the transaction commits; each is emailed to the subscribers of its
  language when built (`distribution.is_distributed`: once per publication). A pack published and not
  changed since is not published again (`NothingToPublish`).
- When `PackPolicy` says a kind waits for the PMO, the scheduled run opens the period's draft instead of
  asking for the reports (`tasks.scheduled_report`); the reports go out when the PMO publishes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from reporting.models import ExecutivePack, PackPublication, Report
from reporting.models.pack import CURATED_KINDS
from reporting.pdf.content import common
from reporting.pdf.content.common import TableRow
from reporting.periods import Period
from reporting.reports import report_regenerate, report_request

KINDS = [kind for kind, _label in CURATED_KINDS]
MESSAGE_LENGTH = 600  # a key message, a comment: a few sentences, not a chapter
TITLE_LENGTH = 200


class PackConflict(Exception):
    """Someone saved the pack since the form was opened: nothing was written. `current` is the pack as
    saved; `submitted` the content that was refused (None for a publication)."""

    def __init__(self, current: ExecutivePack, submitted: dict | None) -> None:
        super().__init__(f"{current} was saved meanwhile (revision {current.revision})")
        self.current, self.submitted = current, submitted


class NothingToPublish(Exception):
    """The pack is published and has not changed since: its latest publication stands."""


def period_of(pack: ExecutivePack) -> Period:
    return Period(Report.PERIODIC[pack.kind], pack.period)


def last_complete(kind: str, today) -> Period:
    """The default period of a new pack: the last month or quarter that has ended."""
    return Period.containing(Report.PERIODIC[kind], today).previous()


def cleaned(content: dict) -> dict:
    """The content as a pack stores it: texts stripped, empty rows and comments left out, in order."""
    texts = [str(text).strip() for text in content.get("key_messages") or []]
    decisions = [
        {"title": str(row.get("title", "")).strip(), "detail": str(row.get("detail", "")).strip()}
        for row in content.get("decisions_expected") or []
    ]
    return {
        "key_messages": [text for text in texts if text],
        "decisions_expected": [row for row in decisions if row["title"]],
        "section_comments": {
            code: str(text).strip() for code, text in (content.get("section_comments") or {}).items() if text
        },
        "project_comments": {
            code: str(text).strip() for code, text in (content.get("project_comments") or {}).items() if text
        },
    }


def pack_open(*, kind: str, period: Period, user) -> tuple[ExecutivePack, bool]:
    """The draft of this kind and period for the whole portfolio, created if there is none. Returns the
    pack and whether it was created."""
    if kind not in KINDS or period.frequency != Report.PERIODIC[kind]:
        raise ValueError(f"No executive pack for a {kind} report of the {period.frequency} {period}")
    return ExecutivePack.objects.get_or_create(
        kind=kind, period=period.start, defaults={"opened_by": user, "updated_by": user}
    )


@transaction.atomic
def pack_save(pack: ExecutivePack, *, content: dict, revision: int, user) -> ExecutivePack:
    """Write the draft's content, if `revision` is still the pack's (else `PackConflict`). Bumps the
    revision and reopens a published pack as a draft when the content changes."""
    content = cleaned(content)
    current = ExecutivePack.objects.select_for_update().get(pk=pack.pk)
    if current.revision != revision:
        raise PackConflict(current, content)
    if content == current.content():
        return current
    for name, value in content.items():
        setattr(current, name, value)
    current.revision += 1
    current.state = ExecutivePack.State.DRAFT
    current.updated_by = user
    current.save()
    return current


@transaction.atomic
def pack_publish(pack: ExecutivePack, *, user, revision: int | None = None) -> PackPublication:
    """Publish the pack as it is saved (as at `revision`, when given: else `PackConflict`): its next
    publication, and the reports built from it in every language, queued once this commits."""
    current = ExecutivePack.objects.select_for_update().get(pk=pack.pk)
    if revision is not None and current.revision != revision:
        raise PackConflict(current, None)
    latest = current.publications.order_by("-number").first()
    if latest is not None and current.state == ExecutivePack.State.PUBLISHED:
        raise NothingToPublish(latest)
    publication = PackPublication.objects.create(
        pack=current,
        number=(latest.number if latest else 0) + 1,
        content=current.content(),
        published_by=user,
    )
    current.state = ExecutivePack.State.PUBLISHED
    current.save(update_fields=["state"])
    for language, _name in settings.LANGUAGES:
        report, created = report_request(
            kind=current.kind, language=language, period=period_of(current), by=user, publication=publication
        )
        if not created:
            report_regenerate(report, by=user, publication=publication)
    return publication


def draft_report(pack: ExecutivePack, *, language: str, content: dict | None = None) -> Report:
    """An unsaved report of the pack's kind and period built from the draft (an unsaved publication of
    `content`, by default the pack's): what the preview renders through the report's own build."""
    report = Report(kind=pack.kind, period=pack.period, language=language)
    report.publication = PackPublication(
        pack=pack, number=0, content=cleaned(pack.content() if content is None else content)
    )
    return report


def pack_exceptions(pack: ExecutivePack) -> list[TableRow]:
    """The exceptional projects the pack's report lists (the worst first, as many as it shows), as at the
    end of its period: the report's own selection (`content.common.exceptions`)."""
    report = Report(kind=pack.kind, period=pack.period, language=settings.LANGUAGE_CODE)
    on = common.as_at(report)
    table = common.portfolio_table(common.figures_of(report).snapshot(on), on=on)
    return common.exceptions(table)[: common.EXCEPTIONS_SHOWN]
