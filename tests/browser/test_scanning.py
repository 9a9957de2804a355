"""Intake with a scanner in hand: each scan said at once in a running list (its title from the local
catalogue, a bad check digit marked with its line), a scan that lands in another field moved to the
scans instead of recording the donation, and Ctrl+Enter to record it; on a phone too."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.intake.models import Donation
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import PHYSICS_ISBN13, VOLUNTEER, count, expect, nav, page_width, sign_in, unique_isbn13

pytestmark = pytest.mark.browser

GATSBY = "9780743273565"  # in the demo's local catalogue, given by nobody yet
BAD = "9780306406158"  # the physics book's ISBN with a wrong check digit


def scan(page, *codes: str) -> None:
    """A USB scanner: the digits, then Enter, typed into the focused field."""
    for code in codes:
        page.keyboard.type(f"{code}\n")


@pytest.mark.parametrize("width", [390, 1280])
def test_each_scan_is_said_at_once_and_enter_never_records_the_donation(sized_page, db_app, width):
    phone = width == 390
    page = sized_page(width)
    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    before = count(db_app, sa.select(Donation))
    expect(page.get_by_label("Scanned ISBNs")).to_be_focused()
    scan(page, GATSBY, PHYSICS_ISBN13, BAD, GATSBY)

    listed = page.locator("[data-scan-list]")
    expect(listed.locator(".scan-total")).to_have_text("3 copies of 2 titles, 1 line to fix")
    rows = listed.locator("li.scan")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("× 2The Great Gatsby — F. Scott Fitzgerald")  # the latest scan first
    expect(rows.nth(1)).to_have_attribute("data-known", "bad")
    expect(rows.nth(1)).to_contain_text(f"Line 3: ISBN “{BAD}” has a wrong check digit; scan or type it again.")
    expect(rows.nth(2)).to_contain_text("Introduction to Physics")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"scanning-list-{width}.png"), full_page=True)

    # A scan that lands in the donor's name: moved to the scans, and the donation not recorded.
    new = unique_isbn13()
    page.get_by_text("Donor (optional)").click()
    name = page.get_by_label("Donor's name (optional)")
    name.fill("Layla Hassan")
    name.press("End")
    scan(page, new)
    expect(name).to_have_value("Layla Hassan")
    expect(page.get_by_label("Scanned ISBNs")).to_have_value(re.compile(rf"\n{new}\n$"))
    expect(rows.nth(0)).to_contain_text("new ISBN, not catalogued yet")
    assert "/intake/new" in page.url and count(db_app, sa.select(Donation)) == before

    if phone:  # the big button stays in reach at the bottom of the screen
        scroll_width, inner_width = page_width(page)
        assert scroll_width <= inner_width
        box = page.get_by_role("button", name="Record donation").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844 and box["width"] > 300

    # The bad line fixed, Ctrl+Enter records it.
    scans = page.get_by_label("Scanned ISBNs")
    scans.fill(scans.input_value().replace(f"{BAD}\n", ""))
    expect(listed.locator(".scan-total")).to_have_text("4 copies of 3 titles")
    scans.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/intake/donations/D-\d{4}-\d{6}$"))
    expect(page.locator("[data-total]")).to_have_text("4")
    expect(page.locator("section.card")).to_contain_text("The Great Gatsby")
    assert count(db_app, sa.select(Donation)) == before + 1


def test_intake_takes_one_scan_per_book_and_one_key_per_donation(page, db_app):
    from tests.browser.helpers import Hands

    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    expect(page.get_by_label("Scanned ISBNs")).to_be_focused()
    hands = Hands(page)
    books = [unique_isbn13() for _ in range(4)]
    for isbn in books:
        hands.scan(isbn)
    hands.scan(books[0])  # a second copy of the first book
    hands.scan("x3")  # that scan was three copies: the first book's copies are 1 + 3
    expect(page.locator("[data-scan-list] .scan-total")).to_have_text("7 copies of 4 titles")
    hands.key("Control+Enter")
    expect(page).to_have_url(re.compile(r"/intake/donations/D-\d{4}-\d{6}$"))
    expect(page.locator("[data-total]")).to_have_text("7")
    assert hands.counts() == (6, 1, 0)
    Hands.report("intake: 7 copies of 4 books, one donation (one count typed as x3)", 7, hands.counts())
