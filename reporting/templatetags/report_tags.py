"""Template tags of the PDF reports: static files by the fetcher's origin, RAG and risk-level cells, CSS
strings, variances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format
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
    # The dash written as itself: gettext's extractor reads the string as it is in the source.
    return letters.get(rag, pgettext("RAG letter, not reported", "–"))  # noqa: RUF001


def confidence_letter(level: str) -> str:
    """An assessed delivery confidence as the reports' tables write it: G, A/G, A, A/R, R; a dash when
    not assessed."""
    letters = {
        "green": pgettext("confidence letters", "G"),
        "amber_green": pgettext("confidence letters", "A/G"),
        "amber": pgettext("confidence letters", "A"),
        "amber_red": pgettext("confidence letters", "A/R"),
        "red": pgettext("confidence letters", "R"),
    }
    return letters.get(level, pgettext("RAG letter, not reported", "–"))  # noqa: RUF001


@register.simple_tag
def confidence_cell(level: str) -> str:
    """An assessed delivery confidence as a coloured cell carrying its letters (as `rag_cell`)."""
    css = f"rag rag-{level}" if level in CONFIDENCE_CSS else "rag rag-none"
    return format_html('<td class="{}">{}</td>', css, confidence_letter(level))


CONFIDENCE_CSS = ("green", "amber_green", "amber", "amber_red", "red")


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


@register.simple_tag
def level_cell(level) -> str:
    """A risk level (low ... critical) as a tinted cell with its name."""
    if level is None:
        return format_html('<td class="level">{}</td>', "\N{EN DASH}")
    return format_html('<td class="level level-{}">{}</td>', level.value, level.label)


@register.filter
def signed_percent(value: Decimal | None, places: int = 1) -> str:
    """A variance as "+4.2 %" or "-3.0 %" (written with a true minus sign), a dash when undefined."""
    if value is None:
        return "\N{EM DASH}"
    value = round(Decimal(value), places)  # the sign of what is written: never "-0.0 %"
    text = number_format(abs(value), decimal_pos=places, use_l10n=True)
    sign = "+" if value > 0 else "\N{MINUS SIGN}" if value < 0 else ""
    return f"{sign}{text}\N{NO-BREAK SPACE}%"


@register.filter
def budget_variance(row) -> Decimal | None:
    """A project's forecast at completion against its budget, in percent (a `ProjectRow`)."""
    if not row.budget or row.forecast_at_completion is None:
        return None
    return 100 * (row.forecast_at_completion - row.budget) / row.budget


@register.filter
def days_between(later: date | None, earlier: date | None) -> int | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).days


@register.filter
def project_comment(curation, code: str) -> str:
    """The PMO's comment on a project of the report (`content.curation.Curation`), or ""."""
    return curation.projects.get(code, "") if curation else ""
