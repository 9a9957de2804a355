"""A coordinator with a full warehouse behind them: the demo operation and 2,000 donations more.

Records are found by each kind of search term from the header's box, every donation is reached by
paging, a donation is corrected and two records of one book are merged, and the accounts balance
after each change. The operation has a live server of its own, so the other journeys' data stays
as they expect it.
"""
from __future__ import annotations

import logging
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from books2iraq import create_app
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, Lot, Title
from tests.browser.helpers import COORDINATOR, DEMO_PASSWORD, expect, flash, in_db

pytestmark = pytest.mark.browser

DONATIONS = 2_000
DONORS = ["Hillside Academy book drive", "Manchester Iraqi Community Centre", "مكتبة الحكمة", "Dar Al-Saqi Books"]


@pytest.fixture(scope="module")
def operation(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    """The demo and 2,000 donations more, two records of one book among their titles; a live server on it."""
    from werkzeug.serving import make_server

    from books2iraq.auth.services import find_by_email
    from books2iraq.intake import services as intake
    from books2iraq.sites.models import Site, SiteKind

    path = tmp_path_factory.mktemp("scale") / "books2iraq.sqlite"
    shutil.copyfile(demo_sqlite, path)
    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        volunteer = find_by_email("volunteer@example.org")
        sites = db.session.scalars(sa.select(Site).where(Site.kind == SiteKind.DROP_OFF).order_by(Site.id)).all()
        titles = db.session.scalars(sa.select(Title).order_by(Title.id)).all()
        typed = Title(title="The Histories", authors="Herodotus")  # catalogued by hand, no ISBN
        scanned = Title(isbn13="9780140449648")  # the same book, scanned, no title yet
        db.session.add_all([typed, scanned])
        donors = [intake.create_donor(name=name, actor=volunteer) for name in DONORS]
        for n in range(DONATIONS):
            book = typed if n == 7 else scanned if n == 11 else titles[n % len(titles)]
            intake.record_donation(
                site=sites[n % len(sites)], actor=volunteer, donor=donors[n % len(donors)] if n % 3 else None,
                lines=[intake.LineInput(quantity=1 + n % 4, title=book)],
            )
        db.session.commit()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, create_app({"SQLALCHEMY_DATABASE_URI": url}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def balanced(app: Flask) -> None:
    """`flask check-accounts`, as an operator runs it."""
    result = app.test_cli_runner().invoke(args=["check-accounts"])
    assert result.exit_code == 0 and "donations balance" in result.output, result.output


def search(page: Any, words: str) -> None:
    box = page.locator("header form.header-search input[name=q]")
    box.fill(words)
    box.press("Enter")


@pytest.mark.slow
def test_a_coordinator_finds_pages_corrects_and_merges_in_a_full_warehouse(operation, new_context, shots):
    base, app = operation
    page = shots.watch(new_context(viewport={"width": 1366, "height": 900}).new_page())
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(COORDINATOR)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    balanced(app)
    with in_db(app) as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(Donation))
        some = session.scalars(sa.select(Donation.ref).order_by(Donation.id).offset(1234).limit(1)).one()
    assert total == DONATIONS + 300  # and the demo's

    # A scanned donation ref opens the donation.
    search(page, some)
    expect(page).to_have_url(re.compile(rf"/intake/donations/{some}$"))

    # A donor's name: every one of their donations, page by page.
    search(page, "hillside drive")
    expect(page.locator("p[data-total]")).to_contain_text("found for “hillside drive”")
    page.get_by_role("link", name=re.compile(r"^All [\d,]+ donations")).click()
    expect(page).to_have_url(re.compile(r"kind=donation"))  # the list itself, not the summary still on screen
    with in_db(app) as session:
        theirs = set(session.scalars(sa.select(Donation.ref).join(Donation.donor).where(
            sa.func.lower(sa.literal_column("donors.name")).like("hillside%"))))
    seen: list[str] = []
    while True:
        # The page that follows the last one read, whole: its pager says where it starts and ends (a new
        # address alone may show while the page before is still on screen, or the new one half read).
        pager = page.locator("nav.pager").first
        expect(pager).to_have_attribute("data-first", str(len(seen) + 1))
        rows = page.locator("table[data-results=donation] td[data-label=Donation] a").all_inner_texts()
        assert len(rows) == int(pager.get_attribute("data-last") or 0) - len(seen)
        seen += rows
        following = page.locator("nav.pager a[rel=next]")
        if not following.count():
            break
        following.first.click()
    assert len(seen) == len(theirs) and set(seen) == theirs

    # An ISBN-10 as printed on an old book, an Arabic title typed without hamza or ta marbuta, a crate
    # code and a container number.
    search(page, "0-306-40615-2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Introduction to Physics")
    search(page, "موسم الهجره الى")
    expect(page.locator("table[data-results=title]")).to_contain_text("موسم الهجرة إلى الشمال")
    search(page, "B2I-C-000041")
    expect(page).to_have_url(re.compile(r"/crates/B2I-C-000041$"))
    search(page, "CSQU3054383")
    expect(page.locator("table[data-results=shipment]")).to_contain_text("University of Basrah Central Library")

    # Every donation is reached by paging through the list.
    page.goto(f"{base}/intake/donations?per_page=200")
    expect(page.locator("nav.pager").first).to_contain_text(f"1–200 of {total:,} donations")
    refs: list[str] = []
    while True:
        refs += re.findall(r"/intake/donations/(D-\d{4}-\d{6})", page.locator("table").first.inner_html())
        following = page.locator("nav.pager a[rel=next]")
        if not following.count():
            break
        before = page.url
        following.first.click()
        page.wait_for_url(lambda url, before=before: url != before)  # the next page itself, not the one still on screen
    assert len(refs) == total and len(set(refs)) == total
    for path, noun in (("/sorting/", "lots"), ("/crates/", "crates"), ("/titles/", "titles")):
        page.goto(f"{base}{path}")
        pager = page.locator("nav.pager").first
        expect(pager).to_contain_text(re.compile(rf"1–\d+ of [\d,]+ {noun}"))
        if page.locator("nav.pager a", has_text="Last").count():
            page.locator("nav.pager a", has_text="Last").first.click()
            expect(page.locator("nav.pager").first).to_contain_text(re.compile(rf"\d+–(\d[\d,]*) of \1 {noun}"))

    # A donation corrected: its note, with the reason.
    page.goto(f"{base}/intake/donations/{some}")
    page.locator("summary", has_text="Donor, date or note").click()
    page.get_by_label("Note").fill("Two boxes, left at the back door")
    page.locator("#details-reason").fill("The volunteer typed the note into the wrong donation")
    page.get_by_role("button", name="Save the correction").click()
    expect(flash(page)).to_contain_text("corrected")
    expect(page.locator("body")).to_contain_text("The volunteer typed the note into the wrong donation")
    balanced(app)

    # Two records of one book merged: the scanned ISBN into the title typed by hand.
    search(page, "histories herodotus")
    page.locator("table[data-results=title] a", has_text="The Histories").click()
    page.get_by_label("The other record: its title number or ISBN").fill("978-0-14-044964-8")
    page.get_by_label("I have checked that both records are this same book").check()
    page.get_by_role("button", name="Merge").click()
    expect(flash(page)).to_contain_text("The two records are one now")
    expect(page.locator("dl.details")).to_contain_text("9780140449648")
    expect(page.locator("table[data-lots] tbody tr")).to_have_count(2)
    with in_db(app) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Title).where(Title.isbn13 == "9780140449648")) == 1
        assert {t for (t,) in session.execute(sa.select(Lot.title_id).join(Lot.title).where(
            Title.title == "The Histories"))} == {session.scalar(sa.select(Title.id).where(Title.isbn13 == "9780140449648"))}
    balanced(app)
