"""Headless Chromium for the UI's end-to-end tests, driven by Playwright against pytest-django's
live server. Debian's Chromium (/usr/bin/chromium) is used, never a downloaded browser; when it is
missing the tests fail (they do not skip): `.ci/run` installs it.

Use it from a test module with ``from tests.browser import browser, page  # noqa: F401`` and the
``live_server`` fixture; screenshots go to ``test-output/ui/`` for a person to look at.
"""

from __future__ import annotations

import os
import pathlib

import pytest

CHROMIUM = os.environ.get("ONESTOP_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = pathlib.Path(__file__).resolve().parent.parent / "test-output" / "ui"


_shared: dict = {}  # one Playwright and one Chromium per test process


def _launch():
    if not pathlib.Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium and chromium-driver (see .ci/run)")
    # Playwright's sync API keeps an event loop running in this thread; the live server's ORM calls
    # happen in the same process, which Django would otherwise refuse as "async-unsafe".
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    _shared["playwright"] = playwright
    _shared["browser"] = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


@pytest.fixture(scope="session")
def browser():
    """Chromium, launched once per test process. Each module that imports this fixture gets a
    fixture definition of its own, so a second "session" instance would start a second Playwright
    inside the first one's event loop (which Playwright refuses): they share one launch instead."""
    if "browser" not in _shared:
        _launch()
    yield _shared["browser"]
    if "browser" in _shared:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) per test, Vietnamese locale, a desktop-sized window."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(tab, name: str) -> pathlib.Path:
    """Save a full-page screenshot under test-output/ui/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
