"""The recipient closes the chain: a coordinator dispatches crates to a library in Erbil; its librarian,
on a phone in Arabic, checks them in by scanning each crate's label (one damaged, one missing); the
coordinator reads the reconciliation; the accounts balance."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.auth.services import find_by_email
from books2iraq.crating import services as crating
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Recipient
from books2iraq.shipping.models import ShipmentStatus as S
from tests.browser.conftest import PHONE_WIDTH
from tests.browser.helpers import (
    COORDINATOR,
    DEMO_PASSWORD,
    Hands,
    arrange_sealed_crate,
    expect,
    flash,
    in_db,
    page_width,
    sign_in,
    unique_isbn13,
)

pytestmark = pytest.mark.browser

LIBRARIAN = "librarian.erbil@example.org"  # the demo's librarian of Salahaddin University-Erbil
ERBIL = "Salahaddin University-Erbil"


def test_a_librarian_checks_crates_in_by_scanning_on_a_phone_in_arabic(page, sized_page, db_app):
    codes = [arrange_sealed_crate(db_app, isbn=unique_isbn13(), copies=n) for n in (5, 6, 7, 8)]
    with in_db(db_app) as session:
        coordinator = find_by_email(COORDINATOR)
        erbil = session.scalar(sa.select(Recipient).where(Recipient.name_en == ERBIL))
        shipment = shipping.create_shipment(recipient=erbil, actor=coordinator, mode="road", carrier="Zagros Logistics")
        for code in codes:
            shipping.assign_crate(shipment, crating.get_by_code(code), actor=coordinator)
        for status in (S.PACKING, S.READY):
            shipping.change_status(shipment, status, actor=coordinator)
        session.commit()
        ref = shipment.ref

    # The coordinator sends it on its way.
    sign_in(page, COORDINATOR)
    page.goto(f"/shipping/{ref}")
    page.get_by_label("New status").select_option("dispatched")
    page.get_by_role("button", name="Change status").click()
    expect(flash(page)).to_have_text(f"Shipment {ref} is dispatched now.")

    # In Erbil, the librarian's phone speaks Arabic.
    phone = sized_page(PHONE_WIDTH, "ar-phone", locale="ar-IQ")
    phone.goto("/auth/login")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.locator("input[name=email]").fill(LIBRARIAN)
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/receiving/$"))
    expect(phone.locator("h1")).to_have_text("الشحنات المطلوب تسجيل استلامها")
    phone.locator(f"tr[data-shipment={ref}] a").click()
    expect(phone).to_have_url(re.compile(rf"/receiving/{ref}$"))
    progress = phone.locator("[data-progress]")
    expect(progress).to_have_attribute("data-progress", "0/4")

    hands = Hands(phone)
    code_field = phone.locator("form[data-check-in] input[name=code]")
    # Two crates arrive whole: scanned, nothing else.
    for n, code in enumerate(codes[:2], start=1):
        expect(code_field).to_be_focused()
        hands.scan(code)
        expect(progress).to_have_attribute("data-progress", f"{n}/4")
    # One arrives wet: "damaged", how many, then its label.
    hands.click(phone.locator("input[name=outcome][value=damaged]"))
    phone.locator("input[name=damaged]").fill("2")
    phone.locator("textarea[name=note]").fill("ماء المطر تسرب إلى الصندوق")
    code_field.focus()
    hands.scan(codes[2])
    expect(progress).to_have_attribute("data-progress", "3/4")
    expect(phone.locator(f"tr[data-crate='{codes[2]}']")).to_have_attribute("data-outcome", "damaged")
    # The form is back to "received" for the next scan; the last crate never came.
    expect(phone.locator("input[name=outcome][value=received]")).to_be_checked()
    hands.click(phone.locator("input[name=outcome][value=missing]"))
    code_field.focus()
    hands.scan(codes[3])
    expect(progress).to_have_attribute("data-progress", "4/4")
    expect(phone.locator("h1 .badge")).to_have_attribute("data-status", "delivered")
    expect(phone.locator("h1 .badge")).to_have_text("سُلّمت")
    expect(phone.locator("p.flash")).to_contain_text("سُجّلت كل الصناديق")
    expect(phone.locator(f"tr[data-crate='{codes[3]}']")).to_have_attribute("data-outcome", "missing")
    scroll_width, inner_width = page_width(phone)
    assert scroll_width <= inner_width, "the page overflows the phone sideways"

    # Back home, the coordinator reads what arrived.
    page.goto(f"/shipping/{ref}")
    page.get_by_role("link", name="sent and received, crate by crate and title by title").click()
    expect(page.locator("[data-balance]")).to_have_text(
        "Sent 26 = received 16 + damaged 2 + missing 8 + not checked in 0")
    expect(page.locator("[data-verdict]")).to_have_text("Delivered with discrepancies: 2 crates.")
    rows = page.locator("table[data-reconciliation=crates] tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_have_attribute("data-crate", codes[2])  # the crates that arrived short first
    expect(rows.nth(1)).to_have_attribute("data-crate", codes[3])
    expect(rows.nth(0)).to_contain_text("ماء المطر تسرب إلى الصندوق")
    expect(rows.nth(0)).to_contain_text("Dilan Ahmed")
    expect(page.locator("table[data-reconciliation=titles] tbody tr")).to_have_count(2)
    result = db_app.test_cli_runner().invoke(args=["check-accounts"])
    assert result.exit_code == 0 and "every shipment's copies are received" in result.output, result.output
