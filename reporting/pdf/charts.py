"""The dashboard's Plotly figures as SVG for the PDF reports, through kaleido and Debian's Chromium.

One kaleido server per process (a worker process starts it on `worker_process_init`; a command or
the in-process mode starts it on first use) keeps a browser warm: the first chart costs seconds, the
next a fraction of one. Never a downloaded browser: kaleido drives `BROWSER_PATH`
(default `/usr/bin/chromium`).

When charts cannot be exported (no Chromium, kaleido missing, a time-out), `svg()` answers None and
the report shows the chart's data as a table with a note: the PDF is built all the same.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state: dict[str, Any] = {"started": False, "failed": False}


def available() -> bool:
    return settings.REPORT_CHARTS and os.path.exists(settings.REPORT_BROWSER_PATH)


def start() -> bool:
    """Start this process's kaleido server if charts are enabled; True when it runs."""
    with _lock:
        if _state["started"]:
            return True
        if _state["failed"] or not available():
            return False
        os.environ.setdefault("BROWSER_PATH", settings.REPORT_BROWSER_PATH)
        try:
            import kaleido

            # No MathJax: it would be looked for on the network; plotly.js comes from the plotly package.
            kaleido.start_sync_server(n=1, timeout=60, mathjax=False, silence_warnings=True)
        except Exception:  # any failure to start means "no charts", never "no report"
            logger.exception("Chart export is unavailable: reports will show the charts' data as tables.")
            _state["failed"] = True
            return False
        _state["started"] = True
        atexit.register(stop)
        return True


def stop() -> None:
    with _lock:
        if not _state["started"]:
            return
        try:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
        except Exception:  # stopping at exit: nothing left to save
            logger.debug("kaleido did not stop cleanly", exc_info=True)
        _state["started"] = False


_XML_DECLARATION = re.compile(r"^<\?xml[^>]*>\s*")
# What a figure holds for the screen only: hover labels, and the links the dashboard follows on click;
# `narrow`: the layout a phone's screen gets (pmo.charts.narrow).
SCREEN_ONLY = {"hovertext", "hovertemplate", "hoverinfo", "hoverlabel", "customdata", "narrow"}


def _printable(value: Any) -> Any:
    """A copy of the figure for paper, every string as plain text.

    Names users typed (projects, directorates, portfolios) are labels, and Plotly reads a little HTML in
    labels: `<span style="fill:url(http://…)">` made kaleido's Chromium fetch that URL (a test shows it).
    Escaped, Plotly prints the characters instead (it decodes the entities itself).
    """
    if isinstance(value, str):
        return value.replace("<", "&lt;").replace(">", "&gt;")
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items() if key not in SCREEN_ONLY}
    if isinstance(value, list | tuple):
        return [_printable(item) for item in value]
    return value


def svg(figure: dict[str, Any], *, width: int, height: int) -> str | None:
    """The figure as an SVG document (a string to put inline in the report's HTML), or None."""
    if not start():
        return None
    printable = _printable(figure)
    layout = printable.setdefault("layout", {})
    layout.update({"width": width, "height": height, "paper_bgcolor": "white", "plot_bgcolor": "white"})
    layout.setdefault("font", {})["family"] = settings.REPORT_FONT_FAMILY
    try:
        import kaleido

        with _lock:  # one sync server per process, one figure at a time
            image = kaleido.calc_fig_sync(printable, opts={"format": "svg", "width": width, "height": height})
    except Exception:
        logger.exception("A chart could not be exported: the report shows its data as a table.")
        return None
    text = image.decode("utf-8") if isinstance(image, bytes) else str(image)
    return _XML_DECLARATION.sub("", text)
