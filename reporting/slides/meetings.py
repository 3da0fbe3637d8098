"""A committee meeting's pack as slides: the cover (committee, date, place), the agenda as a table, and a
slide per project on the agenda with its latest status and its top risks.

It is the PDF pack's content (`reporting.pdf.content.meetings.pack_context`), read once, built for
everyone who reads the committee: a confidential item the committee does not name is "Confidential
item" there, without its project, and has no project slide.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pptx.util import Inches

from pmo.templatetags.pmo_tags import money_short
from portfolio.models import StatusReport
from reporting.models import Report
from reporting.pdf.content.meetings import ProjectPage, pack_context
from reporting.slides.deck import Deck, shorten
from reporting.slides.portfolio import DASH, rag_label
from reporting.templatetags.reporting_tags import index, percent, week_label

AGENDA_ROWS = 12  # the agenda's lines a slide holds (a long agenda goes on over several)


def build(report: Report, deck: Deck) -> None:
    context = pack_context(report)
    meeting, committee = context["meeting"], context["committee"]
    starts = timezone.localtime(meeting.starts_at)
    deck.title_slide(
        f"{committee.name} {DASH} {meeting.title}" if meeting.title else committee.name,
        [
            str(report.title),
            f"{formats.date_format(starts, 'DATE_FORMAT')} · {formats.time_format(starts, 'TIME_FORMAT')}",
            meeting.location,
        ],
    )
    agenda_slide(deck, context["items"], context["total_minutes"])
    for page in context["pages"]:
        project_slide(deck, page)


def agenda_slide(deck: Deck, items: list, total: int) -> None:
    """The agenda as a table, continued on further slides past AGENDA_ROWS items."""
    if not items:
        slide, box = deck.slide(_("Agenda"))
        deck.text(slide, box, [_("The agenda is empty.")])
        return
    rows = [
        [
            str(n),
            formats.time_format(item.planned_start, "TIME_FORMAT"),
            f"{item.shown_code} {item.display_title}".strip() if item.shown_code else item.display_title,
            str(item.get_kind_display()),
            str(item.presenter or DASH),
            str(item.planned_minutes),
        ]
        for n, item in enumerate(items, 1)
    ]
    rows.append(["", "", _("Total planned"), "", "", str(total)])
    parts = [rows[start : start + AGENDA_ROWS] for start in range(0, len(rows), AGENDA_ROWS)]
    for number, part in enumerate(parts, 1):
        title = _("Agenda")
        if len(parts) > 1:
            title = _("Agenda (%(part)d/%(parts)d)") % {"part": number, "parts": len(parts)}
        slide, box = deck.slide(title)
        deck.table(
            slide,
            box,
            ["#", _("Time"), _("Item"), _("Kind"), _("Presenter"), _("Min.")],
            part,
            widths=[0.5, 1, 6, 2.5, 2.5, 0.8],
            size=14 if len(rows) <= AGENDA_ROWS else 12,
        )


def project_slide(deck: Deck, page: ProjectPage) -> None:
    """The project's latest status (RAG per dimension, figures, narrative) and its top risks."""
    project, status, row = page.project, page.report, page.row
    slide, box = deck.slide(f"{project.code} {DASH} {project.name}")
    headers = [
        _("Overall"),
        _("Schedule"),
        _("Cost"),
        _("Scope"),
        _("Resources"),
        _("Status of"),
        _("Complete"),
        "CPI",
        "SPI",
        _("Forecast"),
    ]
    rags = [getattr(status, name, "") if status else "" for name in ("overall_rag", *StatusReport.DIMENSIONS)]
    values = [
        *(rag_label(rag) if rag else DASH for rag in rags),
        week_label(status.period) if status else _("no status report yet"),
        percent(status.percent_complete) if status else DASH,
        index(row.cpi) if row else _("n/a"),
        index(row.spi) if row else _("n/a"),
        money_short(page.forecast, project.currency),
    ]
    colours = {(0, n): rag for n, rag in enumerate(rags) if rag}
    head, rest = box.split(Inches(0.9))
    widths = [1, 1, 1, 1, 1.1, 1.1, 1.25, 0.8, 0.8, 1.3]
    deck.table(slide, head, headers, [values], colours=colours, widths=widths, size=11)
    left, right = rest.columns(2)
    narrative = [
        (_("Achievements"), status.achievements if status else ""),
        (_("Next steps"), status.next_steps if status else ""),
        (_("Help needed"), status.help_needed if status else ""),
    ]
    upper = left
    for heading, text in narrative:
        part, upper = upper.split(left.height // 3 - Inches(0.1))
        deck.text(slide, part, [shorten(text, 300) or DASH], heading=heading, size=14)
    title, table = right.split(Inches(0.4))
    heading = _("Top risks")
    if page.open_risks:
        heading = ngettext("Top risks (%(count)d open)", "Top risks (%(count)d open)", page.open_risks) % {
            "count": page.open_risks
        }
    deck.text(slide, title, [], heading=heading, size=14)
    if not page.risks:
        deck.text(slide, table, [_("No open risk is recorded for this project.")], size=12)
        return
    rows = [
        [f"{risk.score} · {risk.level_label}", f"{risk.reference} {risk.title}", str(risk.owner or DASH)]
        for risk in page.risks
    ]
    deck.table(slide, table, [_("Level"), _("Risk"), _("Owner")], rows, widths=[1.6, 4, 2], size=12)
