"""The "done when" of pallets: a shipment loaded by pallets and loose crates within its container's
limits, whose documents count its packages as pallets and crates and name each crate's pallet. Every
expected figure is worked out here by hand, from the weights and copies the test packs."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from books2iraq.admin.services import update_organisation
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import data, issuing, services
from books2iraq.errors import DomainError
from books2iraq.intake.models import TitleKind
from books2iraq.pallets import services as pallets
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import ContainerSize, Governorate, TransportMode
from books2iraq.shipping.models import ShipmentStatus as S
from tests import pdf
from tests.factories import (
    RecipientFactory,
    TitleFactory,
    UserFactory,
    WarehouseFactory,
    accepted_lot,
    advance,
    sealed_crate,
)

pytestmark = pytest.mark.usefixtures("ctx")


def numbers(line: str) -> list[str]:
    return re.findall(r"\d[\d,]*\.?\d*", line)


@pytest.fixture
def loaded():
    """Three pallets and two loose crates for Duhok, on a truck that takes 310 kg and 3 m³:
    B2I-P-000001: 4 crates of 10 books, 20.00 kg each; weighed whole 105.00 kg, 120×80×100 cm.
    B2I-P-000002: 4 crates of 10 books, 21.00 kg each; 108.50 kg, 120×80×100 cm.
    B2I-P-000003: a crate of 6 dictionaries and 4 books (18.00 kg) and one of 10 books (19.50 kg); 61.25 kg, 120×80×60 cm.
    Loose: two crates of 8 books, 16.40 kg each, 50×40×30 cm."""
    staff = UserFactory(role=Role.ADMIN)
    site = WarehouseFactory()
    built = []
    for weights, gross, height in ((["20"] * 4, "105.00", 100), (["21"] * 4, "108.50", 100), ([], "61.25", 60)):
        pallet = pallets.open_pallet(site=site, actor=staff)
        crates = [sealed_crate(10, gross_kg=kg, site=site, dims=(60, 40, 40), actor=staff) for kg in weights]
        if not weights:
            mixed = crating.open_crate(site=site, actor=staff)
            dictionaries = accepted_lot(6, actor=staff)
            dictionaries.title = TitleFactory(kind=TitleKind.DICTIONARY)
            crating.pack(dictionaries, mixed, actor=staff)
            crating.pack(accepted_lot(4, actor=staff), mixed, actor=staff)
            crates = [crating.seal(mixed, gross_kg="18.00", length_cm=60, width_cm=40, height_cm=40, actor=staff),
                      sealed_crate(10, gross_kg="19.50", site=site, dims=(60, 40, 40), actor=staff)]
        for crate in crates:
            pallets.put_on(pallet, crate, actor=staff)
        built.append(pallets.seal(pallet, gross_kg=gross, length_cm=120, width_cm=80, height_cm=height, actor=staff))
    loose = [sealed_crate(8, gross_kg="16.40", site=site, dims=(50, 40, 30), actor=staff) for _ in range(2)]
    recipient = RecipientFactory(name_en="University of Duhok", city="Duhok", governorate=Governorate.DUHOK)
    shipment = shipping.create_shipment(recipient=recipient, actor=staff, year=2026, mode=TransportMode.ROAD,
                                        carrier="Zagros Logistics", incoterm="DAP", place_of_delivery="Duhok")
    shipping.set_container(shipment, size=ContainerSize.TRAILER, capacity_kg=Decimal("310"), capacity_m3=Decimal("3"),
                           actor=staff)
    for code in ("B2I-P-000001", loose[0].code, "B2I-P-000002", "B2I-P-000003", loose[1].code):
        shipping.assign_by_code(shipment, code, actor=staff)
    return shipment, built, loose, staff


def test_the_shipment_is_loaded_by_pallets_within_its_limits(loaded):
    shipment, built, loose, staff = loaded
    totals = shipping.shipment_totals(shipment)
    assert (totals.crates, totals.copies, totals.pallets, totals.loose, totals.packages) == (12, 116, 3, 2, 5)
    assert (totals.gross_kg, totals.volume_m3) == (Decimal("307.55"), Decimal("2.616"))
    load = shipping.load_of(shipment)
    assert not load.over and load.nearly_full  # 307.55 of 310 kg: 99 %
    one_more = pallets.open_pallet(site=built[0].site, actor=staff)
    pallets.put_on(one_more, sealed_crate(1, gross_kg="1.50", site=built[0].site, actor=staff), actor=staff)
    pallets.seal(one_more, gross_kg="3.00", length_cm=40, width_cm=30, height_cm=20, actor=staff)
    with pytest.raises(DomainError, match=r"\(3\.00 kg\) would load S-2026-001 past its capacity: 310\.55 of 310\.00 kg\."):
        shipping.assign_pallet(shipment, one_more, actor=staff)


def test_the_packing_list_counts_packages_as_pallets_and_crates_and_names_each_crates_pallet(loaded):
    shipment, built, loose, _ = loaded
    text = pdf.text(services.shipment_packing_list(shipment)[1])
    assert "Packages: 5 (3 pallets carrying 10 crates, 2 loose crates)" in text
    assert "Gross 307.55 kg · net 216.30 kg · 2.616 m3" in text  # m³, as NFKC reads it
    rows = {m[1]: numbers(m[2]) for m in re.finditer(r"^\s*\d+ (B2I-P-\d{6})\s+(.*)$", text, re.M)}
    # Each pallet's row: crates, copies, gross (weighed whole), net (its crates' books), size, m³.
    assert rows["B2I-P-000001"] == ["4", "40", "105.00", "74.00", "120", "80", "100", "0.960"]
    assert rows["B2I-P-000002"] == ["4", "40", "108.50", "78.00", "120", "80", "100", "0.960"]
    assert rows["B2I-P-000003"] == ["2", "20", "61.25", "34.50", "120", "80", "60", "0.576"]
    pallets_total = next(line for line in text.splitlines() if "3 pallets" in line and "Packages" not in line)
    assert numbers(pallets_total) == ["3", "10", "100", "274.75", "186.50", "2.496"]
    for crate in built[2].crates:
        assert re.search(rf"{crate.code}\s+B2I-P-000003\s", text), crate.code
        assert f"{crate.code} · on pallet B2I-P-000003" in text  # its heading above its titles
    for crate in loose:
        assert re.search(rf"{crate.code}\s+—\s", text)


def test_the_manifest_counts_the_pallets_as_packages_under_the_code_of_most_of_their_copies(loaded):
    shipment, *_ = loaded
    manifest = data.manifest_data(shipment)
    lines = {line.hs_code: line for line in manifest.lines}
    # Pallet 3 carries 14 books and 6 dictionaries: one package, under the books' code; its 61.25 kg and
    # its crates' 34.50 kg net shared 14:6 (the odd cent to the first code).
    assert (manifest.packages, manifest.pallets, manifest.copies) == (5, 3, 116)
    assert (lines["4901.99"].packages, lines["4901.99"].copies) == (5, 110)
    assert (lines["4901.91"].packages, lines["4901.91"].copies, lines["4901.91"].packed_with) == (0, 6, ("4901.99",))
    assert (lines["4901.91"].gross_kg, lines["4901.91"].net_kg) == (Decimal("18.38"), Decimal("10.35"))
    assert (lines["4901.99"].gross_kg, lines["4901.99"].net_kg) == (Decimal("289.17"), Decimal("205.95"))
    assert (manifest.gross_kg, manifest.net_kg) == (Decimal("307.55"), Decimal("216.30"))
    lean = data.manifest_data(shipment, crates=False)  # what the shipment page compares with issued papers
    assert (lean.lines, lean.pallets) == (manifest.lines, 3)
    text = pdf.text(services.customs_manifest(shipment)[1])
    assert "Packages: 5 (3 pallets carrying 10 crates, 2 loose crates), as on the packing list." in text
    total = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert numbers(total) == ["5", "116", "216.30", "307.55", "58.00"]
    assert re.search(r"UD\s+S-2026-001\s+DUHOK\s+P1-3 · 1-12", pdf.text(services.customs_manifest(shipment)[1], layout=False))  # the mark: pallets' numbers, crates'


def test_labels_number_the_pallets_and_name_their_crates_and_issued_papers_stay_unchanged(loaded):
    shipment, built, loose, staff = loaded
    document = services.shipment_labels(shipment)[1]
    pages = pdf.pages(document)
    assert len(pages) == 3 + 12  # the pallets' labels, then every crate's
    first = pages[0]
    assert "PROVISIONAL · pallet 1 of 3" in first and "4 crates · 40 books" in first
    assert "Gross 105.00 kg · net 74.00 kg" in first and "120×80×100 cm" in first
    assert re.search(r"UD\s+S-2026-001\s+DUHOK\s+P1/3", first)
    codes = [c.code.removeprefix("B2I-C-") for c in built[0].crates]
    assert f"Crates (B2I-C-...): {', '.join(codes)}" in first  # "…", as NFKC reads it
    assert sorted(pdf.barcodes(document)) == [("Code128", "B2I-P-000001"), ("QRCode", "B2I-P-000001")]
    assert "crate 1 of 12" in pages[3]
    update_organisation(actor=None, address="1 Main St", phone="+44 20 0000", signatory_name="A. Signer")
    advance(shipment, S.PACKING, S.READY, actor=staff)
    label = pdf.text(services.pallet_label(built[1])[1])
    assert "Pallet 2 of 3" in label and "PROVISIONAL" not in label
    issued = issuing.issue_papers(shipment, actor=staff)[0]
    assert not issuing.changed_since(issued, shipment)
    waiting = pallets.open_pallet(site=built[0].site, actor=staff)
    assert "Not on a shipment yet" in pdf.text(services.pallet_label(waiting)[1])

