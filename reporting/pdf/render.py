"""HTML to PDF: a report template rendered in the report's language, laid out by WeasyPrint with the
static-only fetcher (`reporting.pdf.fetcher`).

A report kind may declare an `Appendix`: a long table (the quarterly's full portfolio) printed after the
report's body. WeasyPrint lays a document out in one thread, about 9 s of CPU for a 1,000-row table, so
the appendix is cut into parts of `REPORT_APPENDIX_PART_ROWS` rows, each part and the body are laid out
at the same time by a small pool of processes (`REPORT_RENDER_PROCESSES`), and the PDFs are joined with
pypdf. The parts are laid out without page numbers; once joined, "Page X of Y" is stamped on every page
from one more WeasyPrint document that has nothing but those margin boxes, so the numbers run through
the whole report. The body's and the appendix's bookmarks are kept.
"""

from __future__ import annotations

import atexit
import io
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from reporting.pdf import BASE_URL

logger = logging.getLogger(__name__)

# Documents that are to be joined carry no page numbers of their own: the stamp puts them on after.
_NO_PAGE_NUMBERS = "@page { @bottom-right { content: none !important; } }"
PART_TEMPLATE = "reporting/pdf/appendix_part.html"
PAGE_NUMBERS_TEMPLATE = "reporting/pdf/page_numbers.html"


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)  # URLs the fetcher turned down


@dataclass(frozen=True)
class Appendix:
    """A long table printed after a report's body, on landscape pages, laid out in parts.

    `template` prints the rows it gets as `table` (a list of `content.common.TableRow`), nothing else:
    the part's page prints `title` (a heading and a bookmark) above the first part. `rows` names the
    context entry that holds all the rows. The body's template must not include the appendix itself.
    """

    template: str
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
    """The report's PDF; with an appendix, the body and the appendix's parts laid out side by side."""
    html = html_of(template_name, context, language=language)
    if appendix is None:
        return render_html(html)
    documents = [html, *appendix_parts(appendix, context, language=language)]
    return join(render_many(documents), context=context, language=language)


def appendix_parts(appendix: Appendix, context: dict[str, Any], *, language: str) -> list[str]:
    """The HTML of each part of the appendix (Django's templates run here; only layout is farmed out)."""
    rows = list(context[appendix.rows])
    size = settings.REPORT_APPENDIX_PART_ROWS
    chunks = [rows[start : start + size] for start in range(0, len(rows), size)] or [[]]
    return [
        html_of(
            PART_TEMPLATE,
            {**context, "table": chunk, "appendix": appendix, "first_part": number == 0},
            language=language,
        )
        for number, chunk in enumerate(chunks)
    ]


def render_many(documents: list[str]) -> list[Rendered]:
    """Each document laid out without page numbers: the pool's processes and this one side by side.

    All go to the pool; this process then takes back, from the end, each document no child has started
    yet and lays it out itself, so that `REPORT_RENDER_PROCESSES` processes work, not one more.
    """
    pool = _pool() if len(documents) > 1 else None
    if pool is None:
        return [render_html(html, page_numbers=False) for html in documents]
    futures = [pool.submit(_render_in_child, html) for html in documents]
    done: dict[int, Rendered] = {}
    for index in reversed(range(len(futures))):
        if futures[index].cancel():
            done[index] = render_html(documents[index], page_numbers=False)
    return [done[index] if index in done else future.result() for index, future in enumerate(futures)]


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


# --- The layout processes ---------------------------------------------------------------------------
# Started once per process that builds reports (a worker process on `worker_process_init`, a command on
# first use) and kept: a fresh interpreter takes a second or two to load Django and WeasyPrint.
# Spawned rather than forked: the parent may run threads (kaleido's browser), which a fork would copy
# in whatever state they were.

_lock = threading.Lock()
_state: dict[str, Any] = {"pool": None, "pid": None}


def _pool() -> ProcessPoolExecutor | None:
    processes = settings.REPORT_RENDER_PROCESSES - 1  # this process lays out documents too
    if processes < 1:
        return None
    with _lock:
        if _state["pool"] is None or _state["pid"] != os.getpid():
            context = multiprocessing.get_context("spawn")
            _state["pool"] = ProcessPoolExecutor(
                max_workers=processes, mp_context=context, initializer=_start_child
            )
            _state["pid"] = os.getpid()
            atexit.register(stop)
        return _state["pool"]


def start() -> None:
    """Start the layout processes now rather than at the first long report."""
    pool = _pool()
    if pool is not None:
        list(pool.map(_warm, range(settings.REPORT_RENDER_PROCESSES - 1)))


def stop() -> None:
    with _lock:
        pool, _state["pool"] = _state["pool"], None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_child() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    import django

    django.setup()


def _warm(_number: int) -> int:
    render_html("<p>.</p>")  # loads WeasyPrint, the fonts and the stylesheet machinery
    return os.getpid()


def _render_in_child(html: str) -> Rendered:
    return render_html(html, page_numbers=False)
