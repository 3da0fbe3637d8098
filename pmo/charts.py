"""Plotly figures as plain dicts, drawn in the browser by static/js/charts.js.

A page puts `{{ figure|json_script:"some-id" }}` and `<div class="chart" data-chart="some-id"
role="img" aria-label="..."></div>`; charts.js draws it with the plotly.js the app serves itself
(no CDN). Figures are dicts rather than `plotly.graph_objects` so that building one costs nothing
measurable on a page; the same dicts go to kaleido for the PDF reports.

A point whose `customdata` is a URL (or a list whose first element is one) is a link: clicking it
opens the list behind it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
COLORS = {
    "green": "#2e7d32",
    "amber": "#f9a825",
    "red": "#c62828",
    "low": "#2e7d32",
    "medium": "#f9a825",
    "high": "#ef6c00",
    "critical": "#c62828",
    "primary": "#0d6efd",
    "muted": "#6c757d",
}


def layout(**overrides: Any) -> dict[str, Any]:
    """The layout every chart shares: system fonts, tight margins, the reader's number format."""
    base: dict[str, Any] = {
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "margin": {"l": 56, "r": 16, "t": 24, "b": 48},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        # Decimal and thousands separators: "1 234,5" in French, "1,234.5" in English.
        "separators": ", " if (get_language() or "fr").startswith("fr") else ".,",
        "hoverlabel": {"font": {"family": FONT}},
    }
    base.update(overrides)
    return base


def figure(data: list[dict[str, Any]], **layout_overrides: Any) -> dict[str, Any]:
    return {"data": data, "layout": layout(**layout_overrides)}


def day_axis(days: Sequence[date], *, most: int = 7) -> dict[str, Any]:
    """A date axis for points dated by the day (local dates, `timezone.localdate`): at most `most` ticks,
    on whole days, labelled in the page's language ("7 Déc 2026", "7 Dec 2026"). Left to itself, Plotly
    ticks points close together (or a single one) by the hour down to the millisecond, and names the
    months in English wherever its own locale is not loaded (the PDFs)."""
    if not days:
        return {"type": "date"}
    first, last = min(days), max(days)
    span = (last - first).days
    step = max(1, math.ceil(span / max(1, most - 1)))
    ticks = [first + timedelta(days=step * index) for index in range(span // step + 1)]
    margin = timedelta(days=max(1, math.ceil(step / 2)))
    return {
        "type": "date",
        "range": [(first - margin).isoformat(), (last + margin).isoformat()],
        "tickmode": "array",
        "tickvals": [day.isoformat() for day in ticks],
        "ticktext": [date_format(day, "j M Y") for day in ticks],
    }


def plain(text: Any) -> str:
    """A name users typed, for a chart: Plotly reads a little HTML in labels and hover texts (links, styles
    that fetch a URL), so its markup is escaped and Plotly prints the characters (it decodes the entities).
    Our own `<br>` and `<b>` go around it, never through it."""
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def narrow(figure: dict[str, Any], **layout: Any) -> dict[str, Any]:
    """What changes in the figure's layout on a phone (under 576 px): charts.js merges it in there. The
    screen's only: the PDFs leave it out."""
    figure["narrow"] = layout
    return figure
