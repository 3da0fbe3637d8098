from playwright.sync_api import expect

# Playwright waits 5 s by default for what a page should show. The browser tests share two cores with
# the live server, the database and Chromium, and a busy machine (another build beside them) has been
# seen to take longer than that to record a decision on the live page: 10 s keeps the same assertions
# without failing on load alone.
expect.set_options(timeout=10_000)
