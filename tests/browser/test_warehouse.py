"""Warehouse: sort a lot from the queue, reject one on its page, pack a crate by scanning, seal it, print its label."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.intake.models import Disposition, Donation, Lot, LotStatus, RejectReason
from books2iraq.reports.accounting import donation_account
from tests.browser.helpers import (
    WAREHOUSE,
    arrange_donation,
    expect,
    flash,
    in_db,
    nav,
    sign_in,
    unique,
    unique_isbn13,
)

pytestmark = pytest.mark.browser


def test_warehouse_sorts_packs_and_seals(page, db_app):
    isbn = unique_isbn13()
    bag = f"Mouldy encyclopaedias {unique()}"
    arranged = arrange_donation(db_app, isbn=isbn, copies=10, bag=(bag, 4))
    book_lot, bag_lot = arranged["lots"]

    sign_in(page, WAREHOUSE)

    # Sorting queue: accept 6 of the 10 copies right from the queue.
    nav(page, "Sorting")
    expect(page.get_by_role("heading", name="Sorting queue")).to_be_visible()
    # The queue may hold more than a page (the other journeys' donations): the donation's reference,
    # scanned, brings up its lots.
    page.get_by_label("Scan a book or a donation").fill(arranged["ref"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/sorting/\?donation={arranged['ref']}$"))
    row = page.locator("tbody tr", has_text=isbn)
    expect(row.locator("td.num")).to_have_text("10")
    row.get_by_label("Copies to accept").fill("6")
    row.get_by_role("button", name="Accept").click()
    expect(flash(page)).to_have_text(f"Accepted 6 copies of ISBN {isbn} (not catalogued yet).")
    expect(page).to_have_url(re.compile(rf"/sorting/\?donation={arranged['ref']}$"))
    expect(page.locator("tbody tr", has_text=isbn).locator("td.num")).to_have_text("4")  # the rest still waits

    # Reject the mouldy bag on its lot page, with a reason, a disposition and a note.
    page.locator("tbody tr", has_text=bag).get_by_role("link", name=str(bag_lot), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lot {bag_lot}: 4 × {bag}")
    reject = page.locator("form", has=page.get_by_role("heading", name="Reject"))
    reject.locator("select[name=reason]").select_option("mould")
    reject.get_by_label("What happens to them").select_option("recycle")
    reject.get_by_label("Note").fill("smells of damp")
    reject.get_by_role("button", name="Reject").click()
    expect(flash(page)).to_have_text(f"Rejected 4 copies of {bag} (mould, recycle).")
    expect(page.locator("h1 + p .badge")).to_have_text("rejected")
    expect(page.locator("main")).to_contain_text("Rejected: mould, recycle (smells of damp).")
    expect(page.locator("form", has=page.get_by_role("heading", name="Reject"))).to_have_count(0)

    # Crates: open a new one and scan the accepted books into it.
    nav(page, "Crates")
    page.get_by_role("button", name="Open a new crate").click()
    expect(page).to_have_url(re.compile(r"/crates/B2I-C-\d+$"))
    code = page.url.rsplit("/", 1)[1]
    expect(flash(page)).to_have_text(f"Crate {code} opened; scan books into it.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Crate {code} open")
    isbn_field = page.get_by_label("Scan a book (ISBN)")
    expect(isbn_field).to_be_focused()  # autofocus: the scanner types into it straight away
    page.keyboard.type(f"{isbn}\n")
    expect(flash(page)).to_have_text(f"Packed 1 × ISBN {isbn} (not catalogued yet) into {code}.")
    expect(isbn_field).to_be_focused()  # ready for the next scan
    page.keyboard.type(f"{isbn}\n")
    expect(page.locator("tfoot [data-total]")).to_have_text("2")
    page.get_by_label("Copies", exact=True).fill("4")  # the other four of the same title in one go
    isbn_field.click()
    page.keyboard.type(f"{isbn}\n")
    expect(flash(page)).to_contain_text("Packed 4 ×")
    expect(page.locator("tfoot [data-total]")).to_have_text("6")
    expect(isbn_field).to_be_focused()  # the page has loaded and focused the field: a scanner can type
    page.keyboard.type(f"{isbn}\n")  # one scan too many: nothing accepted is left
    expect(page.get_by_role("alert")).to_contain_text("Only 0 accepted copies")
    expect(page.locator("tfoot [data-total]")).to_have_text("6")

    # Seal it with its weight and size.
    seal = page.locator("form", has=page.get_by_role("heading", name="Seal"))
    seal.get_by_label("Gross weight (kg)").fill("9.5")
    seal.get_by_label("Length (cm)").fill("60")
    seal.get_by_label("Width (cm)").fill("40")
    seal.get_by_label("Height (cm)").fill("40")
    seal.get_by_role("button", name="Seal crate").click()
    expect(flash(page)).to_have_text(f"Crate {code} sealed.")
    expect(page.locator("h1 .badge")).to_have_text("sealed")
    expect(page.locator("main")).to_contain_text("Gross 9.50 kg, 60×40×40 cm")
    # A book scanned on the sealed crate's page is refused, said so under the field, and the scan kept.
    expect(page.locator("[data-sealed] .notice")).to_contain_text(f"Crate {code} is sealed")
    expect(page.get_by_label("Scan a book (ISBN)")).to_be_focused()
    page.keyboard.type(f"{isbn}\n")
    expect(page.locator(".field-error")).to_have_text(
        f"Crate {code} is sealed: nothing was packed. Reopen it to pack more books, or go to another crate (scan its code)."
    )
    expect(page.get_by_label("Scan a book (ISBN)")).to_have_value(isbn)
    expect(page.locator("tfoot [data-total]")).to_have_text("6")

    # Its label, as the printer gets it.
    label_link = page.get_by_role("link", name="label", exact=True)
    answer = page.request.get(label_link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/pdf")
    assert answer.body().startswith(b"%PDF")

    nav(page, "Crates")
    page.get_by_role("link", name="sealed", exact=True).click()
    sealed_row = page.locator("tbody tr", has_text=code)
    expect(sealed_row).to_contain_text("sealed")
    expect(sealed_row.locator("td.num").first).to_have_text("6")

    with in_db(db_app) as session:
        crate = session.scalar(sa.select(Crate).where(Crate.code == code))
        assert crate.status is CrateStatus.SEALED
        assert crate.gross_kg == Decimal("9.50")
        assert (crate.length_cm, crate.width_cm, crate.height_cm) == (60, 40, 40)
        assert crate.sealed_at is not None
        assert [(lot.title.isbn13, lot.status) for lot in crate.lots] == [(isbn, LotStatus.PACKED)] * len(crate.lots)
        assert sum(lot.quantity for lot in crate.lots) == 6

        lots = session.scalars(sa.select(Lot).where(Lot.donation_id == session.get(Lot, book_lot).donation_id)).all()
        copies = {}
        for lot in lots:
            copies[lot.status] = copies.get(lot.status, 0) + lot.quantity
        assert copies == {LotStatus.PACKED: 6, LotStatus.RECEIVED: 4, LotStatus.REJECTED: 4}
        rejected = session.get(Lot, bag_lot)
        assert rejected.status is LotStatus.REJECTED
        assert (rejected.reject_reason, rejected.disposition, rejected.reject_note) == (
            RejectReason.MOULD,
            Disposition.RECYCLE,
            "smells of damp",
        )
        donation = session.scalar(sa.select(Donation).where(Donation.ref == arranged["ref"]))
        account = donation_account(donation)
        assert (account.received, account.unsorted, account.accepted, account.packed, account.rejected) == (14, 4, 0, 6, 4)
        assert account.balanced
