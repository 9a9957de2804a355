"""A coordinator prints a shipment's crate labels: the worker draws them, the page says how far it
has got and opens the file by itself once they are drawn (no script: the page reloads itself)."""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask

from books2iraq import create_app, jobs
from books2iraq.extensions import db
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import COORDINATOR, DEMO_PASSWORD, expect
from tests.documents.test_jobs import work

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def queued(live_db_url: str) -> Iterator[tuple[str, Flask]]:
    """A server of its own on the demo, whose documents wait in a real queue for `work` to draw them."""
    from werkzeug.serving import make_server

    app = create_app({"SQLALCHEMY_DATABASE_URI": live_db_url, "JOBS_IMMEDIATE": False})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-queued-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        jobs.huey(app).flush()
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_labels_page_waits_for_the_worker_then_opens_the_labels(new_context, shots, queued, width):
    base, app = queued
    page = shots.watch(new_context(viewport={"width": width, "height": 800}).new_page(), f"{width}")
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(COORDINATOR)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    ref = f"S-{date.today().year}-001"
    page.goto(f"{base}/shipping/{ref}")
    page.get_by_role("link", name="crate labels").first.click()
    expect(page).to_have_url(re.compile(r"/documents/jobs/\d+$"))
    expect(page.get_by_role("heading", name=f"Crate labels of {ref}")).to_be_visible()
    expect(page.locator("[data-job-status]")).to_contain_text("Waiting for the document worker")
    page.screenshot(path=str(SCREENSHOTS / f"job-waiting-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off a phone's screen
    work(jobs.huey(app))  # the worker draws them; the page, reloading itself, then opens the file
    expect(page).to_have_url(re.compile(rf"/documents/jobs/\d+/{ref}-labels\.pdf$"), timeout=30_000)
    drawn = page.request.get(page.url)
    assert drawn.headers["content-type"] == "application/pdf" and drawn.body()[:5] == b"%PDF-"
