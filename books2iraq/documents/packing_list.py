"""Packing lists: one inside each crate, one for the whole shipment (shipper and recipient)."""
from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from books2iraq.documents import words as w
from books2iraq.documents.base import (
    GREY,
    RULE,
    Column,
    GroupRow,
    PdfDocument,
    RowTable,
    code128,
)
from books2iraq.documents.data import CrateData, Party, ShipmentData, Transport


def content_columns(kurdish: bool = False) -> list[Column]:
    return [
        Column(w.ISBN.stacked(), 26 * mm),
        Column(w.TITLE.stacked(kurdish), 52 * mm),
        Column(w.AUTHOR.stacked(kurdish), 32 * mm),
        Column(w.LANGUAGE.stacked(kurdish), 16 * mm),
        Column(w.LEVEL.stacked(kurdish), 18 * mm),
        Column(w.HS_CODE.stacked(kurdish), 18 * mm),
        Column(w.COPIES.stacked(kurdish), 20 * mm, "right"),
    ]


def kg(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def content_rows(crate: CrateData) -> list[tuple[str, ...]]:
    return [(ln.isbn, ln.title, ln.authors, ln.language, ln.level, ln.hs_code, str(ln.copies)) for ln in crate.lines]


def crate_heading(crate: CrateData) -> GroupRow:
    """A crate's heading row: which crate (and pallet), its weight and size; "(continued)" on the next page."""
    which = f"Crate {crate.number} of {crate.of}" if crate.number is not None else f"Crate {crate.code}"
    size = " · {}×{}×{} cm".format(*crate.dimensions_cm) if crate.dimensions_cm else ""
    pallet = f" · on pallet {crate.pallet}" if crate.pallet else ""
    return GroupRow(
        f"{which} · {crate.code}{pallet} · {crate.copies:,} copies · gross {kg(crate.gross_kg)} kg, "
        f"net {kg(crate.net_kg)} kg{size}",
        f"{which} (continued) · {crate.code}",
    )


def packages_line(packages: int, pallets: int, crates: int) -> str:
    """"Packages: 5 (2 pallets carrying 14 crates, 3 loose crates)": what customs counts, and of what."""
    if not pallets:
        return f"Packages: {packages} crates"
    loose = packages - pallets
    return (f"Packages: {packages} ({pallets} pallet{'s' if pallets != 1 else ''} carrying {crates - loose} crates, "
            f"{loose} loose crate{'s' if loose != 1 else ''})")


def signature_lines(doc: PdfDocument, who: w.Term = w.PACKED_AND_CHECKED_BY, kurdish: bool = False) -> list[Flowable]:
    return [
        doc.text(f"{who.inline(kurdish)}: ______________________", 9),
        doc.text(f"{w.SIGNATURE.inline(kurdish)}: ______________________    {w.DATE.inline(kurdish)}: ______________", 9),
    ]


class Blocks:
    """Pieces the shipment documents share."""

    @staticmethod
    def party(doc: PdfDocument, heading: str, party: Party) -> list[Flowable]:
        """A party's block: its heading (`w.CONSIGNEE.inline()`), names and address in both scripts."""
        blocks: list[Flowable] = [doc.text(heading, 7.5, color=GREY), doc.text(party.name, 10, bold=True)]
        if party.name_ar:
            blocks.append(doc.text(party.name_ar, 11, bold=True))
        blocks.append(doc.text(party.address, 8.5))
        if party.address_ar:
            blocks.append(doc.text(party.address_ar, 9.5))
        blocks += [doc.text(detail, 8) for detail in party.details]
        return blocks

    @staticmethod
    def side_by_side(*columns: list[Flowable], width: float = 182 * mm) -> Table:
        # splitInRow: a party with a very long address goes on over the page instead of failing.
        table = Table([list(columns)], colWidths=[width / len(columns)] * len(columns), splitInRow=1)
        table.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("LEFTPADDING", (0, 0), (-1, -1), 4), ("BOX", (0, 0), (-1, -1), 0.25, RULE),
                        ("INNERGRID", (0, 0), (-1, -1), 0.25, RULE), ("TOPPADDING", (0, 0), (-1, -1), 4),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
        )
        return table

    @staticmethod
    def transport(doc: PdfDocument, transport: Transport, kurdish: bool = False) -> list[Flowable]:
        """The transport block, every label in English and Arabic (and Kurdish for the Kurdistan Region)."""
        blocks = [doc.text(w.TRANSPORT.inline(kurdish), 7.5, color=GREY)]
        for label, value in transport.rows() or [(w.TRANSPORT, w.TO_BE_ARRANGED.inline(kurdish))]:
            blocks += [doc.text(f"{label.en}: {value}", 8.5), doc.text(label.translations(kurdish), 7, color=GREY)]
        return blocks


