"""HTML to PDF: a report template rendered in the report's language, laid out by WeasyPrint with the
static-only fetcher (`reporting.pdf.fetcher`).

A report kind may declare an `Appendix`: the long portfolio table of the monthly and quarterly reports,
printed after the body. WeasyPrint would take 10 to 30 s of CPU to lay out 1,000 rows; ReportLab draws
them in about a second (`reporting.pdf.table`). The body is laid out without page numbers, the two PDFs
are joined with pypdf, and "Page X of Y" is stamped on every page from one more WeasyPrint document that
has nothing but those margin boxes, so the numbers run through the whole report. The body's and the
appendix's bookmarks are kept.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reporting.pdf import BASE_URL

logger = logging.getLogger(__name__)

# Documents that are to be joined carry no page numbers of their own: the stamp puts them on after.
_NO_PAGE_NUMBERS = "@page { @bottom-right { content: none !important; } }"
PAGE_NUMBERS_TEMPLATE = "reporting/pdf/page_numbers.html"


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)  # URLs the fetcher turned down


@dataclass(frozen=True)
class Appendix:
    """The portfolio table printed after a report's body, on landscape pages (`reporting.pdf.table`).

    `rows` names the context entry that holds its lines (a list of `content.common.TableRow`); `title` is
    its heading and bookmark. The body's template does not print the table itself.
    """

    title: str
    rows: str = "table"


def html_of(template_name: str, context: dict[str, Any], *, language: str) -> str:
    with translation.override(language):
        return render_to_string(template_name, context)


def render_html(html: str, *, page_numbers: bool = True) -> Rendered:
    # Imported late: no page view needs WeasyPrint, and it takes a while to load.
    from weasyprint import CSS, HTML

    from reporting.pdf.fetcher import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    stylesheets = None if page_numbers else [CSS(string=_NO_PAGE_NUMBERS)]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(stylesheets=stylesheets)
    pdf = document.write_pdf()
    return Rendered(pdf=pdf, pages=len(document.pages), refused=fetcher.refused)


def render(
    template_name: str, context: dict[str, Any], *, language: str, appendix: Appendix | None = None
) -> Rendered:
    """The report's PDF; with an appendix, the body and the table joined, numbered as one."""
    html = html_of(template_name, context, language=language)
    if appendix is None:
        return render_html(html)
    body = render_html(html, page_numbers=False)
    return join(
        [body, appendix_pdf(appendix, context, language=language)], context=context, language=language
    )


def appendix_pdf(appendix: Appendix, context: dict[str, Any], *, language: str) -> Rendered:
    from reporting.pdf.table import Page, portfolio_table_pdf

    with translation.override(language):
        header = " · ".join(
            str(part)
            for part in (
                context["title"],
                context["scope_label"],
                context.get("period") and context["period"].label,
            )
            if part
        )
        footer = "{} · {}".format(
            _("Generated on %(when)s") % {"when": date_format(context["generated_at"], "DATETIME_FORMAT")},
            _("Internal — do not circulate outside the organisation"),
        )
        legend = render_to_string("reporting/pdf/_table_legend.html", context)
        pdf, pages = portfolio_table_pdf(
            list(context[appendix.rows]),
            title=str(appendix.title),
            page=Page(organisation=context["organisation"], header=header, footer=footer),
            legend=legend,
        )
    return Rendered(pdf=pdf, pages=pages)


def join(parts: list[Rendered], *, context: dict[str, Any], language: str) -> Rendered:
    """The parts as one PDF (the first's metadata, every part's bookmarks), with "Page X of Y" on it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=True)
    first = PdfReader(io.BytesIO(parts[0].pdf))
    if first.metadata:
        writer.add_metadata({key: str(value) for key, value in first.metadata.items()})
    # The stamp's pages take each page's orientation: portrait for the body, landscape for wide tables.
    sheets = [float(page.mediabox.width) > float(page.mediabox.height) for page in writer.pages]
    stamp = render_html(html_of(PAGE_NUMBERS_TEMPLATE, {**context, "sheets": sheets}, language=language))
    numbers = PdfReader(io.BytesIO(stamp.pdf))
    if len(numbers.pages) != len(writer.pages):  # never seen; an unnumbered report beats a wrong one
        logger.error("Page numbers: %d stamps for %d pages", len(numbers.pages), len(writer.pages))
    else:
        for page, number in zip(writer.pages, numbers.pages, strict=True):
            page.merge_page(number)
    output = io.BytesIO()
    writer.write(output)
    refused = [url for part in parts for url in part.refused] + stamp.refused
    return Rendered(pdf=output.getvalue(), pages=len(writer.pages), refused=refused)
