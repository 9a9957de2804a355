"""Sorting with a scanner in hand: a donation scanned brings up its lots, each book scanned is accepted
at once, a reason key rejects the book just scanned, Shift+A accepts the rest of the donation, and a
counted bag is catalogued by scanning its books; the queue answers in place, never reloading."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import VOLUNTEER, WAREHOUSE, Hands, expect, in_db, nav, page_width, sign_in, unique_isbn13

pytestmark = pytest.mark.browser


def arrange(app, *, lines) -> dict:
    """A donation at the London drop-off: ISBN lines (isbn, copies) and counted bags (description, copies)."""
    from books2iraq.auth.services import find_by_email
    from books2iraq.intake import services as intake
    from books2iraq.sites.models import Site

    with in_db(app) as session:
        london = session.scalar(sa.select(Site).where(Site.name == "London drop-off"))
        donation = intake.record_donation(site=london, actor=find_by_email(VOLUNTEER), lines=[
            intake.LineInput(quantity=n, isbn=code) if code[0].isdigit() else intake.LineInput(quantity=n, description=code)
            for code, n in lines
        ])
        session.commit()
        return {"ref": donation.ref, "lots": [lot.id for lot in donation.lots]}


def statuses(app, lot_ids) -> list[tuple]:
    from books2iraq.intake.models import Lot

    with in_db(app) as session:
        found = session.scalars(sa.select(Lot).where(sa.or_(Lot.id.in_(lot_ids), Lot.parent_id.in_(lot_ids))).order_by(Lot.id))
        return [(lot.title.isbn13 if lot.title else None, lot.quantity, lot.status.value,
                 lot.reject_reason.value if lot.reject_reason else None) for lot in found]


def no_reload_since(page) -> bool:
    return page.evaluate("window.__stillHere === true")


@pytest.mark.parametrize("width", [390, 1280])
def test_sorting_a_donation_by_scanning_each_book(sized_page, db_app, width):
    phone = width == 390
    page = sized_page(width)
    first, second, third = unique_isbn13(), unique_isbn13(), unique_isbn13()
    donation = arrange(db_app, lines=[(first, 3), (second, 2), ("box of novels", 2)])
    sign_in(page, WAREHOUSE)
    nav(page, "Sorting")
    hands = Hands(page)
    scan_field = page.get_by_label("Scan a book or a donation")
    expect(scan_field).to_be_focused()
    page.evaluate("window.__stillHere = true")

    hands.scan(donation["ref"])
    expect(page.locator("[data-queue] tr[data-lot]")).to_have_count(3)
    expect(page.get_by_text(f"3 lots waiting in donation {donation['ref']}")).to_be_visible()
    expect(page.locator("[data-queue] tr.marked")).to_have_attribute("data-lot", str(donation["lots"][0]))
    hands.click(page.get_by_label("Accept each book as it is scanned"))  # once for the whole donation
    setup = (hands.scans, hands.keys, hands.clicks)

    # Three copies of the first book in hand: three scans, no key, no click.
    accepted = []
    for _ in range(3):
        hands.scan(first)
        expect(page.locator("#flashes")).to_contain_text("Accepted 1 copy of")
        expect(page.locator("[data-last-scan]")).not_to_have_attribute("data-last-scan", accepted[-1] if accepted else "")
        accepted.append(page.locator("[data-last-scan]").get_attribute("data-last-scan"))
        expect(page.locator("[data-last-scan] .big")).to_contain_text("1 ×")
        expect(scan_field).to_be_focused()
        expect(scan_field).to_have_value("")
    # The third was water-damaged after all: its reason key rejects the copy just scanned.
    hands.key("w")
    expect(page.locator("#flashes")).to_contain_text("(water damaged, recycle)")
    expect(page.locator("[data-last-scan] .badge")).to_have_text("rejected")
    accept_scans = (hands.scans - setup[0], hands.keys - setup[1], hands.clicks - setup[2])

    # Shift+A accepts the rest of the donation (the second book); the bag waits to be catalogued.
    hands.key("Shift+A")
    expect(page.locator("#flashes")).to_contain_text(f"Accepted 2 copies of donation {donation['ref']}. 2 copies in counted bags still wait")
    expect(page.locator("[data-queue] tr[data-lot]")).to_have_count(1)
    assert no_reload_since(page), "the queue reloaded"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"sorting-by-scan-{width}.png"), full_page=True)
    if phone:
        scroll_width, inner_width = page_width(page)
        assert scroll_width <= inner_width

    # The site filter, in place too: its fields are the whole query, as a browser's plain submit has it.
    page.locator("[data-sorting] select[name=site]").select_option(label="London drop-off")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"/sorting/\?donation={donation['ref']}&site=\d+$"))
    expect(page.locator("[data-queue] tr[data-lot]")).to_have_count(1)
    assert no_reload_since(page), "the queue reloaded"

    # The counted bag: its page, then each of its books scanned.
    hands.click(page.locator("[data-queue] tr[data-lot]").get_by_role("link", name="Catalogue…"))
    bag_field = page.get_by_label("Scan each book of the bag")
    expect(bag_field).to_be_focused()
    page.evaluate("window.__stillHere = true")
    hands.scan(third)
    expect(page.locator("#flashes")).to_contain_text("1 copy left in the bag")
    hands.scan(first)
    expect(page.locator("#flashes")).to_contain_text("that was the bag's last copy")
    assert no_reload_since(page), "the bag's page reloaded"

    lots = donation["lots"]
    assert sorted(statuses(db_app, lots), key=str) == sorted([
        (first, 1, "accepted", None), (first, 1, "accepted", None), (first, 1, "rejected", "water_damaged"),
        (second, 2, "accepted", None), (third, 1, "accepted", None), (first, 1, "accepted", None),
    ], key=str)
    # Per book: one scan; one key more for the book rejected; no click.
    assert accept_scans == (3, 1, 0)
    if not phone:
        hands.report("sorting: 3 books scanned, accepted on scan, one rejected by its reason key", 3, accept_scans)
