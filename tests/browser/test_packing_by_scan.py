"""Packing with a scanner in hand: each scan answered in place on the crate's page (no reload), the
book just packed shown large, a quantity key (x3) for several copies, and a book still to be sorted
named as such; the hands' work counted per book."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import (
    WAREHOUSE,
    Hands,
    arrange_donation,
    expect,
    in_db,
    nav,
    page_width,
    sign_in,
    unique_isbn13,
)

pytestmark = pytest.mark.browser


def accepted(app, *, isbn: str, copies: int) -> None:
    from books2iraq.auth.services import find_by_email
    from books2iraq.intake.models import Lot
    from books2iraq.sorting import services as sorting

    lot_id = arrange_donation(app, isbn=isbn, copies=copies)["lots"][0]
    with in_db(app) as session:
        sorting.accept(session.get(Lot, lot_id), actor=find_by_email(WAREHOUSE))
        session.commit()


def crate_copies(app, code: str) -> int:
    from books2iraq.crating.models import Crate

    with in_db(app) as session:
        return session.scalar(sa.select(Crate).where(Crate.code == code)).copies


@pytest.mark.parametrize("width", [390, 1280])
def test_packing_a_crate_by_scanning_answers_in_place(sized_page, db_app, width):
    phone = width == 390
    page = sized_page(width)
    first, second, unsorted = unique_isbn13(), unique_isbn13(), unique_isbn13()
    accepted(db_app, isbn=first, copies=2)
    accepted(db_app, isbn=second, copies=4)
    arrange_donation(db_app, isbn=unsorted, copies=2)  # not sorted yet
    sign_in(page, WAREHOUSE)
    nav(page, "Crates")
    page.get_by_role("button", name="Open a new crate").click()
    expect(page).to_have_url(re.compile(r"/crates/B2I-C-\d{6}$"))
    code = page.url.rsplit("/", 1)[1]
    field = page.get_by_label("Scan a book (ISBN), or x5 for 5 of the last one")
    expect(field).to_be_focused()
    page.evaluate("window.__stillHere = true")
    hands = Hands(page)

    hands.scan(first)
    expect(page.locator("[data-last-pack] .big")).to_have_text(f"1 × ISBN {first} (not catalogued yet)")
    hands.scan(first)
    expect(page.locator("[data-last-pack]")).to_contain_text("2 copies of it in the crate")
    # Four of the second book in hand: its scan and its count, the count typed before the scan's answer
    # is back (it still counts that scan, not the one before).
    hands.scan(second)
    hands.scan("x4")
    expect(page.locator("[data-last-pack] .big")).to_contain_text("4 ×")
    expect(page.locator("[data-total]")).to_have_text("6")
    expect(field).to_be_focused()
    books, counts = 6, hands.counts()
    assert page.evaluate("window.__stillHere === true"), "the crate's page reloaded"

    hands.scan(unsorted)
    expect(page.locator("#flashes, [data-inplace] .field-error").first).to_contain_text(
        "2 copies of it are still waiting to be sorted: accept them at sorting first.")
    expect(field).to_have_value(unsorted)  # kept, to scan again once sorted
    assert page.evaluate("document.documentElement.dataset.lastFeedback") == "error"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"packing-by-scan-{width}.png"), full_page=True)
    if phone:
        scroll_width, inner_width = page_width(page)
        assert scroll_width <= inner_width
    assert crate_copies(db_app, code) == 6

    # Taking books out asks first: the question is shown whole, answered once, and the crate is back.
    newest = page.locator("[data-packed] tbody tr").first
    taken = int(newest.locator("td.num").inner_text())
    newest.get_by_role("button", name="Take out").click()
    expect(page.get_by_role("button", name="Yes, take them out")).to_be_visible()
    assert crate_copies(db_app, code) == 6  # nothing done before the answer
    page.get_by_role("button", name="Yes, take them out").click()
    expect(page).to_have_url(re.compile(rf"/crates/{code}$"))
    expect(page.locator("[data-total]")).to_have_text(str(6 - taken))
    assert crate_copies(db_app, code) == 6 - taken
    assert counts == (4, 0, 0)  # six copies of two books: four scans (one of them "x4"), no key, no click
    if not phone:
        hands.report("packing: 6 copies of 2 books, one counted by x4", books, counts)
