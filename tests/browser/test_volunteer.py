"""Volunteer at a drop-off point: scan books like a USB barcode scanner, count a bag, add a donor."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.intake.models import Donation, Donor, LotStatus
from books2iraq.reports.accounting import donation_account
from tests.browser.helpers import (
    ODYSSEY_ISBN13,
    PHYSICS_ISBN10,
    PHYSICS_ISBN13,
    VOLUNTEER,
    count,
    expect,
    flash,
    in_db,
    nav,
    page_width,
    sign_in,
    unique,
    unique_isbn13,
)

pytestmark = pytest.mark.browser

REF = re.compile(r"D-\d{4}-\d{6}")


def scan(page, *isbns: str) -> None:
    """What a USB barcode scanner does: type the digits, then Enter, into the focused field.

    Like a volunteer, it first waits for the page to be there with the scans field focused
    (autofocus on a fresh page; a click into it otherwise): a scan fired earlier loses digits.
    """
    expect(page.get_by_label("Scanned ISBNs")).to_be_focused()
    for isbn in isbns:
        page.keyboard.type(f"{isbn}\n")


def test_volunteer_logs_a_donation(page, db_app):
    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    expect(page.get_by_role("heading", name="New donation")).to_be_visible()
    page.get_by_label("Drop-off point").select_option(label="London drop-off (London)")

    scans = page.get_by_label("Scanned ISBNs")
    expect(scans).to_be_focused()  # autofocus: the scanner types straight into it, no click needed
    scan(page, PHYSICS_ISBN13, ODYSSEY_ISBN13, PHYSICS_ISBN13, PHYSICS_ISBN10)  # ISBN-10 of the same physics book
    expect(scans).to_have_value(f"{PHYSICS_ISBN13}\n{ODYSSEY_ISBN13}\n{PHYSICS_ISBN13}\n{PHYSICS_ISBN10}\n")

    bag = f"Arabic children's books {unique()}"
    page.get_by_label("What is in it").first.fill(bag)
    page.get_by_label("Copies", exact=True).first.fill("7")

    donor = f"Browser Donor {unique()}"
    page.get_by_text("Donor (optional)").click()
    page.get_by_label("Donor's name (optional)").fill(donor)
    page.get_by_label("Donor is").select_option("school_drive")
    page.get_by_label("Donor's e-mail").fill("donor@example.org")
    page.get_by_label("The donor agrees to be contacted about this donation").check()
    page.get_by_role("button", name="Record donation").click()

    expect(page).to_have_url(re.compile(r"/intake/donations/D-\d{4}-\d{6}$"))
    ref = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Donation {ref}")
    expect(flash(page)).to_have_text(f"Donation {ref} recorded from {donor}: 11 copies.")
    rows = page.locator("section.card table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(PHYSICS_ISBN13)
    expect(rows.nth(0).locator("td.num")).to_have_text("3")  # two EAN-13 scans + the ISBN-10 scan
    expect(rows.nth(1)).to_contain_text("The Odyssey")
    expect(rows.nth(1).locator("td.num")).to_have_text("1")
    expect(rows.nth(2)).to_contain_text(bag)
    expect(rows.nth(2).locator("td.num")).to_have_text("7")
    expect(page.locator("[data-total]")).to_have_text("11")
    expect(page.locator("section.card")).to_contain_text(f"Donor: {donor} (school drive), agrees to be contacted")

    with in_db(db_app) as session:
        donation = session.scalar(sa.select(Donation).where(Donation.ref == ref))
        assert donation is not None
        assert donation.site.name == "London drop-off"
        assert donation.received_by.email == VOLUNTEER
        assert donation_account(donation).received == 11
        assert [(line.title.isbn13 if line.title else line.description, line.quantity) for line in donation.lines] == [
            (PHYSICS_ISBN13, 3),
            (ODYSSEY_ISBN13, 1),
            (bag, 7),
        ]
        assert sorted(lot.quantity for lot in donation.lots) == [1, 3, 7]
        assert {lot.status for lot in donation.lots} == {LotStatus.RECEIVED}
        assert donation.donor.name == donor
        assert donation.donor.email == "donor@example.org"
        assert donation.donor.consent_to_contact is True
        assert donation.donor.consent_at is not None


def test_volunteer_double_submit_records_one_donation(page, db_app):
    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    isbn = unique_isbn13()
    donor = f"Double Clicker {unique()}"
    scan(page, isbn, isbn)  # the scans field has the focus as the page opens
    page.get_by_text("Donor (optional)").click()
    page.get_by_label("Donor's name (optional)").fill(donor)

    # The page sends its form through its outbox (static/js/offline.js): one send for a double press.
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" and r.url.endswith("/intake/sync") else None)
    page.get_by_role("button", name="Record donation").dblclick()  # an impatient double press
    expect(page).to_have_url(re.compile(r"/intake/donations/D-\d{4}-\d{6}$"))
    ref = page.url.rsplit("/", 1)[1]
    expect(page.locator("[data-total]")).to_have_text("2")
    assert len(posts) == 1, "the form was not sent, or sent twice"

    # The same form sent once more, as a device does when the answer was lost: the same donation again.
    again = page.request.post(
        "/intake/sync",
        data=posts[0].post_data,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    assert again.status == 200
    assert again.json()["ref"] == ref and again.json()["created"] is False

    nav(page, "Donations")
    expect(page.locator("table tbody tr", has_text=donor)).to_have_count(1)
    assert count(db_app, sa.select(Donation).join(Donation.donor).where(Donor.name == donor)) == 1
    assert count(db_app, sa.select(Donor).where(Donor.name == donor)) == 1
    with in_db(db_app) as session:
        donation = session.scalar(sa.select(Donation).where(Donation.ref == ref))
        assert donation_account(donation).received == 2
        assert donation.lines[0].title.isbn13 == isbn


def test_volunteer_form_sent_twice_at_once_records_one_donation(page, db_app):
    """Two sends of one form at the same moment (a double tap on a slow connection)."""
    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    donor = f"Double Tapper {unique()}"
    scan(page, ODYSSEY_ISBN13, f"{PHYSICS_ISBN13} x4")
    page.get_by_text("Donor (optional)").click()
    page.get_by_label("Donor's name (optional)").fill(donor)
    urls = page.evaluate(
        """async () => {
            const form = document.querySelector("form.card");
            const send = () => fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form))});
            const answers = await Promise.all([send(), send()]);
            return answers.map((answer) => answer.ok ? answer.url : `HTTP ${answer.status}`);
        }"""
    )
    assert len(set(urls)) == 1, urls
    assert re.search(r"/intake/donations/D-\d{4}-\d{6}$", urls[0]), urls
    page.goto(urls[0])
    expect(page.locator("[data-total]")).to_have_text("5")
    assert count(db_app, sa.select(Donation).join(Donation.donor).where(Donor.name == donor)) == 1


def test_volunteer_bad_isbn_keeps_the_scans(page, db_app):
    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    before = count(db_app, sa.select(Donation))
    bad = ODYSSEY_ISBN13[:-1] + "7"  # one wrong digit: the check digit no longer fits
    scan(page, ODYSSEY_ISBN13, bad, PHYSICS_ISBN13)
    page.get_by_role("button", name="Record donation").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Scan line 2")
    expect(alert).to_contain_text(bad)
    expect(page.get_by_role("heading", name="New donation")).to_be_visible()
    kept = page.get_by_label("Scanned ISBNs").input_value()
    assert kept.split() == [ODYSSEY_ISBN13, bad, PHYSICS_ISBN13]
    assert count(db_app, sa.select(Donation)) == before

    # Fix the one line and send again: now it is recorded.
    page.get_by_label("Scanned ISBNs").fill(f"{ODYSSEY_ISBN13}\n{PHYSICS_ISBN13}\n")
    page.get_by_role("button", name="Record donation").click()
    expect(page).to_have_url(re.compile(r"/intake/donations/D-\d{4}-\d{6}$"))
    expect(page.locator("[data-total]")).to_have_text("2")
    assert count(db_app, sa.select(Donation)) == before + 1


def test_volunteer_intake_on_a_phone(new_context, shots, db_app):
    context = new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = shots.watch(context.new_page())
    sign_in(page, VOLUNTEER)
    nav(page, "New donation")
    page.get_by_text("Donor (optional)").click()
    expect(page.get_by_label("Donor's name (optional)")).to_be_visible()

    def fits() -> None:
        scroll_width, inner_width = page_width(page)
        assert inner_width == 390
        assert scroll_width <= inner_width, f"{page.url}: {scroll_width}px wide on a {inner_width}px screen"

    fits()
    # The error state too: a long message and the kept scans must fit the screen.
    page.get_by_label("Scanned ISBNs").tap()  # the donor section took the focus: tap back into the scans
    scan(page, "9780140449137")
    page.get_by_role("button", name="Record donation").click()
    expect(page.get_by_role("alert")).to_contain_text("Scan line 1")
    fits()
    # And it still works with the thumb: tap the button, land on the donation.
    page.get_by_label("Scanned ISBNs").fill(f"{ODYSSEY_ISBN13}\n")
    page.get_by_role("button", name="Record donation").tap()
    expect(page).to_have_url(re.compile(r"/intake/donations/D-\d{4}-\d{6}$"))
    ref = page.url.rsplit("/", 1)[1]
    assert REF.fullmatch(ref)
    assert count(db_app, sa.select(Donation).where(Donation.ref == ref)) == 1