class CratePackingList(PdfDocument):
    """Goes inside the crate: what is in it, line by line, with its code as a barcode."""

    title = "Crate packing list"

    def footer_text(self) -> str:
        return f"Packing list · crate {self.data.code}"

    def story(self) -> list[Flowable]:
        crate: CrateData = self.data
        heading = f"Crate {crate.code}"
        if crate.number is not None:
            heading += f" — crate {crate.number} of {crate.of}, shipment {crate.shipment_ref}"
        kurdish = crate.consignee is not None and crate.consignee.kurdish
        story: list[Flowable] = [
            self.text(w.PACKING_LIST.inline(kurdish), 9, color=GREY),
            self.text(heading, 14, bold=True),
            self.gap(2),
            code128(crate.code, bar_height=12 * mm),
            self.gap(2),
        ]
        if crate.consignee is not None:
            story += [self.text(f"{w.FOR.inline(kurdish)}: {crate.consignee.name}", 9.5, bold=True)]
            if crate.consignee.name_ar:
                story.append(self.text(crate.consignee.name_ar, 10.5, bold=True))
        weight = f"{w.GROSS_WEIGHT.en} {kg(crate.gross_kg)} kg · net {kg(crate.net_kg)} kg"
        if crate.dimensions_cm:
            weight += " · {}×{}×{} cm".format(*crate.dimensions_cm)
        story += [
            self.text(weight, 9),
            self.text(f"{w.GROSS_WEIGHT.translations(kurdish)}: {kg(crate.gross_kg)} · "
                      f"{w.NET_WEIGHT.translations(kurdish)}: {kg(crate.net_kg)}", 8, color=GREY),
            self.gap(3),
            RowTable(content_columns(kurdish), content_rows(crate),
                     footer=("", w.TOTAL.inline(kurdish), "", "", f"{len(crate.lines)} titles", "", str(crate.copies))),
            self.gap(6),
            KeepTogether(signature_lines(self, kurdish=kurdish)),
        ]
        return story


