"""Pallets in the browser: the warehouse scans sealed crates onto a pallet on a phone and seals it; the
coordinator loads it onto a shipment by its code on a desktop."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.pallets.models import Pallet, PalletStatus
from tests.browser.helpers import (
    COORDINATOR,
    WAREHOUSE,
    arrange_sealed_crate,
    expect,
    flash,
    in_db,
    nav,
    page_width,
    sign_in,
    unique_isbn13,
)

pytestmark = pytest.mark.browser


def arrange_shipment(app) -> str:
    from books2iraq.auth.services import find_by_email
    from books2iraq.shipping import services as shipping
    from books2iraq.shipping.models import Recipient

    with in_db(app) as session:
        recipient = session.scalar(sa.select(Recipient).where(Recipient.active.is_(True)).order_by(Recipient.id))
        shipment = shipping.create_shipment(recipient=recipient, actor=find_by_email(COORDINATOR))
        session.commit()
        return shipment.ref


def test_a_pallet_is_built_on_a_phone_and_loaded_onto_a_shipment(sized_page, db_app):
    crates = [arrange_sealed_crate(db_app, isbn=unique_isbn13(), copies=n, gross_kg="9.50") for n in (4, 5, 6)]
    phone = sized_page(390, "warehouse-phone")
    sign_in(phone, WAREHOUSE)
    phone.goto("/pallets/")
    expect(phone.get_by_role("heading", name="Pallets", level=1)).to_be_visible()
    phone.get_by_role("button", name="Start a new pallet").click()
    expect(phone).to_have_url(re.compile(r"/pallets/B2I-P-\d+$"))
    code = phone.url.rsplit("/", 1)[1]
    field = phone.get_by_label("Scan a sealed crate to put it on")
    expect(field).to_be_focused()  # the scanner types straight into it
    for crate in crates:
        field.fill(crate)
        field.press("Enter")
        expect(flash(phone)).to_have_text(f"Crate {crate} is on pallet {code} now.")
    expect(phone.locator("[data-total=copies]")).to_have_text("15")
    seal = phone.locator("form", has=phone.get_by_role("heading", name="Seal"))
    expect(seal.get_by_label("Length (cm)")).to_have_value("120")  # a Euro pallet's footprint, offered
    seal.get_by_label("Gross weight with the pallet (kg)").fill("20")
    seal.get_by_label("Height with the crates (cm)").fill("85")
    seal.get_by_role("button", name="Seal pallet").click()
    expect(phone.locator("main")).to_contain_text("weighs at least its crates, 28.50 kg; you gave 20.00 kg.")
    seal = phone.locator("form", has=phone.get_by_role("heading", name="Seal"))
    seal.get_by_label("Gross weight with the pallet (kg)").fill("51.5")
    seal.get_by_role("button", name="Seal pallet").click()
    expect(flash(phone)).to_have_text(f"Pallet {code} sealed with 3 crates; print its label.")
    expect(phone.get_by_role("link", name="label", exact=True)).to_be_visible()
    scroll_width, inner_width = page_width(phone)
    assert scroll_width <= inner_width
    with in_db(db_app) as session:
        pallet = session.scalar(sa.select(Pallet).where(Pallet.code == code))
        assert pallet.status is PalletStatus.SEALED and [c.code for c in pallet.crates] == crates

    ref = arrange_shipment(db_app)
    desk = sized_page(1280, "coordinator-desktop")
    sign_in(desk, COORDINATOR)
    nav(desk, "Shipments")
    desk.goto(f"/shipping/{ref}")
    desk.get_by_label("Scan or choose a sealed crate or pallet").fill(code)
    desk.get_by_role("button", name="Add", exact=True).click()
    expect(flash(desk)).to_have_text(f"Pallet {code} is on {ref} now, with its 3 crates.")
    expect(desk.locator(f"tr[data-pallet='{code}'] td").nth(2)).to_have_text("3")
    expect(desk.locator("[data-packages]")).to_have_text("1 package: 1 pallet.")
    for crate in crates:  # each crate named with its pallet, and no Remove of its own
        row = desk.locator(f"tr[data-crate='{crate}']")
        expect(row).to_contain_text(code)
        expect(row.get_by_role("button", name="Remove")).to_have_count(0)
