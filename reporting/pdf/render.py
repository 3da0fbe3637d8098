"""HTML to PDF: a report template rendered in the report's language, laid out by WeasyPrint with the
static-only fetcher (`reporting.pdf.fetcher`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from reporting.pdf import BASE_URL

logger = logging.getLogger(__name__)


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)  # URLs the fetcher turned down


def html_of(template_name: str, context: dict[str, Any], *, language: str) -> str:
    with translation.override(language):
        return render_to_string(template_name, context)


def render_html(html: str) -> Rendered:
    # Imported late: no page view needs WeasyPrint, and it takes a while to load.
    from weasyprint import HTML

    from reporting.pdf.fetcher import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    pdf = document.write_pdf()
    return Rendered(pdf=pdf, pages=len(document.pages), refused=fetcher.refused)


def render(template_name: str, context: dict[str, Any], *, language: str) -> Rendered:
    return render_html(html_of(template_name, context, language=language))
