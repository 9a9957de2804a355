"""Shared pieces of the browser journeys: signing in, unique data, database checks, arranging data.

Playwright is imported softly: without it the conftest skips (or, with REQUIRE_BROWSER=1, fails)
every browser test before any of this is used.
"""
from __future__ import annotations

import itertools
import json
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from books2iraq.extensions import db
from tests.conftest import PASSWORD

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - the conftest skips (or fails) every browser test then
    Page = Any  # type: ignore[misc,assignment]
    expect = None  # type: ignore[assignment]

    class PlaywrightError(Exception):  # type: ignore[no-redef]
        pass

DEMO_PASSWORD = PASSWORD  # the demo of tests/conftest.py (demo_sqlite)
VOLUNTEER = "volunteer@example.org"
WAREHOUSE = "warehouse@example.org"
COORDINATOR = "coordinator@example.org"
ADMIN = "admin@example.org"

# Demo catalogue (books2iraq.demo.TITLES)
PHYSICS_ISBN13 = "9780306406157"
PHYSICS_ISBN10 = "0306406152"  # the same book, as an old ISBN-10 barcode
ODYSSEY_ISBN13 = "9780140449136"

_counter = itertools.count(1)


def unique(prefix: str = "") -> str:
    """A short string no other journey (or earlier run on the same data) uses."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def unique_isbn13() -> str:
    """A valid ISBN-13 (978 prefix, right check digit) that is not in the demo catalogue."""
    body = "978" + f"{next(_counter) % 1000:03d}" + f"{random.randrange(10**6):06d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def nav(page: Page, label: str) -> None:
    """Follow a link of the main navigation, as a person would."""
    page.locator("nav.main-nav").get_by_role("link", name=label, exact=True).click()


def flash(page: Page):
    return page.locator("p.flash")


def page_width(page: Page) -> tuple[int, int]:
    """(document scrollWidth, window innerWidth): nothing overflows sideways while the first <= the second."""
    return tuple(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))


@contextmanager
def in_db(app: Flask) -> Iterator[Any]:
    """An application context on the live server's database, for checks and for arranging data."""
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.rollback()


def count(app: Flask, stmt: sa.Select) -> int:
    with in_db(app) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())))


def arrange_donation(app: Flask, *, isbn: str, copies: int, bag: tuple[str, int] | None = None) -> dict[str, Any]:
    """A donation logged at the London drop-off, as the volunteer; returns its ref and lot ids."""
    from books2iraq.auth.services import find_by_email
    from books2iraq.intake import services as intake
    from books2iraq.sites.models import Site

    with in_db(app) as session:
        london = session.scalar(sa.select(Site).where(Site.name == "London drop-off"))
        lines = [intake.LineInput(quantity=copies, isbn=isbn)]
        if bag:
            lines.append(intake.LineInput(quantity=bag[1], description=bag[0]))
        donation = intake.record_donation(site=london, actor=find_by_email(VOLUNTEER), lines=lines)
        session.commit()
        return {"ref": donation.ref, "lots": [lot.id for lot in donation.lots]}


def arrange_sealed_crate(app: Flask, *, isbn: str, copies: int, gross_kg: str = "7.25") -> str:
    """A donation sorted, packed into a new crate and sealed, all by the services; returns its code."""
    from books2iraq.auth.services import find_by_email
    from books2iraq.crating import services as crating
    from books2iraq.intake.models import Lot
    from books2iraq.sites.models import Site, SiteKind
    from books2iraq.sorting import services as sorting

    lot_id = arrange_donation(app, isbn=isbn, copies=copies)["lots"][0]
    with in_db(app) as session:
        warehouse_user = find_by_email(WAREHOUSE)
        warehouse = session.scalar(sa.select(Site).where(Site.kind == SiteKind.WAREHOUSE).order_by(Site.id))
        accepted = sorting.accept(session.get(Lot, lot_id), actor=warehouse_user)
        crate = crating.open_crate(site=warehouse, actor=warehouse_user)
        crating.pack(accepted, crate, actor=warehouse_user)
        crating.seal(crate, gross_kg=Decimal(gross_kg), length_cm=50, width_cm=40, height_cm=30, actor=warehouse_user)
        session.commit()
        return crate.code


KEYSTROKES = Path(__file__).resolve().parents[2] / "test-artifacts" / "keystrokes.json"


class Hands:
    """A volunteer's hands at a scanner page: scans, keys and clicks, counted; report() writes the
    counts per book to test-artifacts/keystrokes.json (one entry per journey), for the notes."""

    def __init__(self, page: Page):
        self.page, self.scans, self.keys, self.clicks = page, 0, 0, 0

    def scan(self, code: str) -> None:
        # The page's scripts have run: a scan before that is sent as a plain form, and the page reloads
        # (which works, but a journey that checks the page answers in place would see the reload).
        self.page.wait_for_load_state("load")
        self.page.keyboard.type(f"{code}\n")  # a USB scanner: the code, then Enter
        self.scans += 1

    def key(self, key: str) -> None:
        self.page.wait_for_load_state("load")
        self.page.keyboard.press(key)
        self.keys += 1

    def click(self, locator: Any) -> None:
        locator.click()
        self.clicks += 1

    def counts(self) -> tuple[int, int, int]:
        return self.scans, self.keys, self.clicks

    @staticmethod
    def report(journey: str, books: int, counts: tuple[int, int, int]) -> None:
        KEYSTROKES.parent.mkdir(parents=True, exist_ok=True)
        found = json.loads(KEYSTROKES.read_text()) if KEYSTROKES.exists() else {}
        scans, keys, clicks = counts
        found[journey] = {"books": books, "scans": scans, "keys": keys, "clicks": clicks,
                          "per book": {"scans": round(scans / books, 2), "keys": round(keys / books, 2),
                                       "clicks": round(clicks / books, 2)}}
        KEYSTROKES.write_text(json.dumps(found, indent=1, ensure_ascii=False))


def fake_camera_video(path: Path, picture: Any) -> Path:
    """A video file for Chromium's fake camera (--use-file-for-fake-video-capture): `picture` (a Pillow
    image: a barcode, a printed label) held still in front of the camera, as Y4M frames (4:2:0)."""
    from PIL import Image

    frame = Image.new("L", (640, 480), 255)
    shown = picture.convert("L")
    shown.thumbnail((600, 440))
    frame.paste(shown, ((640 - shown.width) // 2, (480 - shown.height) // 2))
    chroma = bytes([128]) * (320 * 240 * 2)
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + frame.tobytes() + chroma)
    return path


def barcode_picture(isbn13: str) -> Any:
    """An ISBN's EAN-13 barcode, as printed on the back of a book."""
    import zxingcpp
    from PIL import Image

    image = zxingcpp.create_barcode(isbn13, zxingcpp.BarcodeFormat.EAN13).to_image(scale=3)
    height, width = memoryview(image).shape
    return Image.frombuffer("L", (width, height), bytes(memoryview(image)))