class ShipmentPackingList(PdfDocument):
    """For the shipper and the recipient: every crate, and what is in each."""

    title = "Shipment packing list"

    def footer_text(self) -> str:
        return f"Packing list · shipment {self.data.ref}"

    def story(self) -> list[Flowable]:
        s: ShipmentData = self.data
        kurdish = s.consignee.kurdish
        crate_columns = [
            Column(w.NUMBER.stacked(kurdish), 12 * mm, "right"), Column(w.CRATE.stacked(kurdish), 29 * mm),
            Column(w.PALLET.stacked(kurdish), 29 * mm), Column(w.COPIES.stacked(kurdish), 18 * mm, "right"),
            Column(w.GROSS_KG.stacked(kurdish), 22 * mm, "right"), Column(w.NET_KG.stacked(kurdish), 22 * mm, "right"),
            Column(w.DIMENSIONS.stacked(kurdish), 28 * mm), Column(w.VOLUME.stacked(kurdish), 18 * mm, "right"),
        ]
        crate_rows = [
            (str(c.number), c.code, c.pallet or "—", str(c.copies), kg(c.gross_kg), kg(c.net_kg),
             "{}×{}×{}".format(*c.dimensions_cm) if c.dimensions_cm else "—",
             f"{c.volume_m3:.3f}" if c.volume_m3 is not None else "—")
            for c in s.crates
        ]
        crates_kg = sum((c.gross_kg or Decimal(0) for c in s.crates), Decimal(0))
        crates_m3 = sum((c.volume_m3 or Decimal(0) for c in s.crates), Decimal(0))
        totals = ("", f"{len(s.crates)} crates", "", f"{s.copies:,}", kg(crates_kg), kg(s.net_kg), "", f"{crates_m3:.3f}")
        contents: list[tuple[str, ...]] = []
        for c in s.crates:
            contents.append(crate_heading(c))
            contents += content_rows(c)
        return [
            *self.head(kurdish),
            *self.pallets(kurdish),
            KeepTogether([self.text(w.CRATES.inline(kurdish), 11, bold=True), self.gap(1)]),
            RowTable(crate_columns, crate_rows, footer=totals),
            self.gap(2),
            self.text(packages_line(s.packages, len(s.pallets), len(s.crates)), 9.5, bold=True),
            self.text(f"Gross {kg(s.gross_kg)} kg · net {kg(s.net_kg)} kg · {s.volume_m3:.3f} m³", 9.5, bold=True),
            *([self.text("A pallet's gross weight and volume, weighed and measured whole, stand for those of the "
                         "crates on it.", 7.5, color=GREY)] if s.pallets else []),
            self.gap(5),
            self.text(w.CONTENTS_PER_CRATE.inline(kurdish), 11, bold=True),
            self.gap(1),
            RowTable(content_columns(kurdish), contents,
                     footer=("", w.TOTAL_COPIES.inline(kurdish), "", "", "", "", f"{s.copies:,}")),
            self.gap(6),
            KeepTogether([
                self.text(f"Signed for {s.consignor.name}: {s.signatory or '______________________'}", 9),
                *signature_lines(self, w.CHECKED_BY, kurdish),
            ]),
        ]

    def pallets(self, kurdish: bool) -> list[Flowable]:
        """The pallets, each one package: what is on it, what it weighs and measures whole."""
        s: ShipmentData = self.data
        if not s.pallets:
            return []
        columns = [
            Column(w.NUMBER.stacked(kurdish), 12 * mm, "right"), Column(w.PALLET.stacked(kurdish), 29 * mm),
            Column(w.CRATES.stacked(kurdish), 29 * mm, "right"), Column(w.COPIES.stacked(kurdish), 18 * mm, "right"),
            Column(w.GROSS_KG.stacked(kurdish), 22 * mm, "right"), Column(w.NET_KG.stacked(kurdish), 22 * mm, "right"),
            Column(w.DIMENSIONS.stacked(kurdish), 28 * mm), Column(w.VOLUME.stacked(kurdish), 18 * mm, "right"),
        ]
        rows = [
            (str(p.number), p.code, str(len(p.crates)), f"{p.copies:,}", kg(p.gross_kg),
             kg(p.net_kg), "{}×{}×{}".format(*p.dimensions_cm) if p.dimensions_cm else "—",
             f"{p.volume_m3:.3f}" if p.volume_m3 is not None else "—")
            for p in s.pallets
        ]
        footer = ("", f"{len(s.pallets)} pallets", str(sum(len(p.crates) for p in s.pallets)),
                  f"{sum(p.copies for p in s.pallets):,}", kg(sum((p.gross_kg or Decimal(0) for p in s.pallets), Decimal(0))),
                  kg(sum((p.net_kg or Decimal(0) for p in s.pallets), Decimal(0))), "",
                  f"{sum((p.volume_m3 or Decimal(0) for p in s.pallets), Decimal(0)):.3f}")
        return [KeepTogether([self.text(w.PALLETS.inline(kurdish), 11, bold=True), self.gap(1)]),
                RowTable(columns, rows, footer=footer), self.gap(4)]

    def head(self, kurdish: bool) -> list[Flowable]:
        s: ShipmentData = self.data
        return [
            *(self.text(title, 15 if title.isascii() else 14, bold=True) for title in w.PACKING_LIST.said(kurdish)),
            self.text(f"Shipment {s.ref}", 12, bold=True),
            self.text(self.reference(), 9),
            self.gap(1),
            code128(s.ref, bar_height=10 * mm),
            self.gap(3),
            Blocks.side_by_side(
                Blocks.party(self, w.CONSIGNOR.inline(kurdish), s.consignor),
                Blocks.party(self, w.CONSIGNEE.inline(kurdish), s.consignee),
                Blocks.transport(self, s.transport, kurdish),
            ),
            self.gap(4),
        ]

    def reference(self) -> str:
        """The date it is printed, and the customs papers it goes with once they are issued."""
        s: ShipmentData = self.data
        if s.invoice is None:
            return f"Printed {s.issued_on} · customs papers not issued yet"
        return f"Printed {s.issued_on} · with pro-forma invoice {s.invoice.number} of {s.invoice.date}"
