import pytest
from playwright.sync_api import expect

# Playwright waits 5 s by default for what a page should show. The browser tests share two cores with
# the live server, the database and Chromium, and a busy machine (another build beside them) has been
# seen to take longer than that to record a decision on the live page: 10 s keeps the same assertions
# without failing on load alone.
expect.set_options(timeout=10_000)


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
