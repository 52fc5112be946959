"""Browser tests: Playwright driving Debian's Chromium against a live test server."""

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's synchronous API keeps an event loop running in the test thread for
# the whole session; the tests' own database calls stay synchronous, so Django may
# allow them. (tests/test_settings.py keeps this out of its production checks.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium` "
        "(.ci/run installs it, so CI never skips these)."
    )
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Return a function that opens a page in a fresh browser context (own cookies).

    What the browser reports going wrong (script errors, console errors, error
    answers, requests that failed) is printed at the end, so a failing test's report shows it.
    """
    contexts = []
    reported = []

    def open_page():
        context = browser.new_context(locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: reported.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and reported.append(f"console error: {message.text}")
            ),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and reported.append(f"answered {response.status}: {response.url}")
            ),
        )
        page.on(
            "requestfailed",
            lambda request: reported.append(
                f"request failed: {request.url} ({request.failure})"
            ),
        )
        return page

    yield open_page
    if reported:
        print("What the browser reported:", *reported, sep="\n  ")
    for context in contexts:
        context.close()
    # Closing a page can send last requests (a check-out from the edit form, a
    # favicon) that the live server answers in its own threads. Let them finish
    # before the test database is emptied, or the emptying finds tables in use.
    time.sleep(0.5)


def sign_in(page, live_server, username, password="correct horse battery staple"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.fixture
def screenshot(tmp_path):
    """Take a picture of the page for the guides in docs/: into docs/images with
    UPDATE_SCREENSHOTS=1, else into a throw-away folder."""
    folder = DOCS_IMAGES if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path

    def take(page, name):
        page.set_viewport_size({"width": 1100, "height": 900})
        page.screenshot(path=folder / f"{name}.png", full_page=False)

    return take
