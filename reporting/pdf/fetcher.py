"""The only way a report's HTML reaches anything outside itself: the app's own static files.

WeasyPrint would otherwise follow any URL a page names: `file://` paths on the worker, the intranet's
servers, the internet. Reports show text that users typed, escaped by the templates; this fetcher is
the second wall, should markup ever get through: it serves files found by the static files finders
under `STATIC_URL` on the report's own origin, and refuses everything else (no `file:`, no network,
no `data:` either: charts are inline SVG, so a report needs none).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reporting.pdf import BASE_URL

logger = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A report asked for something other than one of the app's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `https://report.invalid/<STATIC_URL>...` from the static files, refuses the rest.

    `refused` keeps every URL turned down, for the logs and for the tests that prove nothing else
    is fetched.
    """

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("https",), allow_redirects=False)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("A report asked for %s: refused (only the app's static files are served).", url)
            raise RefusedURL(url)
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        static = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(static):
            return None
        relative = unquote(parts.path[len(static) :])
        if not relative or any(part in ("", ".", "..") for part in relative.split("/")):
            return None
        found = finders.find(relative)
        if not found:
            return None
        return Path(found)
