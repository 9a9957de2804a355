"""The goods received note: what arrived of a shipment, crate by crate (received, damaged, missing),
in English and Arabic (and Sorani Kurdish for the Kurdistan Region), for the recipient to sign and
stamp and send back."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from books2iraq.documents.base import GREY, Column, PdfDocument, RowTable, code128
from books2iraq.documents.data import ReceivedNoteData
from books2iraq.documents.packing_list import Blocks


class GoodsReceivedNote(PdfDocument):
    title = "Goods received note"

    def footer_text(self) -> str:
        return f"Goods received note · shipment {self.data.ref}"

    def watermark(self) -> str:
        return "" if self.data.complete else "NOT COMPLETE"

    def story(self) -> list[Flowable]:
        d: ReceivedNoteData = self.data
        kurdish = d.consignee.kurdish
        story: list[Flowable] = [
            self.text("Goods received note", 15, bold=True),
            self.text("مذكرة استلام البضائع", 14, bold=True),
        ]
        if kurdish:
            story.append(self.text("پسوولەی وەرگرتنی کاڵا", 13, bold=True))
        story += [
            self.text(f"Shipment {d.ref}" + (f" · container {d.container_no}" if d.container_no else ""), 11, bold=True),
            code128(d.ref, bar_height=10 * mm, bar_width=0.9),
            self.gap(2),
            Blocks.side_by_side(
                Blocks.party(self, "Sent by / المرسل", d.consignor),
                Blocks.party(self, "Received by / المستلم", d.consignee),
            ),
            self.gap(3),
            self.text(
                f"Crates: {len(d.crates)} · copies sent: {d.sent} · received: {d.received} · damaged: {d.damaged}"
                f" · missing: {d.missing}" + (f" · not checked in yet: {d.waiting}" if d.waiting else ""), 10, bold=True),
            self.text(f"الصناديق: {len(d.crates)} · النسخ المرسلة: {d.sent} · المستلمة: {d.received} · التالفة: "
                      f"{d.damaged} · المفقودة: {d.missing}", 10),
            self.text(f"Last crate checked in on {d.last_checked_on}" if d.last_checked_on else "No crate checked in yet",
                      8.5, color=GREY),
            self.gap(3),
            RowTable(
                [Column("No.", 10 * mm, "right"), Column("Crate", 34 * mm), Column("Sent", 16 * mm, "right"),
                 Column("Received", 18 * mm, "right"), Column("Damaged", 18 * mm, "right"),
                 Column("Missing", 16 * mm, "right"), Column("As found", 24 * mm), Column("Note", 46 * mm)],
                [(str(c.number), c.code, str(c.sent), "—" if c.received is None else str(c.received),
                  str(c.damaged), str(c.missing), c.outcome, c.note) for c in d.crates],
                footer=("", "Total", str(d.sent), str(d.received), str(d.damaged), str(d.missing), "", ""),
            ),
        ]
        if d.short_titles:
            story += [
                self.gap(4),
                self.text("Titles short / العناوين الناقصة", 10.5, bold=True),
                RowTable(
                    [Column("ISBN", 28 * mm), Column("Title", 86 * mm), Column("Sent", 16 * mm, "right"),
                     Column("Received", 18 * mm, "right"), Column("Damaged", 18 * mm, "right"),
                     Column("Missing", 16 * mm, "right")],
                    [(isbn, title, str(sent), str(received), str(damaged), str(missing))
                     for isbn, title, sent, received, damaged, missing in d.short_titles],
                ),
            ]
        story += [self.gap(6), KeepTogether(self._signature(kurdish))]
        return story

    def _signature(self, kurdish: bool) -> list[Flowable]:
        d: ReceivedNoteData = self.data
        lines: list[Flowable] = [
            self.text("Declaration of the recipient / إقرار المستلم", 10.5, bold=True),
            self.text(f"We received the crates of shipment {d.ref} as stated above, as a gift of books with no "
                      "commercial value.", 8.5),
            self.text(f"استلمنا صناديق الشحنة {d.ref} كما هو مبين أعلاه، هديةً من الكتب بلا قيمة تجارية.", 9.5),
        ]
        if kurdish:
            lines.append(self.text(f"سندووقەکانی بارنامەی {d.ref} مان وەرگرت وەک لە سەرەوە هاتووە، وەک دیارییەکی کتێب بێ بەهای بازرگانی.", 9.5))
        if d.checked_by:
            lines.append(self.text("Checked in by: " + ", ".join(d.checked_by), 8.5, color=GREY))
        lines += [
            self.gap(6),
            self.text("Name / الاسم: ______________________________    Position / الوظيفة: ______________________", 9),
            self.gap(6),
            self.text("Signature / التوقيع: __________________________    Date / التاريخ: ____________________", 9),
            self.gap(6),
            self.text("Stamp of the institution / ختم المؤسسة:", 9),
            self.gap(22),
            self.text(f"Printed on {d.printed_on}", 7.5, color=GREY),
        ]
        return lines
