"""The portfolio table of the monthly and quarterly reports (their appendix), laid out by ReportLab.

WeasyPrint lays a table out box by box: on this machine a 1,000-row, 15-column table costs it 10 to 30
seconds of CPU (docs/benchmarks.md), whatever the markup. ReportLab's `LongTable` draws the same table,
headers repeated on every page, in about a second. So the body of a report is HTML and CSS
(`reporting.pdf.render`), and its long table is drawn here and joined after it; the page numbers are
stamped over the joined document, so they run through both.

No cell runs into the next one. Codes, RAG letters, figures and dates never wrap: their column is as
wide as its widest cell (or its heading's longest word). Names wrap, in the columns that share the width
left: each is broken into lines that fit its column (`wrapped`), each row as high as its tallest cell,
the heading row repeated on every page. A cell of several lines is a plain string with line breaks
rather than a `Paragraph`: the same lines, drawn in half the time at 1,000 rows, and no markup parsed, so
what users typed prints as typed (the title and the legend, which are Paragraphs, are escaped). The
figures are written by the same filters as the HTML pages, in the active language (the caller holds
`translation.override`).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.money import reporting_currency
from pmo.templatetags.pmo_tags import money_short
from reporting.pdf.content.common import TableRow
from reporting.templatetags.report_tags import budget_variance, confidence_letter, rag_letter, signed_percent
from reporting.templatetags.reporting_tags import index, percent

logger = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
RAG_COLOURS = {
    "green": ("#2e7d32", "#ffffff"),
    "amber": ("#f9a825", "#1d2329"),
    "red": ("#c62828", "#ffffff"),
    # The assessed delivery confidence's two mixed levels (IPA's five-point scale).
    "amber_green": ("#9ccc3c", "#1d2329"),
    "amber_red": ("#e65100", "#ffffff"),
}
INK, MUTED, RULE, HEAD, GROUP, BAD = "#1d2329", "#5f6b76", "#d7dce1", "#e9eef3", "#f4f6f8", "#c62828"


@dataclass(frozen=True)
class Page:
    """What the running header and footer say (as in templates/reporting/pdf/base.html)."""

    organisation: str
    header: str  # title · scope · period
    footer: str  # generated on … · internal


@cache
def fonts() -> tuple[str, str]:
    """The reports' font, registered once per process: Liberation Sans (Arial's metrics), else DejaVu
    Sans, else ReportLab's built-in Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = [(d / "LiberationSans-Regular.ttf", d / "LiberationSans-Bold.ttf") for d in FONT_DIRS]
    candidates.append((DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"))
    for regular, bold in candidates:
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("ReportSans", str(regular)))
            pdfmetrics.registerFont(TTFont("ReportSans-Bold", str(bold)))
            return "ReportSans", "ReportSans-Bold"
    logger.warning("No Liberation or DejaVu font found: the portfolio table is set in Helvetica.")
    return "Helvetica", "Helvetica-Bold"


def headings() -> list[str]:
    return [
        _("Code"),
        _("Project"),
        _("Portfolio"),
        pgettext("overall RAG, short", "Ov."),
        pgettext("assessed delivery confidence, short", "Conf."),
        pgettext("schedule RAG, short", "Sch."),
        pgettext("cost RAG, short", "Cost"),
        pgettext("scope RAG, short", "Scope"),
        pgettext("resources RAG, short", "Res."),
        _("Complete"),
        "CPI",
        "SPI",
        _("Budget"),
        _("Forecast"),
        pgettext("forecast against budget, short", "Var."),
        _("Next milestone"),
    ]


# The columns whose text wraps (the project's name, the next milestone's), with their share of the width
# the others leave on A4 landscape (297 - 2 x 14 mm of margins = 269 mm).
WRAPPING = {1: 0.55, 15: 0.45}
RAG_COLUMNS = range(3, 9)  # the declared overall RAG, the assessed confidence, then the four dimensions
NUMBER_COLUMNS = range(9, 15)
VARIANCE = 14
BOLD_COLUMNS = {0, *RAG_COLUMNS, VARIANCE}  # the code; a RAG letter or a variance may be set in bold
SIZE, LEADING, PADDING = 7, 8.4, 3


def column_widths(header: list[str], rows: list[list[str]], *, total: float) -> list[float]:
    """The width of each column, in points: a column that does not wrap is as wide as its widest cell
    or its heading's longest word (a heading wraps between words), so that no code, figure or date is
    ever cut; the wrapping columns share the rest (never narrower than their heading's longest word)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, bold = fonts()
    widths = []
    for column, heading in enumerate(header):
        need = max((stringWidth(word, bold, SIZE) for word in heading.split()), default=0)
        if column not in WRAPPING:
            font = bold if column in BOLD_COLUMNS else regular
            need = max(need, max((stringWidth(row[column], font, SIZE) for row in rows), default=0))
        widths.append(need + 2 * PADDING + 0.5)
    rest = total - sum(width for column, width in enumerate(widths) if column not in WRAPPING)
    for column, share in WRAPPING.items():
        widths[column] = max(widths[column], rest * share)
    return widths


def wrapped(text: str, width: float, font: str, size: float = SIZE) -> str:
    """The text in lines no wider than `width` points, joined by line breaks (a plain cell of several
    lines, as high as they are): broken between words, and inside a word only when the word alone is
    wider than the column (a pasted URL; no name has such a word)."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    for line in simpleSplit(text, font, size, width):
        while len(line) > 1 and stringWidth(line, font, size) > width:
            fits = (n for n in range(len(line) - 1, 0, -1) if stringWidth(line[:n], font, size) <= width)
            cut = next(fits, 1)  # at least a character a line, however narrow the column
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return "\n".join(lines)


def own_currency(row) -> str:
    """A row's amounts are in its project's currency: written only when it is not the legend's."""
    return "" if row.currency == reporting_currency() else row.currency


def _cells(line: TableRow) -> list[str]:
    row, dims = line.project, line.dimensions
    milestone = line.next_milestone
    next_milestone = (
        f"{milestone.name} {date_format(milestone.forecast_date, 'SHORT_DATE_FORMAT')}"
        if milestone
        else "\N{EM DASH}"
    )
    return [
        row.code,
        row.name,
        row.portfolio_code or "\N{EM DASH}",
        rag_letter(row.rag),
        confidence_letter(row.confidence),
        *(
            rag_letter(dims.get(name, ""))
            for name in ("schedule_rag", "cost_rag", "scope_rag", "resources_rag")
        ),
        percent(row.percent_complete),
        index(row.cpi),
        index(row.spi),
        money_short(row.budget, own_currency(row)),
        money_short(row.forecast_at_completion, own_currency(row)),
        signed_percent(budget_variance(row)),
        next_milestone,
    ]


def portfolio_table_pdf(table: list[TableRow], *, title: str, page: Page, legend: str) -> tuple[bytes, int]:
    """The table as a PDF of A4 landscape pages, `title` as its heading and bookmark; with its page count."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus.flowables import Flowable

    regular, bold = fonts()
    colour = colors.HexColor
    width, height = landscape(A4)
    margin = 14 * mm
    header = headings()
    columns = len(header)

    data: list[list[str]] = [header]
    lines: list[int] = []  # the rows of data that are projects' lines
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), regular, SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), bold, SIZE, LEADING),
        ("FONT", (0, 1), (0, -1), bold, SIZE, LEADING),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("TEXTCOLOR", (0, 0), (-1, -1), colour(INK)),
        ("BACKGROUND", (0, 0), (-1, 0), colour(HEAD)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colour("#8a96a3")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colour(RULE)),
        ("ALIGN", (RAG_COLUMNS[0], 0), (RAG_COLUMNS[-1], -1), "CENTER"),
        ("ALIGN", (NUMBER_COLUMNS[0], 0), (NUMBER_COLUMNS[-1], -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    for line in table:
        if line.group_size:
            r = len(data)
            count = ngettext("%(counter)s project", "%(counter)s projects", line.group_size) % {
                "counter": line.group_size
            }
            group = f"{line.project.directorate_name} · {count}"
            data.append([wrapped(group, width - 2 * margin - 2 * PADDING, bold, 7.5)] + [""] * (columns - 1))
            style += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), colour(GROUP)),
                ("FONT", (0, r), (-1, r), bold, 7.5, 9),
            ]
        r = len(data)
        lines.append(r)
        data.append(_cells(line))
        rags = [line.project.rag, line.project.confidence] + [
            line.dimensions.get(name, "")
            for name in ("schedule_rag", "cost_rag", "scope_rag", "resources_rag")
        ]
        for column, rag in zip(RAG_COLUMNS, rags, strict=True):
            if rag in RAG_COLOURS:
                background, ink = RAG_COLOURS[rag]
                style += [
                    ("BACKGROUND", (column, r), (column, r), colour(background)),
                    ("TEXTCOLOR", (column, r), (column, r), colour(ink)),
                    ("FONT", (column, r), (column, r), bold, SIZE, LEADING),
                ]
            else:
                style.append(("TEXTCOLOR", (column, r), (column, r), colour(MUTED)))
        if line.overrun:
            style += [
                ("TEXTCOLOR", (VARIANCE, r), (VARIANCE, r), colour(BAD)),
                ("FONT", (VARIANCE, r), (VARIANCE, r), bold, SIZE, LEADING),
            ]
    if not table:
        data.append([_("No active project in this scope.")] + [""] * (columns - 1))
        style.append(("SPAN", (0, 1), (-1, 1)))

    widths = column_widths(header, [data[r] for r in lines], total=width - 2 * margin)
    for r in lines:
        for column in WRAPPING:
            data[r][column] = wrapped(data[r][column], widths[column] - 2 * PADDING, regular)
    data[0] = [wrapped(text, widths[n] - 2 * PADDING, bold) for n, text in enumerate(header)]

    class Bookmark(Flowable):
        """The table's heading in the PDF's outline, beside the body's (WeasyPrint's h2 are level 1)."""

        def wrap(self, *args):
            return 0, 0

        def draw(self):
            self.canv.bookmarkPage("portfolio-table")
            self.canv.addOutlineEntry(title, "portfolio-table", level=0)

    def running(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(bold, 7.5)
        canvas.setFillColor(colour(INK))
        top = height - 20 * mm + 3 * mm
        canvas.drawString(margin, top, page.organisation)
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colour(MUTED))
        canvas.drawString(margin + canvas.stringWidth(page.organisation, bold, 7.5), top, f" · {page.header}")
        canvas.setStrokeColor(colour("#c9ced4"))
        canvas.setLineWidth(0.5)
        canvas.line(margin, top - 1.5 * mm, width - margin, top - 1.5 * mm)
        canvas.drawString(margin, 16 * mm - 2 * mm - 7.5, page.footer)
        canvas.restoreState()

    heading = ParagraphStyle("heading", fontName=bold, fontSize=12.5, leading=15, textColor=colour("#0b3d6b"))
    small = ParagraphStyle("legend", fontName=regular, fontSize=7, leading=9, textColor=colour(MUTED))
    grid = LongTable(data, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle(style))
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=(width, height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=20 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=page.organisation,
    )
    legend_text = escape(" ".join(strip_tags(legend).split()), quote=False)
    story = [Bookmark(), Paragraph(escape(str(title), quote=False), heading), Spacer(0, 2 * mm)]
    story += [Paragraph(legend_text, small), Spacer(0, 2 * mm), grid]
    document.build(story, onFirstPage=running, onLaterPages=running)
    pdf = output.getvalue()
    return pdf, document.page
