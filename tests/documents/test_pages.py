"""Long tables across pages: no heading left alone at the foot of a page, no totals alone at the head
of one, and a crate whose contents run on says so at the top of the next page."""
from __future__ import annotations

import re

from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import services
from books2iraq.documents.base import Column, GroupRow, RowTable
from books2iraq.intake import services as intake
from books2iraq.shipping.models import ShipmentStatus as S
from books2iraq.sorting import services as sorting
from tests import pdf
from tests.factories import SiteFactory, TitleFactory, UserFactory, WarehouseFactory, advance, shipment_of

COLUMNS = [Column("A", 100), Column("B", 100)]
ROW = 10  # points per row


def rows_of(table: RowTable) -> list[str]:
    return [row[0] for row in table.rows]


def split_at(rows: list, fitting: int, footer=("Total", "9")) -> list[list[str]]:
    """Split a table where `fitting` rows fit under its header; the pieces' first cells."""
    table = RowTable(COLUMNS, rows, row_height=ROW, footer=footer)
    table.wrap(200, 10_000)
    return [rows_of(piece) for piece in table.split(200, ROW * (fitting + 1))]


ROWS = [GroupRow("Crate 1 of 2"), ("a",), ("b",), GroupRow("Crate 2 of 2"), ("c",), ("d",), ("e",)]


def test_a_heading_never_ends_a_page():
    # Four rows fit: the fourth is crate 2's heading, so it goes over with its rows.
    assert split_at(ROWS, 4) == [["Crate 1 of 2", "a", "b"], ["Crate 2 of 2", "c", "d", "e"]]


def test_a_group_that_runs_on_says_so_on_the_next_page():
    assert split_at(ROWS, 5) == [
        ["Crate 1 of 2", "a", "b", "Crate 2 of 2", "c"], ["Crate 2 of 2 (continued)", "d", "e"]
    ]
    continued = GroupRow("Crate 7 of 40 · B2I-C-000007 · 48 copies", "Crate 7 of 40 (continued)")
    assert split_at([continued, ("x",), ("y",), ("z",)], 2) == [
        ["Crate 7 of 40 · B2I-C-000007 · 48 copies", "x"], ["Crate 7 of 40 (continued)", "y", "z"]
    ]


def test_a_header_of_three_languages_takes_three_rows_on_every_page():
    columns = [Column("Title\nالعنوان\nناونیشان", 100), Column("Copies\nالنسخ", 100)]
    table = RowTable(columns, [(str(n), "1") for n in range(10)], row_height=ROW)
    assert table.wrap(200, 10_000) == (200, ROW * 13)
    first, rest = table.split(200, ROW * 7)  # three header rows and four of the ten
    assert rows_of(first) == ["0", "1", "2", "3"] and len(rest.rows) == 6
    assert rest.wrap(200, 10_000) == (200, ROW * 9)  # the header again


def test_the_totals_row_takes_a_row_with_it_to_the_next_page():
    # All seven rows fit but not the totals: the last row goes over with them.
    pieces = split_at(ROWS, 7)
    assert pieces == [["Crate 1 of 2", "a", "b", "Crate 2 of 2", "c", "d"], ["Crate 2 of 2 (continued)", "e"]]


def test_a_long_shipment_packing_list_reads_right_page_by_page(ctx):
    staff = UserFactory(role=Role.ADMIN)
    crates = []
    for n in range(6):
        donation = intake.record_donation(
            site=SiteFactory(), actor=staff,
            lines=[intake.LineInput(quantity=1 + (i % 3), title=TitleFactory()) for i in range(35)],
        )
        crate = crating.open_crate(site=WarehouseFactory(), actor=staff)
        for lot in donation.lots:
            crating.pack(sorting.accept(lot, actor=staff), crate, actor=staff)
        crates.append(crating.seal(crate, gross_kg=f"{30 + n}.00", length_cm=60, width_cm=40, height_cm=40, actor=staff))
    shipment = advance(shipment_of(*crates, actor=staff), S.PACKING, S.READY, actor=staff)
    pages = pdf.pages(services.shipment_packing_list(shipment)[1])
    assert len(pages) >= 3
    heading = re.compile(r"^\s*Crate (\d+) of 6\b")
    content = re.compile(r"^\s*97[89]\d{10}\s")  # a line of the table: it starts with an ISBN
    seen_totals = False
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if heading.match(line) or content.match(line) or "Total copies" in line]
        table = [line for line in lines if "Total copies" not in line]
        if number > 1 and table and content.match(table[0]):
            raise AssertionError(f"page {number} starts in the middle of a crate without saying which")
        if table and heading.match(table[-1]):
            raise AssertionError(f"page {number} ends with a crate heading: {table[-1]!r}")
        if any("Total copies" in line for line in lines):
            seen_totals = True
            assert table, f"page {number} holds the totals alone"
    assert seen_totals
    text = "\n".join(pages)
    assert "(continued)" in text and "4901.99" in text
    assert "Crate 1 of 6 · B2I-C-000001 · 69 copies · gross 30.00 kg, net 28.50 kg · 60×40×40 cm" in text
    assert "customs papers not issued yet" in text and "Packing list" in text and "قائمة التعبئة" in text
