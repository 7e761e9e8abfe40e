"""Headless Chromium for the UI's end-to-end tests, driven by Playwright against pytest-django's
live server. Debian's Chromium (/usr/bin/chromium) is used, never a downloaded browser. Every test that uses
these fixtures carries the ``browser`` marker (root conftest): without Chromium it is skipped with
the reason on a developer's machine, and it fails in CI, which lists ``browser`` in
ONESTOP_REQUIRE_SERVICES and installs Chromium (`.ci/run`).

The root conftest loads this module as a plugin: a test asks for ``page`` and ``live_server``;
screenshots go to ``test-output/ui/`` for a person to look at.
"""

from __future__ import annotations

import os
import pathlib

import pytest

CHROMIUM = os.environ.get("ONESTOP_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = pathlib.Path(__file__).resolve().parent.parent / "test-output" / "ui"


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Playwright's sync API keeps its event loop "running" in this
    thread while it is started, and the tests' own ORM calls happen in the same thread, which
    Django refuses as async-unsafe unless DJANGO_ALLOW_ASYNC_UNSAFE is set: so the variable is set
    only while a browser module runs, and both are gone before the next module (a subprocess
    started by a later test, such as ``check --deploy``, must not inherit it)."""
    if not pathlib.Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium and chromium-driver (see .ci/run)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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
