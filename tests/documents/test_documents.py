"""Documents read back: the text a person sees, the barcodes a scanner reads, totals that agree."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import data, services
from books2iraq.intake import services as intake
from books2iraq.intake.models import TitleKind
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Governorate, TransportMode
from books2iraq.sorting import services as sorting
from tests import pdf
from tests.factories import SiteFactory, TitleFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.usefixtures("ctx")

ARABIC_NAME = "جامعة صلاح الدين"


@pytest.fixture
def shipment():
    """Two sealed crates for Salahaddin University: books, a dictionary, picture books, an Arabic title."""
    staff = UserFactory(role=Role.ADMIN)
    titles = [
        TitleFactory(title="<b>Fish & Chips", authors="Smith & Jones"),
        TitleFactory(title="Oxford Dictionary", kind=TitleKind.DICTIONARY),
        TitleFactory(title="Where the Wild Things Are", kind=TitleKind.CHILDRENS_PICTURE),
        TitleFactory(title="ألف ليلة وليلة", language="ar"),
    ]
    donation = intake.record_donation(
        site=SiteFactory(), actor=staff,
        lines=[intake.LineInput(quantity=q, title=t) for q, t in zip((12, 5, 20, 9), titles, strict=True)],
    )
    lots = [sorting.accept(lot, actor=staff) for lot in donation.lots]
    warehouse = WarehouseFactory()
    first, second = (crating.open_crate(site=warehouse, actor=staff) for _ in range(2))
    crating.pack(lots[0], first, actor=staff)
    crating.pack(lots[1], first, actor=staff)
    crating.pack(lots[2], second, actor=staff)
    crating.pack(lots[3], second, actor=staff)
    crating.seal(first, gross_kg="11.20", length_cm=60, width_cm=40, height_cm=40, actor=staff)
    crating.seal(second, gross_kg="14.85", length_cm=50, width_cm=40, height_cm=30, actor=staff)
    recipient = shipping.create_recipient(
        name_en="Salahaddin University-Erbil", name_ar=ARABIC_NAME, address_en="Kirkuk Road",
        address_ar="طريق كركوك", city="Erbil", governorate=Governorate.ERBIL, actor=staff,
    )
    result = shipping.create_shipment(
        recipient=recipient, actor=staff, year=2026, mode=TransportMode.ROAD, carrier="Gulf Trucks",
        incoterm="DAP", place_of_delivery="Erbil",
    )
    shipping.assign_crate(result, first, actor=staff)
    shipping.assign_crate(result, second, actor=staff)
    return result


def numbers(line: str) -> list[str]:
    return re.findall(r"\d[\d,]*\.?\d*", line)


def test_crate_labels_carry_readable_barcodes_and_the_rec15_mark(shipment):
    _, document = services.shipment_labels(shipment)
    first, second = pdf.pages(document)
    assert "B2I-C-000001" in first and "PROVISIONAL · crate 1 of 2" in first and "PROVISIONAL · crate 2 of 2" in second
    assert "DONATED BOOKS — NO COMMERCIAL VALUE" in first
    assert "Salahaddin University-Erbil" in first and ARABIC_NAME in first
    assert re.search(r"SUE\s+S-2026-001\s+ERBIL\s+1/2", first)  # consignee, reference, destination, package
    assert "Gross 11.20 kg · net 9.70 kg" in first and "17 books" in first
    assert sorted(pdf.barcodes(document)) == [("Code128", "B2I-C-000001"), ("QRCode", "B2I-C-000001")]
    assert sorted(pdf.barcodes(document, first=2, last=2)) == [("Code128", "B2I-C-000002"), ("QRCode", "B2I-C-000002")]


def test_crate_packing_list_prints_user_text_literally(shipment):
    _, document = services.crate_packing_list(crating.get_by_code("B2I-C-000001"))
    text = pdf.text(document)
    assert "<b>Fish & Chips" in text and "Smith & Jones" in pdf.text(document, layout=False)
    assert "crate 1 of 2, shipment S-2026-001" in text
    total = next(line for line in text.splitlines() if "Total" in line)
    assert numbers(total)[-1] == "17"
    assert pdf.barcodes(document) == [("Code128", "B2I-C-000001")]


def test_manifest_totals_equal_the_packing_list_and_the_crates(shipment):
    crates = [crating.get_by_code(c) for c in ("B2I-C-000001", "B2I-C-000002")]
    copies = sum(c.copies for c in crates)
    gross = sum(c.gross_kg for c in crates)
    net = gross - 2 * Decimal("1.50")
    packing = pdf.text(services.shipment_packing_list(shipment)[1])
    manifest = pdf.text(services.customs_manifest(shipment)[1])

    crates_total = next(line for line in packing.splitlines() if "2 crates" in line)
    assert numbers(crates_total)[:4] == ["2", str(copies), f"{gross:.2f}", f"{net:.2f}"]
    assert re.search(rf"Total copies / .*مجموع النسخ\s+{copies}", packing)

    total = next(line for line in manifest.splitlines() if line.strip().startswith("Total"))
    assert numbers(total) == ["2", str(copies), f"{net:.2f}", f"{gross:.2f}", f"{copies * Decimal('0.50'):.2f}"]
    for hs_code in ("4901.99", "4901.91", "4903.00"):
        assert hs_code in manifest
    assert "4902" not in manifest
    assert ARABIC_NAME in manifest and "بيان جمركي" in manifest and "Declaration" in manifest
    assert "Page 1 of 1" in manifest
    assert data.manifest_data(shipment).copies == copies == data.shipment_data(shipment).copies


def test_long_packing_lists_number_their_pages(ctx):
    staff = UserFactory(role=Role.ADMIN)
    donation = intake.record_donation(
        site=SiteFactory(), actor=staff, lines=[intake.LineInput(quantity=2, title=TitleFactory()) for _ in range(160)]
    )
    crate = crating.open_crate(site=WarehouseFactory(), actor=staff)
    for lot in donation.lots:
        crating.pack(sorting.accept(lot, actor=staff), crate, actor=staff)
    crating.seal(crate, gross_kg="150", actor=staff)
    pages = pdf.pages(services.crate_packing_list(crate)[1])
    assert len(pages) >= 2
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert all("ISBN" in page and "Copies" in page for page in pages)  # the header repeats
    assert sum(len(re.findall(r"^\s*978\d{10}\s", page, re.M)) for page in pages) == 160


def test_donor_receipt(ctx):
    donation = intake.record_donation(
        site=SiteFactory(name="Leeds drop-off", city="Leeds"), actor=UserFactory(),
        donor=intake.create_donor(name="Mrs Khalil", actor=None),
        lines=[intake.LineInput(quantity=30, description="<i>bag</i> of books")],
    )
    text = pdf.text(services.donor_receipt(donation)[1])
    assert "Donation receipt" in text and donation.ref in text and "Leeds drop-off, Leeds" in text
    assert "Mrs Khalil" in text and "Copies received: 30" in text and "<i>bag</i> of books" in text
    assert "Thank you" in text


def test_the_receipt_names_a_book_not_catalogued_yet_by_its_isbn_without_saying_so(ctx):
    donation = intake.record_donation(
        site=SiteFactory(), actor=UserFactory(), lines=[intake.LineInput(quantity=2, isbn="978-0-306-40615-7")]
    )
    text = pdf.text(services.donor_receipt(donation)[1])
    assert "Book with ISBN 9780306406157" in text and "not catalogued" not in text


def test_a_shipment_without_crates_has_no_documents_yet(ctx):
    from books2iraq.errors import DomainError
    from tests.factories import RecipientFactory

    empty = shipping.create_shipment(recipient=RecipientFactory(), actor=UserFactory())
    with pytest.raises(DomainError, match="has no crates yet"):
        services.customs_manifest(empty)


def test_the_longest_valid_address_and_a_word_as_long_as_a_title_are_laid_out_in_full(ctx):
    """A 2,000-character address and a 500-letter word: every character printed, over pages if need be."""
    from tests.factories import RecipientFactory, sealed_crate, shipment_of

    address = " ".join(f"Street{n:04d}" for n in range(182))[:1990] + " END-OF-ADDRESS"
    recipient = RecipientFactory(address_en=address, name_en="U" * 200)
    crate = sealed_crate(3)
    crate.lots[0].title.title = "L" * 500
    shipment = shipment_of(crate, recipient=recipient)
    for render in (services.shipment_packing_list, services.customs_manifest):
        _, document = render(shipment)
        printed = pdf.text(document)
        missing = [word for word in address.split(" ") if word not in printed]
        assert missing == [] and printed.count("U") >= 200, render.__name__
    _, crate_list = services.crate_packing_list(crate)
    assert "L" * 15 + "..." in pdf.text(crate_list)  # a row shows what fits, then an ellipsis (NFKC: ...)


KURDISH = ("لیستی پێچانەوە", "ناونیشان", "دانە", "کۆی دانەکان", "شێوازی گواستنەوە", "نێرەر", "وەرگر", "واژۆ")
ARABIC = ("قائمة التعبئة", "العنوان", "النسخ", "مجموع النسخ", "طريقة النقل", "المرسل", "المرسل إليه", "التوقيع")


def test_packing_lists_for_the_kurdistan_region_are_in_sorani_kurdish_as_well(shipment):
    staff = UserFactory(role=Role.ADMIN)
    erbil = pdf.text(services.shipment_packing_list(shipment)[1])
    crate = pdf.text(services.crate_packing_list(crating.get_by_code("B2I-C-000001"))[1])
    for text in (erbil, crate):
        assert "Packing list" in text and all(word in text for word in ARABIC[:3])
    assert [word for word in KURDISH if word not in erbil] == []
    assert [word for word in ("لیستی پێچانەوە", "ناونیشان", "کۆ", "واژۆ") if word not in crate] == []
    assert [word for word in ARABIC if word not in erbil] == []

    # The same crates for a library in Basra: English and Arabic, no Kurdish.
    shipping.update_recipient(shipment.recipient, actor=staff, city="Basra", governorate=Governorate.BASRA)
    basra = pdf.text(services.shipment_packing_list(shipment)[1])
    assert [word for word in ARABIC if word not in basra] == []
    assert [word for word in KURDISH if word in basra] == []
    assert "لیستی" not in pdf.text(services.crate_packing_list(crating.get_by_code("B2I-C-000001"))[1])
