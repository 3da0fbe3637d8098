"""Bad input for the forms, drawn by hypothesis, and what the answer to it must be.

Each test starts from a form a user could send (the valid data of the app's own tests), replaces one to
three of its fields by something else, posts it as the user allowed to, and checks the answer:

- a refusal is a page with the form and its errors (200, or 400 where the view says so), and nothing
  was saved: every table of the application holds as many rows as before and the object edited is as
  it was;
- an acceptance is a redirect to a page that shows what was saved (200);
- never an error page (the test client raises the view's exception: hypothesis shrinks it to the
  smallest input that breaks).

What is drawn: any Unicode text (right-to-left scripts, combining marks, emoji, NUL and the other
control characters), strings longer than the fields hold, huge, negative, malformed and localised
numbers, dates and times of year 1 and year 9999 or that do not exist, ids that are not ids.

Each example runs in a transaction rolled back at its end, so that every example starts from the same
data: that is why the tests may take function-scoped fixtures (`FIXTURES_ARE_RESET`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from hypothesis import HealthCheck, event, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

# The examples of a test share its fixtures, but each runs in a transaction rolled back at its end.
FIXTURES_ARE_RESET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


# BAD_INPUT_SEARCH=N draws N times more examples, different at each run: to look for new failures (each
# one found becomes an `@example` of its test). Without it, the examples are the same at every run.
SEARCH = int(os.environ.get("BAD_INPUT_SEARCH", "0") or 0)


def bounded(examples: int = 25):
    """Hypothesis settings for one form: a fixed number of examples, no deadline (a page takes what a
    loaded machine gives it), no example database (the regressions are `@example`s in the code)."""
    return hypothesis_settings(
        max_examples=examples * max(SEARCH, 1),
        derandomize=not SEARCH,
        deadline=None,
        suppress_health_check=FIXTURES_ARE_RESET,
        database=None,
    )


# --- What is drawn --------------------------------------------------------------------------------------

TRICKY_TEXTS = [
    "",
    " ",
    "\x00",
    "Bilan\x00final",
    "\x01\x02\x1b[31m\x7f",
    "\t\r\n\u2028\u2029",
    "مشروع تحديث النظام المعلوماتي",  # Arabic, right to left
    "\u202eنص معكوس\u202c abc",  # a right-to-left override
    "פרויקט ‏עברית",
    "e\u0301\u0301\u0301\u0301 Z\u0351\u0354\u035b\u0350",  # stacked combining marks
    "👩🏽‍💻🇲🇦 ✅ 🔥",
    "\ufeff\u200b\u200d",  # byte order mark, zero-width space and joiner
    "\uff21\uff42\uff43\uff11\uff12\uff13",  # full-width forms
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "../../etc/passwd",
    "%00%2F%2e%2e",
    "a/b",
    "\\",
]

text = st.one_of(
    st.sampled_from(TRICKY_TEXTS),
    st.text(max_size=40),  # any code point but surrogates, NUL and control characters included
    st.text(st.characters(categories=["Cc", "Cf", "Mn", "Zl", "Zp", "Co"]), min_size=1, max_size=10),
    st.builds(lambda size, char: char * size, st.integers(150, 12_000), st.sampled_from("xé😀ش\u0301")),
)

TRICKY_NUMBERS = [
    "",
    "-1",
    "-0",
    "0",
    "1e309",
    "-1e309",
    "1e-50",
    "9" * 40,
    "-" + "9" * 40,
    "NaN",
    "-Infinity",
    "inf",
    "1,5",
    "1 000,50",
    "1.000.000,00",
    "1_000",
    "0x1F",
    "+5",
    "--1",
    "1.2.3",
    "12abc",
    "٣٤",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "1e3",
    "9223372036854775808",  # one above the largest 64-bit integer
    "32768",
    "2147483648",
]

number = st.one_of(
    st.sampled_from(TRICKY_NUMBERS),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    text,
)

TRICKY_DATES = [
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "10000-01-01",
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "31/12/2024",
    "12/31/2024",
    "2024-1-1",
    "2024-01-01T00:00",
    "-2024-01-01",
    "yesterday",
    "\uff12\uff10\uff12\uff14-\uff10\uff11-\uff10\uff11",  # full-width digits
]

day = st.one_of(
    st.sampled_from(TRICKY_DATES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    text,
)

TRICKY_MOMENTS = [
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2024-02-30T10:00",
    "2024-03-31T02:30",  # a time some zones skip
    "2024-01-01T24:00",
    "2024-01-01T10:61",
    "2024-01-01",
    "2024-01-01 10:00",
]

moment = st.one_of(
    st.sampled_from(TRICKY_MOMENTS),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)).map(
        lambda value: value.isoformat(timespec="minutes")
    ),
    st.times().map(time.isoformat),
    text,
)


def choice(*valid) -> st.SearchStrategy:
    """A choice field: one of its choices (or references to objects, "@pm", see `over`), or anything else."""
    return st.one_of(st.sampled_from([str(value) for value in valid]), number, text)


def many(*valid) -> st.SearchStrategy:
    """A multiple choice: a list of its choices and of anything else."""
    return st.lists(choice(*valid), max_size=4)


def changes(fields: dict[str, st.SearchStrategy], *, most: int = 3) -> st.SearchStrategy:
    """One to `most` of `fields`, each with what its strategy draws: the test puts them over a valid form,
    so that the rest stays valid and an accepted value goes on to be saved and shown."""

    @st.composite
    def draw(draw) -> dict:
        names = draw(st.permutations(sorted(fields)))[: draw(st.integers(1, most))]
        return {name: draw(fields[name]) for name in names}

    return draw()


def over(valid: dict, drawn: dict, refs: dict[str, object] | None = None) -> dict:
    """The form to post: `valid` with the `drawn` changes, where references to objects of the test's
    data ("@pm", written before the data exists) are replaced by those objects' ids."""
    refs = refs or {}

    def resolve(value):
        if isinstance(value, list):
            return [resolve(each) for each in value]
        return refs.get(value, value) if isinstance(value, str) else value

    return {name: resolve(value) for name, value in {**valid, **drawn}.items()}


