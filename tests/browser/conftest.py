"""End-to-end journeys in a real browser: Playwright driving Chromium against a live server.

The browser is found by itself: $B2I_CHROMIUM if set, else the first of chromium, chromium-browser,
google-chrome-stable and google-chrome on the PATH (Debian's is /usr/bin/chromium), else the one
`playwright install chromium` downloads.

One live server serves the whole session: a fresh SQLite file, migrated and filled with the demo
data, behind werkzeug's threaded server on a free port of 127.0.0.1. The journeys share it, so
each makes its own data (unique names, ISBNs) where it counts.

Without the playwright package or without Chromium every browser test is skipped, unless
REQUIRE_BROWSER=1, where that fails them instead.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from books2iraq import create_app
from books2iraq.extensions import db
from tests.browser.helpers import PlaywrightError


def find_chromium() -> str | None:
    """The Chromium to drive: see the module's docstring. None when there is none."""
    if chosen := os.environ.get("B2I_CHROMIUM"):
        return chosen if os.access(chosen, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome"):
        if found := shutil.which(name):
            return found
    if importlib.util.find_spec("playwright") is None:
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        downloaded = playwright.chromium.executable_path
    return downloaded if os.access(downloaded, os.X_OK) else None


CHROMIUM = find_chromium()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DEFAULT_TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: end-to-end journey in Chromium driven by Playwright (tests/browser)")


def _missing_browser() -> str | None:
    for module, package in (("playwright", "playwright"), ("pytest_playwright", "pytest-playwright")):
        if importlib.util.find_spec(module) is None:
            return f"the {package} package is not installed"
    if CHROMIUM is None:
        return "no Chromium found (Debian: apt-get install chromium; or set B2I_CHROMIUM to its path)"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture starts: no browser means skip, or fail when REQUIRE_BROWSER=1."""
    missing = _missing_browser()
    if missing is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {missing}", pytrace=False)
    pytest.skip(f"browser tests need a browser: {missing}")


# --- The live server ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_db_url(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo operation's SQLite file."""
    path = tmp_path_factory.mktemp("browser") / "books2iraq.sqlite"
    shutil.copyfile(demo_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def live_server(live_db_url: str) -> Iterator[str]:
    """The app served over HTTP in a daemon thread; yields its base URL."""
    from werkzeug.serving import make_server

    app = create_app({"SQLALCHEMY_DATABASE_URI": live_db_url})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in the output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def db_app(live_db_url: str) -> Iterator[Flask]:
    """A second app on the live server's SQLite file: the tests' own view of the database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_db_url})
    yield app
    with app.app_context():
        db.engine.dispose()


# --- Playwright (pytest-playwright's fixtures, pointed at the Chromium found and the live server) ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """Every page.goto("/…") and page.request goes to the live server."""
    return live_server


class Screenshots:
    """Pages whose last state is saved as test-artifacts/screenshots/<test-name>[-suffix].png."""

    def __init__(self, test_name: str):
        self.test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name)
        self.pages: list[tuple[Any, str]] = []

    def watch(self, page: Any, suffix: str = "") -> Any:
        page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        self.pages.append((page, suffix))
        return page

    def save_all(self) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for page, suffix in self.pages:
            name = f"{self.test_name}-{suffix}" if suffix else self.test_name
            try:
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            except PlaywrightError as exc:  # a closed or crashed page must not hide the test's own result
                print(f"no screenshot {name}: {exc}")


@pytest.fixture
def shots(request: pytest.FixtureRequest, new_context: Any) -> Iterator[Screenshots]:
    """Saves every watched page at the end of the test, passed or failed (before contexts close)."""
    taken = Screenshots(request.node.originalname)
    yield taken
    taken.save_all()


@pytest.fixture
def page(context: Any, shots: Screenshots) -> Any:
    """pytest-playwright's page, with a shorter time-out and a screenshot at the end."""
    return shots.watch(context.new_page())


PHONE_WIDTH = 390


@pytest.fixture
def sized_page(new_context: Any, shots: Screenshots) -> Any:
    """sized_page(width, suffix, locale): a page 844 px high and `width` wide, a phone's (mobile, touch) at
    PHONE_WIDTH, with a screenshot at the end named by `suffix` (default: the width); `locale` (ar-IQ)
    is the browser's language, sent as Accept-Language."""
    def open_at(width: int, suffix: str = "", locale: str | None = None) -> Any:
        phone = width <= PHONE_WIDTH
        context = new_context(viewport={"width": width, "height": 844}, is_mobile=phone, has_touch=phone,
                              **({"locale": locale} if locale else {}))
        return shots.watch(context.new_page(), suffix or str(width))

    return open_at
