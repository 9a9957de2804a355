"""The pick list: the crates chosen for a shipment, where each waits in the warehouse, with a box to
tick as it is loaded."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from books2iraq.documents.base import GREY, Column, PdfDocument, RowTable, code128
from books2iraq.documents.data import PickData


class PickList(PdfDocument):
    title = "Pick list"

    def footer_text(self) -> str:
        return f"Pick list · shipment {self.data.ref}"

    def story(self) -> list[Flowable]:
        d: PickData = self.data
        return [
            self.text("Pick list", 15, bold=True),
            self.text(f"Shipment {d.ref} · for {d.consignee}", 11, bold=True),
            code128(d.ref, bar_height=9 * mm, bar_width=0.8),
            self.text(f"Crates: {len(d.crates)} · copies: {d.copies} · gross kg: {d.gross_kg} · printed on {d.printed_on}",
                      9, color=GREY),
            self.gap(3),
            RowTable(
                [Column("No.", 10 * mm, "right"), Column("Crate", 34 * mm), Column("Warehouse", 44 * mm),
                 Column("Location", 34 * mm), Column("Copies", 18 * mm, "right"), Column("Gross kg", 20 * mm, "right"),
                 Column("Loaded", 16 * mm)],
                [(str(n), code, site, location, str(copies), kg, "[  ]")
                 for n, (code, site, location, copies, kg) in enumerate(d.crates, start=1)],
                footer=("", "Total", "", "", str(d.copies), d.gross_kg, ""),
            ),
        ]