# --- What the answer must be ----------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run an example in a transaction undone at its end (the views' own are savepoints inside it)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    """How many rows each of the application's tables holds."""
    domain = set(settings.DOMAIN_APPS)
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in domain
    }


def form_errors(response) -> list:
    """The errors of the forms and formsets the page was drawn with."""
    errors = []
    for context in response.context or []:
        for value in context.flatten().values():
            form = isinstance(value, BaseForm) and value.is_bound and value.errors
            formset = isinstance(value, BaseFormSet) and value.is_bound and value.total_error_count()
            if form or formset:
                errors.append(value.errors)
    return errors


def answer(
    client,
    url: str,
    data: dict,
    *,
    state: Callable[[], object] = lambda: None,
    refused: tuple[int, ...] = (200,),
    told: Callable = form_errors,
    htmx: bool = False,
):
    """POST `data` to `url` and check the answer (see the module's docstring). `state` returns what the
    form may change beside new rows (the edited object's values); `refused` are the statuses a refusal
    may have, `told(response)` whether it says why (by default: the forms' errors). An `htmx` request
    is answered 200 with a part of the page either way: what was saved, or the form and its errors.
    Returns the response."""
    note(f"POST {url} {data!r}")
    before = (row_counts(), state())
    response = client.post(url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    event(f"answered {response.status_code}")
    if response.status_code == 302:
        shown = client.get(response["Location"])
        assert shown.status_code == 200, f"{response['Location']} answered {shown.status_code}"
        return response
    assert response.status_code in refused, f"{url} answered {response.status_code}"
    if told(response):
        assert (row_counts(), state()) == before, "a refused form saved something"
    else:
        assert htmx and response.status_code == 200, f"{url} refused the form without saying what is wrong"
        event("saved (htmx)")
    return response


def values(model, pk) -> dict:
    """An object's row as stored (its many-to-many relations are its tables' rows: counted)."""
    return model._base_manager.filter(pk=pk).values().get()
