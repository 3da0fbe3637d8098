"""A demo seeded once for the tests of a class that only read it, instead of once per test.

    _demo_seeded, demo = shared_demo("--reset", "--projects", "60")

    class TestTheDemo:
        def test_something(self, demo): ...

gives the tests of each class that asks for `demo` the same demo, seeded by `seed_demo` with these
arguments when the class starts (once per class and pytest-xdist worker), inside a transaction that stays
open around the class's tests and is rolled back when the class ends (pytest-django wraps tests in such
higher-scoped transactions on purpose). Each test still runs in its own transaction (a savepoint in that
one) rolled back after it: what a test writes, even a reseed or a reset, is gone for the next test, and
the tests outside the class, in this module or the next, start on the database as it was before the
seeding. Nothing of the demo is ever committed, as when each test seeded it. The seeding runs with the
settings every test runs with (tests/conftest.py) and in the default language.

A test that seeds by itself (the same seed twice, another size, --reset over a smaller demo) stays
outside such a class, or seeds again inside its own transaction.

The demo is anchored to the day it is seeded: a test that starts on another day (bin/test-dates runs the
suite from 23:30) seeds today's demo again, with --reset, in its own transaction.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass
from datetime import date
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from tests.conftest import suite_settings, tasks_in_process


@dataclass(frozen=True)
class Demo:
    day: date  # the day it is anchored to
    output: str  # what seed_demo printed


def seed(*args: str) -> Demo:
    day = timezone.localdate()
    out = StringIO()
    with translation.override(django_settings.LANGUAGE_CODE):
        call_command("seed_demo", *args, stdout=out)
    return Demo(day=day, output=out.getvalue())


def shared_demo(*args: str, name: str = "demo"):
    """The class-scoped seeding and the fixture `name` that tests ask for; assign both in the module."""

    seeded_name = f"_{name}_seeded"

    @pytest.fixture(scope="class", name=seeded_name)
    def seeded(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            # As Django's TestCase marks its own: what runs inside may open a durable block.
            outer._from_testcase = True
            outer.__enter__()
            try:
                overrides = {**suite_settings(django_settings), "BACKGROUND_THREADS": 0}
                with override_settings(**overrides), tasks_in_process():
                    demo = seed(*args)
            except BaseException:
                outer.__exit__(*sys.exc_info())
                raise
        yield demo
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    def shared(db, **seeded_demo):
        (demo,) = seeded_demo.values()
        if demo.day != timezone.localdate():
            return seed("--reset", *(arg for arg in args if arg != "--reset"))
        return demo

    # The seeded demo is an argument, not a getfixturevalue: pytest sets up the class-scoped seeding
    # before the test's own transaction (`db`) opens.
    keyword = inspect.Parameter.KEYWORD_ONLY
    shared.__signature__ = inspect.Signature(
        [inspect.Parameter("db", keyword), inspect.Parameter(seeded_name, keyword)]
    )
    return seeded, pytest.fixture(name=name)(shared)
