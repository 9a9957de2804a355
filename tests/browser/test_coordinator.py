"""Coordinator: a new recipient (Arabic name), a shipment to it, its container number, a crate, statuses; the dashboard."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from books2iraq.crating.models import Crate
from books2iraq.reports import tallies
from books2iraq.shipping.models import (
    Governorate,
    Recipient,
    Shipment,
    ShipmentStatus,
    TransportMode,
)
from tests.browser.helpers import (
    COORDINATOR,
    arrange_sealed_crate,
    expect,
    flash,
    in_db,
    nav,
    sign_in,
    unique,
    unique_isbn13,
)

pytestmark = pytest.mark.browser

NAME_AR = "مكتبة جامعة البصرة المركزية"
ADDRESS_AR = "باب الزبير، البصرة"


def test_coordinator_plans_and_readies_a_shipment(page, db_app):
    crate_code = arrange_sealed_crate(db_app, isbn=unique_isbn13(), copies=5, gross_kg="7.25")
    name_en = f"University of Basrah Central Library {unique()}"

    sign_in(page, COORDINATOR)

    # A recipient, with its name and address in Arabic.
    nav(page, "Recipients")
    page.get_by_role("link", name="Add a recipient").click()
    page.get_by_label("Name (English)").fill(name_en)
    page.get_by_label("Name (Arabic)").fill(NAME_AR)
    expect(page.get_by_label("Name (Arabic)")).to_have_attribute("dir", "rtl")
    page.get_by_label("Address (English)").fill("Bab Al-Zubair, Basrah")
    page.get_by_label("Address (Arabic)").fill(ADDRESS_AR)
    page.get_by_label("City").fill("Basra")
    page.get_by_label("Governorate").select_option("basra")
    page.get_by_label("Kind").select_option("university")
    page.get_by_label("Contact name").fill("Head Librarian")
    page.get_by_role("button", name="Add recipient").click()
    expect(flash(page)).to_have_text(f"Recipient {name_en} added.")
    row = page.locator("tbody tr", has_text=name_en)
    expect(row.locator("td.ar")).to_have_text(NAME_AR)
    expect(row).to_contain_text("Basra")

    # A shipment to it, planned from its row.
    row.get_by_role("link", name="Plan a shipment").click()
    expect(page.get_by_role("heading", name="New shipment")).to_be_visible()
    expect(page.get_by_label("Recipient")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Recipient").locator("option:checked")).to_have_text(f"{name_en} (Basra)")
    page.get_by_label("Transport mode").select_option("sea")
    page.get_by_label("Carrier").fill("Browser Line")
    page.get_by_label("Port of loading").fill("Felixstowe")
    page.get_by_label("Port of discharge").fill("Umm Qasr")
    page.get_by_role("button", name="Plan shipment").click()
    expect(page).to_have_url(re.compile(r"/shipping/S-\d{4}-\d+$"))
    ref = page.url.rsplit("/", 1)[1]
    expect(flash(page)).to_have_text(f"Shipment {ref} planned for {name_en}.")
    expect(page.locator("h1 .badge")).to_have_text("planned")
    expect(page.locator("main p span.ar").first).to_have_text(NAME_AR)

    # A container number with a wrong check digit is refused, with what was typed kept.
    container = page.get_by_label("Container number")
    container.fill("CSQU3054384")
    page.get_by_role("button", name="Save transport details").click()
    expect(page.get_by_role("alert")).to_contain_text("ISO 6346")
    expect(page.get_by_role("alert")).to_contain_text("CSQU3054384")
    expect(page.get_by_label("Container number")).to_have_value("CSQU3054384")
    with in_db(db_app) as session:
        assert session.scalar(sa.select(Shipment.container_no).where(Shipment.ref == ref)) is None
    page.get_by_label("Container number").fill("CSQU 305438 3")
    page.get_by_role("button", name="Save transport details").click()
    expect(flash(page)).to_have_text(f"Transport details of {ref} saved.")
    expect(page.get_by_label("Container number")).to_have_value("CSQU3054383")

    # A sealed crate, scanned in (the code field has the focus).
    crate_field = page.get_by_label("Scan or choose a sealed crate")
    expect(crate_field).to_be_focused()
    page.keyboard.type(f"{crate_code}\n")
    expect(flash(page)).to_have_text(f"Crate {crate_code} is on {ref} now.")
    expect(page.locator(f'tr[data-crate="{crate_code}"]')).to_contain_text("7.25")
    expect(page.locator('[data-total="crates"]')).to_have_text("1")
    expect(page.locator('[data-total="copies"]')).to_have_text("5")
    expect(page.get_by_role("link", name="customs manifest")).to_be_visible()

    # Through its statuses: packing, then ready.
    for status, where in (("packing", "Birmingham warehouse"), ("ready", "Felixstowe")):
        page.get_by_label("New status").select_option(status)
        page.get_by_label("Where").fill(where)
        page.get_by_role("button", name="Change status").click()
        expect(flash(page)).to_have_text(f"Shipment {ref} is {status} now.")
        expect(page.locator("h1 .badge")).to_have_text(status)
    expect(page.locator("tr[data-event]")).to_have_count(3)  # planned, packing, ready; newest first
    expect(page.locator("tr[data-event]").first).to_contain_text("Felixstowe")
    expect(page.get_by_label("Scan or choose a sealed crate")).to_have_count(0)  # a ready shipment takes no crates

    with in_db(db_app) as session:
        recipient = session.scalar(sa.select(Recipient).where(Recipient.name_en == name_en))
        assert (recipient.name_ar, recipient.address_ar, recipient.governorate) == (NAME_AR, ADDRESS_AR, Governorate.BASRA)
        shipment = session.scalar(sa.select(Shipment).where(Shipment.ref == ref))
        assert shipment.recipient_id == recipient.id
        assert shipment.status is ShipmentStatus.READY
        assert shipment.mode is TransportMode.SEA
        assert shipment.container_no == "CSQU3054383"
        assert [(e.from_status, e.to_status) for e in shipment.events] == [
            (None, ShipmentStatus.PLANNED),
            (ShipmentStatus.PLANNED, ShipmentStatus.PACKING),
            (ShipmentStatus.PACKING, ShipmentStatus.READY),
        ]
        assert all(e.actor.email == COORDINATOR for e in shipment.events)
        assert [c.code for c in shipment.crates] == [crate_code]
        assert session.scalar(sa.select(Crate.shipment_id).where(Crate.code == crate_code)) == shipment.id

    # The dashboard: the pipeline's figures as the database has them, and the shipment on the board.
    nav(page, "Dashboard")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    with in_db(db_app):
        stages = tallies.stages()
    shown = {
        bar.get_attribute("data-key"): int(bar.get_attribute("data-value"))
        for bar in page.locator('[data-chart="stages"] li.bar').all()
    }
    assert shown == stages  # every stage, each with the database's figure
    assert shown["packed"] >= 5 and shown["received"] > 0
    expect(page.locator("h2", has_text="Copies in each stage")).to_contain_text(f"({sum(stages.values()):,} in all)")
    card = page.locator(f'.board-column[data-status="ready"] [data-shipment="{ref}"]')
    expect(card).to_contain_text(name_en)
    expect(card).to_contain_text(NAME_AR)
    expect(card).to_contain_text("1 crate · 5 copies")
    expect(page.locator('[data-chart="sites"] li.bar[data-key="London drop-off"]')).to_be_visible()
