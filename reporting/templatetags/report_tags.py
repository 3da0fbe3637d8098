"""Template tags of the PDF reports: static files by the fetcher's origin, RAG cells, CSS strings."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import pgettext

from reporting.pdf import BASE_URL

register = template.Library()


@register.simple_tag
def report_static(path: str) -> str:
    """The URL of a static file as the report's fetcher serves it (the unhashed name, from the finders)."""
    return f"{BASE_URL}{settings.STATIC_URL.strip('/')}/{path}"


def rag_letter(rag: str) -> str:
    letters = {
        "green": pgettext("RAG letter", "G"),
        "amber": pgettext("RAG letter", "A"),
        "red": pgettext("RAG letter", "R"),
    }
    return letters.get(rag, pgettext("RAG letter, not reported", "\N{EN DASH}"))


@register.simple_tag
def rag_cell(rag: str, tag: str = "td") -> str:
    """A RAG as a coloured cell that also carries its letter (readable printed in black and white)."""
    css = f"rag rag-{rag}" if rag in ("green", "amber", "red") else "rag rag-none"
    if tag == "span":
        return format_html('<span class="{}">{}</span>', css, rag_letter(rag))
    return format_html('<td class="{}">{}</td>', css, rag_letter(rag))


@register.filter
def css_string(value: str) -> str:
    """A value as the inside of a double-quoted CSS string (for `content:` in the page's margins)."""
    return "".join(ch if ch.isalnum() or ch in " .,:;-_/()" else f"\\{ord(ch):x} " for ch in str(value))
