"""A small HTTP client for the benchmark: one signed-in person (cookies, CSRF token), plain HTTP/1.1 over
loopback, each request tagged with an id that gunicorn's access log records beside its own time.

http.client rather than a library: it costs the client as little as possible (it shares two cores with
the server), and gunicorn's sync workers close each connection after one request anyway.
"""

from __future__ import annotations

import http.client
import itertools
import math
import os
import secrets
import statistics
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

_ids = itertools.count(1)
PREFIX = f"b{os.getpid()}-"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    client_ms: float  # from before connecting to the last byte read, at the client
    bench_id: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-queries")
        return int(value) if value is not None else None


class Browser:
    def __init__(self, base_url: str) -> None:
        where = urlsplit(base_url)
        self.host, self.port = where.hostname, where.port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        data: dict | list | None = None,
        headers: dict | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> Response:
        bench_id = f"{PREFIX}{next(_ids)}"
        sent = {"Host": f"{self.host}:{self.port}", "X-Bench-Id": bench_id, "Accept-Language": "en"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if files is not None:
            body, sent["Content-Type"] = _multipart(data or {}, files)
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        elif data is not None:
            body = urlencode(data, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        sent.update(headers or {})
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        elapsed = (time.perf_counter() - started) * 1000
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        headers_ = {name.lower(): value for name, value in answer.getheaders()}
        return Response(answer.status, headers_, content, elapsed, bench_id)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | list, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def upload(self, path: str, data: dict, files: dict[str, tuple[str, bytes]], **kwargs) -> Response:
        """A form with files (multipart/form-data): `files` maps a field to (file name, content)."""
        return self.request("POST", path, data=data, files=files, **kwargs)

    def login(self, username: str, password: str) -> None:
        """Through the sign-in form, as a person would (django-axes and CSRF are on)."""
        form = forms_of(self.get("/accounts/login/").text, having="username")
        answer = self.post("/accounts/login/", {**form.values(), "username": username, "password": password})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in: {answer.status} {answer.text[:300]}")


def _multipart(data: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = f"----pmo-bench-{secrets.token_hex(12)}"
    parts: list[bytes] = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- Forms ----------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    _select: str | None = None
    _textarea: str | None = None

    def values(self) -> dict[str, str | list[str]]:
        """As a browser would submit it unchanged (a name that appears several times: a list)."""
        values: dict[str, str | list[str]] = {}
        for name, value in self.fields:
            if name in values:
                previous = values[name]
                values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                values[name] = value
        return values


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._text: list[str] = []
        self._first_option: tuple[str, str] | None = None
        self._selected = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(attributes.get("action", ""), attributes.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            value = attributes.get("value", "on" if kind in ("checkbox", "radio") else "")
            form.fields.append((name, value))
        elif tag == "select" and name:
            form._select, self._first_option, self._selected = name, None, False
        elif tag == "option" and form._select:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = (form._select, value)
            if "selected" in attributes:
                form.fields.append((form._select, value))
                self._selected = True
        elif tag == "textarea" and name:
            form._textarea, self._text = name, []

    def handle_data(self, data):
        if self.forms and self.forms[-1]._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "select" and form._select:
            if not self._selected and self._first_option is not None:
                form.fields.append(self._first_option)
            form._select = None
        elif tag == "textarea" and form._textarea:
            form.fields.append((form._textarea, "".join(self._text).removeprefix("\n")))
            form._textarea = None


def forms_of(html: str, *, having: str) -> Form:
    """The page's form that has a field named `having`."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if any(name == having for name, _value in form.fields):
            return form
    raise LookupError(f"no form with a field {having!r} on the page")


# --- gunicorn's access log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    status: int
    server_ms: float
    queries: int | None


def served(access_log: Path) -> dict[str, Served]:
    """What gunicorn logged of each tagged request: its status, its time in the server, its queries."""
    found = {}
    for line in access_log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 6 or not parts[4].startswith(PREFIX):
            continue
        queries = int(parts[5]) if parts[5].isdigit() else None
        found[parts[4]] = Served(int(parts[2]), int(parts[3]) / 1000, queries)
    return found


def served_all(access_log: Path, ids: list[str], *, timeout: float = 10) -> dict[str, Served]:
    """`served`, once gunicorn has logged every one of these requests (it logs after answering)."""
    deadline = time.monotonic() + timeout
    while True:
        found = served(access_log)
        missing = [bench_id for bench_id in ids if bench_id not in found]
        if not missing:
            return found
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn's access log lacks {len(missing)} requests, e.g. {missing[0]}")
        time.sleep(0.1)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (of a sorted copy): the value `fraction` of the requests took at most."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(fraction * len(ordered))) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)
