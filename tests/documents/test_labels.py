"""Crate labels: the GS1 SSCC, PROVISIONAL numbers until the crate list is fixed, destination, origin,
weights and handling marks, on A6 sheets or 4×6 inch thermal labels."""
from __future__ import annotations

import pytest

from books2iraq.admin.services import update_organisation
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import services
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.shipping.models import ShipmentStatus as S
from tests import pdf
from tests.factories import UserFactory, advance, sealed_crate, shipment_of


def test_the_sscc_is_the_gs1_prefix_the_serial_and_the_check_digit(app):
    with app.app_context():
        app.config["GS1_COMPANY_PREFIX"] = "0614141"
        assert crating.sscc(123456789) == "006141411234567890"  # GS1's own worked example
        app.config["GS1_COMPANY_PREFIX"] = "5061234"
        assert crating.sscc(41) == "050612340000000414"
        with pytest.raises(DomainError, match="leaves room for 999,999,999 crates"):
            crating.sscc(10**9)
        app.config["GS1_COMPANY_PREFIX"] = ""
        assert crating.sscc(41) is None


@pytest.mark.parametrize("prefix", ["12345", "06141AB", "1234567890123"])
def test_a_wrong_gs1_prefix_stops_the_app_at_start_up(prefix):
    from books2iraq import create_app

    with pytest.raises(RuntimeError, match="B2I_GS1_COMPANY_PREFIX must be the 6 to 12 digits"):
        create_app({"GS1_COMPANY_PREFIX": prefix})


def test_labels_are_provisional_until_the_shipment_is_ready_and_carry_what_a_handler_needs(app):
    with app.app_context():
        app.config["GS1_COMPANY_PREFIX"] = "5061234"
        update_organisation(actor=None, address="4 Tyseley Road\nBirmingham B11 2AA", country="United Kingdom")
        coordinator = UserFactory(role=Role.COORDINATOR)
        crates = [sealed_crate(12, gross_kg="21.50"), sealed_crate(8, gross_kg="15.00")]
        shipment = advance(shipment_of(*crates, actor=coordinator), S.PACKING, actor=coordinator)
        db.session.commit()

        packing = pdf.text(services.shipment_labels(shipment)[1])
        assert "PROVISIONAL · crate 1 of 2" in packing and "PROVISIONAL · crate 2 of 2" in packing
        advance(shipment, S.READY, actor=coordinator)
        _, labels = services.shipment_labels(shipment)
        text = pdf.text(labels)
        assert "PROVISIONAL" not in text and "Crate 1 of 2" in text and "Crate 2 of 2" in text
        for printed in ("IRAQ", "العراق", "Country of origin: United Kingdom", "Gross 21.50 kg · net 20.00 kg",
                        "12 books", "From: ", "4 Tyseley Road, Birmingham B11 2AA", "DONATED BOOKS — NO COMMERCIAL VALUE"):
            assert printed in text, printed
        first_sscc = crates[0].sscc
        assert first_sscc is not None and len(first_sscc) == 18 and first_sscc.startswith("05061234")
        read = pdf.barcodes(labels)
        assert ("Code128", f"(00){first_sscc}") in read  # GS1-128: FNC1, AI 00, the SSCC
        assert ("Code128", crates[0].code) in read and ("QRCode", crates[0].code) in read


def test_labels_come_on_a6_sheets_or_4x6_inch_thermal_stock(app):
    import re

    with app.app_context():
        crate = sealed_crate(3)
        db.session.commit()
        sizes = {}
        for size in ("a6", "4x6"):
            filename, label = services.crate_label(crate, size)
            box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", label)
            sizes[size] = (filename, round(float(box.group(1))), round(float(box.group(2))))
        assert sizes == {
            "a6": (f"{crate.code}-label.pdf", 298, 420),
            "4x6": (f"{crate.code}-label-4x6.pdf", 288, 432),
        }
        with pytest.raises(DomainError, match="Labels come in a6 and 4x6, not “letter”"):
            services.crate_label(crate, "letter")


def test_the_label_page_takes_the_size(app, client, auth):
    with app.app_context():
        code = sealed_crate(2).code
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/documents/crates/{code}/label.pdf?size=4x6")
    assert page.status_code == 200 and b"/MediaBox [ 0 0 288 432 ]" in page.data
    refused = client.get(f"/documents/crates/{code}/label.pdf?size=huge", headers={"Referer": f"/crates/{code}"})
    assert refused.status_code == 302 and refused.headers["Location"] == f"/crates/{code}"


def test_drawing_tells_how_far_it_has_got(app):
    """What the worker notes on a job as it draws: each label of how many, each page of a list."""
    with app.app_context():
        shipment = shipment_of(sealed_crate(2), sealed_crate(3), sealed_crate(4))
        told: list[tuple[int, int | None]] = []
        services.labels_plan(shipment).document.render(progress=lambda done, total: told.append((done, total)))
        assert told == [(1, 3), (2, 3), (3, 3)]
        told.clear()
        drawn = services.packing_list_plan(shipment).document.render(progress=lambda done, total: told.append((done, total)))
        assert told == [(page, None) for page in range(1, len(pdf.pages(drawn)) + 1)]
