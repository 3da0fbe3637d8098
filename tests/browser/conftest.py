import pytest
from playwright.sync_api import expect

from tests.browser.axe import AxeWatch

# Playwright waits 5 s by default for what a page should show. The browser tests share two cores with
# the live server, the database and Chromium, and a busy machine (another build beside them) has been
# seen to take longer than that to record a decision on the live page: 10 s keeps the same assertions
# without failing on load alone.
expect.set_options(timeout=10_000)


@pytest.fixture
def browser_context_args(browser_context_args):
    """No transitions (Bootstrap honours the setting): a page is checked as it stands, not half-way
    through a colour change."""
    return {**browser_context_args, "reduced_motion": "reduce"}


@pytest.fixture(autouse=True)
def _no_policy_violation_or_script_error(context):
    """Every browser test also proves that its pages run under the Content Security Policy: a refused
    inline script, style sheet, frame or foreign URL, or an uncaught script error, fails the test."""
    problems: list[str] = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(message.text)

    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"{error.error}"))
    yield
    assert problems == [], "the pages broke the Content Security Policy or raised a script error"


@pytest.fixture(autouse=True)
def _accessible_pages(browser, context, monkeypatch):
    """Every browser test also proves that each page it visits meets WCAG 2.1 AA as far as axe-core can
    tell (tests/browser/axe.py): no serious or critical violation, in the test's context or any other
    context it opens (a second user following the meeting)."""
    axe = AxeWatch()
    axe.watch(context)
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        other = new_context(*args, **{"reduced_motion": "reduce", **kwargs})
        axe.watch(other)
        return other

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield axe
    axe.look_again()
    assert not axe.found, "axe-core found serious or critical WCAG 2.1 AA violations:\n" + axe.report()
