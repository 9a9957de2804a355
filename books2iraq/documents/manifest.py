"""Customs manifest / pro-forma invoice: lines by HS code, totals equal to the packing list's."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from books2iraq.documents.base import GREY, Column, PdfDocument, RowTable, code128
from books2iraq.documents.data import ManifestData
from books2iraq.documents.packing_list import Blocks, kg

DECLARATION = (
    "We declare that the goods described above are donated books and printed matter, given free of charge for "
    "educational use by the consignee; they are not for sale and have no commercial value. The values shown are "
    "for customs purposes only. The information on this document is true and correct."
)
DECLARATION_AR = (
    "نقر بأن البضائع الموصوفة أعلاه كتب ومطبوعات متبرع بها، مقدمة مجاناً للاستخدام التعليمي من قبل المرسل إليه، "
    "وهي ليست للبيع وليس لها قيمة تجارية. القيم المذكورة لأغراض جمركية فقط."
)


class CustomsManifest(PdfDocument):
    title = "Customs manifest / pro-forma invoice"

    def footer_text(self) -> str:
        invoice = self.data.invoice
        if invoice is None:
            return f"DRAFT customs manifest · shipment {self.data.shipment.ref}"
        revision = f" revision {invoice.revision}" if invoice.revision > 1 else ""
        return f"Customs manifest {invoice.number}{revision} · shipment {self.data.shipment.ref}"

    def watermark(self) -> str:
        return "DRAFT" if self.data.invoice is None else ""

    def heading(self) -> list[Flowable]:
        """The invoice's number and date; or, before it is issued, a plain DRAFT."""
        m: ManifestData = self.data
        s, invoice = m.shipment, m.invoice
        if invoice is None:
            return [
                self.text(f"DRAFT, not issued: not for customs · shipment {s.ref} · printed {s.issued_on}", 10.5,
                          bold=True),
                self.text("مسودة غير صادرة — لا تُقدَّم إلى الجمارك", 10.5, bold=True),
            ]
        # Labels and values in cells of their own: a date after Arabic words would print reversed.
        cells = [
            [self.text("Invoice no. / رقم الفاتورة", 7.5, color=GREY), self.text("Date / التاريخ", 7.5, color=GREY),
             self.text("Shipment / الشحنة", 7.5, color=GREY)],
            [self.text(invoice.number, 11, bold=True), self.text(invoice.date, 11, bold=True), self.text(s.ref, 11)],
        ]
        table = Table(cells, colWidths=[48 * mm, 40 * mm, 40 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0)]))
        lines: list[Flowable] = [table]
        if invoice.revision > 1:
            lines.append(self.text(f"Revision {invoice.revision}, replacing revision {invoice.revision - 1}: "
                                   f"{invoice.reason}", 9.5, bold=True))
        return lines

    def story(self) -> list[Flowable]:
        m: ManifestData = self.data
        s = m.shipment
        columns = [
            Column("HS / الرمز", 16 * mm), Column("Description / الوصف", 66 * mm),
            Column("Packages / الطرود", 20 * mm, "right"), Column("Copies / النسخ", 18 * mm, "right"),
            Column("Net kg / صافي", 19 * mm, "right"), Column("Gross kg / إجمالي", 20 * mm, "right"),
            Column(f"{m.currency} / القيمة", 23 * mm, "right"),
        ]
        rows = [
            (ln.hs_code, f"{ln.description} / {ln.description_ar}", str(ln.packages), f"{ln.copies:,}", kg(ln.net_kg),
             kg(ln.gross_kg), f"{ln.value:,.2f}")
            for ln in m.lines
        ]
        totals = ("Total", "المجموع", str(m.packages), f"{m.copies:,}", kg(m.net_kg), kg(m.gross_kg), f"{m.value:,.2f}")
        signatory = s.signatory or "Name and title: ______________________"
        return [
            self.text("Customs manifest / pro-forma invoice", 15, bold=True),
            self.text("بيان جمركي / فاتورة مبدئية", 14, bold=True),
            *self.heading(),
            self.gap(1),
            code128(s.ref, bar_height=9 * mm),
            self.gap(3),
            Blocks.side_by_side(
                Blocks.party(self, "Consignor / المرسل", s.consignor),
                Blocks.party(self, "Consignee / المرسل إليه", s.consignee),
            ),
            Blocks.side_by_side(
                Blocks.party(self, "Notify party / الجهة المُخطَرة", s.consignee),
                Blocks.transport(self, s.transport, "Transport / النقل"),
            ),
            self.gap(4),
            RowTable(columns, rows, size=7.5, row_height=12, footer=totals),
            self.gap(2),
            self.text(
                f"Packages: {m.packages} crates ({len(s.crates)} on the packing list). Copies: {m.copies:,}. "
                f"Value for customs purposes only: {m.currency} {m.value_per_copy} per copy; "
                "donated books, no commercial value.", 8.5),
            self.text("القيمة لأغراض جمركية فقط — كتب متبرع بها بدون قيمة تجارية", 9.5),
            self.gap(5),
            KeepTogether([
                self.text("Declaration / إقرار", 10.5, bold=True),
                self.text(DECLARATION, 8.5),
                self.text(DECLARATION_AR, 9.5),
                self.gap(8),
                self.text(f"Signed for {s.consignor.name}: {signatory}", 9),
                self.text("Signature / التوقيع: ______________________    Date / التاريخ: ______________", 9),
                self.text("Stamp / الختم", 8, color=GREY),
            ]),
        ]
